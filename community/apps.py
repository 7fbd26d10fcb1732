from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .directory import directory_changed
        from .models import Expert

        for signal in (post_save, post_delete):
            signal.connect(directory_changed, sender=Expert, dispatch_uid="community.directory-changed")
