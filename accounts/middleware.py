import re
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .consent import CACHE_KEY as POLICY_IN_FORCE_KEY
from .consent import needs_consent
from .two_factor import has_two_factors, holds_privileges, privilege_key

ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# The admins' own sign-in and password forms ask for a password only; everyone signs in through allauth,
# which asks for the second factor.
ADMIN_SIGN_IN_PATHS = ("/admin/login/", "/admin/password_reset/", "/django-admin/login/")


# What a privileged account without two factors may still open: signing in and out, setting up the authenticator
# and confirming it (allauth's and our account pages, in any language), what any page needs to load, and the
# one-click unsubscribe link of an e-mail, which its signed token authorises without a session.
OPEN_WITHOUT_TWO_FACTORS = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?(?:accounts/|static/|i18n/|healthz|notifications/unsubscribe/)"
)


def checked_keys(request):
    """What the two middlewares below read from the cache for a signed-in reader (``core.request_cache`` reads them
    with the page chrome's in one round trip)."""
    user = request.user
    if not user.is_authenticated:
        return []
    if user.is_staff or user.is_superuser:  # privileged without asking
        return [POLICY_IN_FORCE_KEY]
    return [privilege_key(user.pk), POLICY_IN_FORCE_KEY]


class AdminRequiresMFAMiddleware:
    """Privileged accounts (``accounts.two_factor.holds_privileges``: staff, the admin's groups, trainers,
    organisers, facilitators) reach nothing but their account pages until they have set up two-factor
    authentication, and their first authenticator is confirmed by e-mail.

    allauth asks for the second factor at every login once it is enabled, so requiring it here means every
    privileged session was opened with two factors.
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
        user = request.user
        if (
            user.is_authenticated
            and not OPEN_WITHOUT_TWO_FACTORS.match(path)
            and holds_privileges(user)
            and not has_two_factors(user)
        ):
            return redirect("accounts:mfa_required")
        return self.get_response(request)


# What a person who has not agreed to the terms in force may still open: the consent page itself and the notice
# (under /accounts/, like signing out and the two-factor set-up), and what any page needs. Not the profile, which a
# new account is sent to first.
OPEN_WITHOUT_CONSENT = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?(?:accounts/(?!profile/)|static/|i18n/|healthz|notifications/unsubscribe/)"
)


class ConsentRequiredMiddleware:
    """A signed-in person agrees to the privacy notice and terms in force before anything else, and again when a
    new version is published. Placed after :class:`AdminRequiresMFAMiddleware`: a privileged account without two
    factors is sent to set them up first, and the consent page is open to it (it is under /accounts/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not OPEN_WITHOUT_CONSENT.match(request.path_info)
            and needs_consent(request) is not None
        ):
            return redirect(f"{reverse('accounts:consent')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
