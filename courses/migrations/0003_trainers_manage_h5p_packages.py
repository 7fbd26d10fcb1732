from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINERS = "Trainers"
H5P_PERMISSIONS = ["add_h5ppackage", "change_h5ppackage", "delete_h5ppackage", "view_h5ppackage"]


def grant(apps, schema_editor):
    """Trainers upload and manage H5P packages in the Wagtail admin."""
    courses = apps.get_app_config("courses")
    courses.models_module = True
    create_permissions(courses, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainers, _ = Group.objects.get_or_create(name=TRAINERS)
    trainers.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename__in=H5P_PERMISSIONS),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for trainers in Group.objects.filter(name=TRAINERS):
        trainers.permissions.remove(
            *Permission.objects.filter(content_type__app_label="courses", codename__in=H5P_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("courses", "0002_h5p_content_json"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
