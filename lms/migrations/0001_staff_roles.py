from django.db import migrations

GROUPS = ["Trainers", "Certification administrators"]


def create_groups(apps, schema_editor):
    """The staff roles. Their permissions are granted by lms.roles.sync_roles after every migrate."""
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
