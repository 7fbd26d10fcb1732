from django.apps import AppConfig, apps
from django.db import models
from django.db.models.signals import post_migrate, post_save


def sync_roles_after_migrate(sender, using, **kwargs):
    # post_migrate is sent once per app, in INSTALLED_APPS order; wait for the last one so that every app's
    # tables exist, and create the permissions first (their own receivers may not have run yet).
    if sender is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    # Both import models: this module is imported before the app registry is ready.
    from django.contrib.auth.management import create_permissions

    from .roles import sync_roles

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_roles()


def grant_trainers_new_index(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        # roles imports models: this module is imported before the app registry is ready.
        from .roles import grant_trainer_pages

        grant_trainer_pages([instance])


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "IE Academy"

    def ready(self):
        # Both import models, which can be imported only once the app registry is ready.
        from wagtail.admin.forms.models import register_form_field_override

        from .roles import TRAINER_PAGE_TYPES

        # In the admin's forms too, a link typed without a scheme means https (Django 6's default, chosen now).
        register_form_field_override(models.URLField, override={"assume_scheme": "https"})

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="lms.sync_roles")
        for app_label, model_name in TRAINER_PAGE_TYPES:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            post_save.connect(grant_trainers_new_index, sender=model, dispatch_uid=f"lms.grant_trainers.{model_name}")
