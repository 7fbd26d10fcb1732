from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from core.network import client_address

from .access import has_staff_access


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        # A new teacher is sent to the profile so the names on future certificates are right from the start.
        return reverse("accounts:profile")

    def get_client_ip(self, request):
        # One notion of the client's address for allauth's limits and ours (TRUSTED_PROXY_COUNT).
        return client_address(request)

    def get_login_redirect_url(self, request):
        """Teachers land on their learning dashboard (``LOGIN_REDIRECT_URL``); staff who can open the admin
        land there. Called only when the sign-in carried no ``next``, which allauth follows first."""
        if has_staff_access(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)
