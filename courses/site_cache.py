"""Course pages show their trainers' names, so a trainer's account or profile edit starts a new site cache
generation (``core.menu``): every cached page and fragment that could show the old name is retired at once."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from accounts.models import TeacherProfile
from core.menu import start_new_menu_generation

from .models import CoursePage


def start_new_generation_if_trainer(sender, instance, created=False, update_fields=None, **kwargs):
    """A sign-in only stamps ``last_login``, and a new account trains nothing yet: neither costs a query here."""
    user_id = getattr(instance, "user_id", None)
    if user_id is None:  # the account itself
        if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
            return
        user_id = instance.pk
    if CoursePage.trainers.through.objects.filter(user_id=user_id).exists():
        start_new_menu_generation()


def connect():
    """Called once, from the app's ``ready``."""
    for model in (get_user_model(), TeacherProfile):
        post_save.connect(start_new_generation_if_trainer, sender=model, dispatch_uid=f"menu-trainer-{model.__name__}")
