from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-development-key-not-for-production"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# A second host name for the same runserver: Chromium and Firefox resolve *.localhost to the loopback address, so
# packages play on another origin than the site (http://localhost:8000) with no extra set-up.
CONTENT_ORIGIN = os.environ.get("CONTENT_ORIGIN", "http://content.localhost:8000")  # noqa: F405
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "content.localhost"]  # noqa: F405
