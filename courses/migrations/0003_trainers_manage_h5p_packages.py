from django.db import migrations


class Migration(migrations.Migration):
    """Once granted Trainers the H5P package permissions; lms.roles now grants them after every migrate.

    Kept, without operations, because later migrations depend on it.
    """

    dependencies = [
        ("courses", "0002_h5p_content_json"),
    ]

    operations = []
