"""Settings of the task worker the worker test starts: the test settings with the database task queue."""

from lms.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
