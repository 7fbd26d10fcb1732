from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from .two_factor import ask_for_confirmation

        authenticator_added.connect(ask_for_confirmation, dispatch_uid="accounts.confirm_first_authenticator")
