from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse

ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# The admins' own sign-in and password forms ask for a password only; everyone signs in through allauth,
# which asks for the second factor.
ADMIN_SIGN_IN_PATHS = ("/admin/login/", "/admin/password_reset/", "/django-admin/login/")


def may_use_admin(user):
    return user.is_staff or user.has_perm("wagtailadmin.access_admin")


class AdminRequiresMFAMiddleware:
    """Staff reach the Wagtail (and Django) admin only after they have set up multi-factor authentication.

    allauth asks for the second factor at every login once it is enabled, so requiring it to be enabled here
    means every admin session was opened with two factors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(ADMIN_SIGN_IN_PATHS):
            next_url = request.GET.get("next") or "/admin/"
            if not next_url.startswith(ADMIN_PREFIXES):
                next_url = "/admin/"
            return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
        if path.startswith(ADMIN_PREFIXES):
            user = request.user
            if user.is_authenticated and may_use_admin(user) and not is_mfa_enabled(user):
                return redirect("accounts:mfa_required")
        return self.get_response(request)
