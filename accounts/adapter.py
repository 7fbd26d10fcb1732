from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request):
        # A new teacher is sent to the profile so the names on future certificates are right from the start.
        return reverse("accounts:profile")
