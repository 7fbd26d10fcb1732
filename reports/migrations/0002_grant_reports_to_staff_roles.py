from django.db import migrations

# The staff roles created by lms.0001_staff_roles, and the report permission each of them holds.
GRANTS = {
    "Trainers": "view_course_reports",
    "Certification administrators": "view_all_reports",
}
NAMES = {
    "view_all_reports": "Can see the reports on every course, session and certificate",
    "view_course_reports": "Can see the reports on the courses they train",
}


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate; create them now so that they can be granted.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="reports", model="report")
    for group_name, codename in GRANTS.items():
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": NAMES[codename]}
        )
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="reports", codename__in=list(NAMES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("lms", "0001_staff_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
