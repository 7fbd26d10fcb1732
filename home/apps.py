from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")

    def ready(self):
        # These import models, which can be imported only once the app registry is ready.
        from django.db.models.signals import post_delete, post_save

        from core.menu import start_new_generation_on_settings_save, start_new_menu_generation
        from core.routing import read_with_site

        from .models import OrganisationSettings, organisation_settings_key

        read_with_site(organisation_settings_key)

        # Every page's header and footer show the organisation settings.
        post_delete.connect(
            start_new_menu_generation, sender=OrganisationSettings, dispatch_uid="menu-settings-deleted"
        )
        post_save.connect(
            start_new_generation_on_settings_save, sender=OrganisationSettings, dispatch_uid="menu-settings-saved"
        )
