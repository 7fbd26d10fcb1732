from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.db.models.signals import post_save

        from core import request_cache

        from . import education_cloud, privilege_audit
        from .consent import forget_version_in_force
        from .middleware import checked_keys
        from .models import PolicyVersion
        from .two_factor import ask_for_confirmation

        authenticator_added.connect(ask_for_confirmation, dispatch_uid="accounts.confirm_first_authenticator")
        privilege_audit.connect()
        post_save.connect(forget_version_in_force, sender=PolicyVersion, dispatch_uid="accounts.policy_in_force")
        education_cloud.connect()
        request_cache.prefetch(checked_keys)
