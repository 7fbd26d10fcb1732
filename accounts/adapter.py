from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .network import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        # A new teacher is sent to the profile so the names on future certificates are right from the start.
        return reverse("accounts:profile")

    def get_client_ip(self, request):
        # One notion of the client's address for allauth's limits and ours (TRUSTED_PROXY_COUNT).
        return client_address(request)
