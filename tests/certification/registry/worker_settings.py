"""Settings of the task worker the worker tests start: the test settings with the database task queue, and the
keys and media folder of the test that started it (passed in the environment)."""

import os
from pathlib import Path

from lms.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PKI_ROOT = Path(os.environ["PKI_ROOT"])
MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
CERTIFICATE_SIGNING_PASSPHRASE = os.environ["CERTIFICATE_SIGNING_PASSPHRASE"]
CERTIFICATE_DEVELOPMENT_PKI = False
