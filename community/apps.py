from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        # These import models, which can be imported only once the app registry is ready.
        from django.db.models.signals import post_delete, post_save
        from wagtail.images import get_image_model

        from accounts.models import TeacherProfile, User
        from certification.models import Certificate
        from courses.models import TrainingSession

        from . import discussions
        from .directory import directory_changed
        from .models import CommunitySession, Expert, Membership
        from .models.networks import members_changed

        discussions.register()

        # The cached result lists show experts, their certificates' badges and their photos.
        for sender in (Expert, Certificate, get_image_model()):
            for signal in (post_save, post_delete):
                signal.connect(directory_changed, sender=sender, dispatch_uid=f"community.directory-changed.{sender}")
        # Signed-in readers' copies of community pages show members, their names and schools, and sessions.
        for sender in (Membership, CommunitySession, TrainingSession, User, TeacherProfile):
            for signal in (post_save, post_delete):
                signal.connect(members_changed, sender=sender, dispatch_uid=f"community.members-changed.{sender}")

        # Each app hands over and erases its own part of a person's data (privacy.registry).
        from privacy.registry import register

        from .personal_data import PART

        register(PART)
