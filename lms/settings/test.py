import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production-use-only-in-tests"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Certificates are signed in many tests (issuing, demo content): a throwaway development PKI outside the checkout,
# made on first use, unless PKI_ROOT names one (as for the task worker a test starts). The pytest-xdist workers
# share it: `ensure_development_pki` creates it under a file lock and each file appears whole, never rewritten.
PKI_ROOT = Path(os.environ.get("PKI_ROOT") or Path(tempfile.gettempdir()) / "ie-academy-test-pki")  # noqa: F405
CERTIFICATE_DEVELOPMENT_PKI = True

# Audit entries are append-only (audit/models.py): a transactional test's serialized rollback would rewrite the rows
# the migrations wrote (role sync) with UPDATE, which the database refuses. They are left out of the snapshot.
TEST_NON_SERIALIZED_APPS = ["audit"]
