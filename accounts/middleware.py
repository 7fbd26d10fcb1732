from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse


class AdminRequiresMFAMiddleware:
    """Staff reach the Wagtail (and Django) admin only after they have set up multi-factor authentication.

    allauth asks for the second factor at every login once it is enabled, so requiring it to be enabled here
    means every admin session was opened with two factors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(("/admin/", "/django-admin/")):
            user = request.user
            if user.is_authenticated and not is_mfa_enabled(user):
                return redirect(f"{reverse('accounts:mfa_required')}?next={path}")
        return self.get_response(request)
