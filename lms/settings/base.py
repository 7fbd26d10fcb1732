"""Settings shared by every environment. Values that differ per deployment come from the environment."""

import os
from pathlib import Path

import dj_database_url

from lms.education_cloud import education_cloud_app, origin_of
from lms.security import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms",
    "core",
    "home",
    "courses",
    "assessments",
    "certification",
    "community",
    "accounts",
    "reports",
    "notifications",
    "discussions",
    "feedback",
    "competencies",
    "resources",
    "audit",
    "privacy",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

# Social providers are switched on from the environment, without code changes:
# SOCIAL_PROVIDERS=google,microsoft adds allauth.socialaccount.providers.google and .microsoft. Each one's
# credentials come from SOCIAL_<PROVIDER>_CLIENT_ID and SOCIAL_<PROVIDER>_SECRET, or from a social application
# added in the Django admin.
SOCIAL_PROVIDERS = env_list("SOCIAL_PROVIDERS")
INSTALLED_APPS += [f"allauth.socialaccount.providers.{name}" for name in SOCIAL_PROVIDERS]
# The education cloud's OpenID Connect sign-in (README, "Signing in with the education cloud"). The provider app is
# always installed; without OIDC_ISSUER and OIDC_CLIENT_ID it has no configured application and the sign-in page
# offers nothing more.
INSTALLED_APPS += ["allauth.socialaccount.providers.openid_connect"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After CSRF, which parses the upload; before any view can store it.
    "lms.antivirus.UploadScanMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (the keys name the reader), before the first middleware that reads one of them.
    "core.request_cache.CachePrefetchMiddleware",
    "accounts.middleware.AdminRequiresMFAMiddleware",
    "accounts.middleware.ConsentRequiredMiddleware",
    # After authentication: audit entries written while serving a request name its address (audit.context).
    "audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.routing.CachedPageRoutingMiddleware",
]

ROOT_URLCONF = "lms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "notifications.context_processors.notification_bell",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

# One database URL with an SQLite fallback.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache (Redis in production) and written through to the database, so a signed-in
# request does not query the session table.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts: e-mail only, verification mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Failed sign-ins: 5 per account in 5 minutes; a whole school shares one IP address, so the per-IP limit is wider.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/5m/key"}
# How many proxies of ours stand before the app server (the load balancer is one): every rate limit, allauth's
# and ours, counts the client address they saw (core.network). 0: the connection's own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Statements one learner may post per minute (courses.xapi): a long QuestionSet sends a few dozen.
XAPI_STATEMENTS_PER_MINUTE = int(os.environ.get("XAPI_STATEMENTS_PER_MINUTE", "120"))
# SCORM commits per learner per minute (courses/scorm/tracking.py); a SCO commits on every page and at the end.
SCORM_COMMITS_PER_MINUTE = int(os.environ.get("SCORM_COMMITS_PER_MINUTE", "120"))
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Teachers land on My learning after signing in; the account adapter sends staff to the admin.
LOGIN_REDIRECT_URL = "courses:dashboard"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The admin has no sign-in or password forms of its own: allauth's ask for the second factor.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
MFA_TOTP_ISSUER = "IE Academy"
OIDC_PROVIDER_ID = "education-cloud"  # in the callback URL: /accounts/oidc/education-cloud/login/callback/
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = env_list("OIDC_SCOPES", "openid,profile,email")
# Shown on the sign-in button; empty: "教育雲端帳號" in Chinese, "Education Cloud" in English.
OIDC_DISPLAY_NAME = os.environ.get("OIDC_DISPLAY_NAME", "")
# Social sign-in posts a form that redirects to the provider, which form-action must allow.
CONTENT_SECURITY_POLICY = content_security_policy(
    form_targets=(["https:"] if SOCIAL_PROVIDERS else []) + ([origin_of(OIDC_ISSUER)] if OIDC_ISSUER else [])
)
# Wagtail's page previews and the H5P player frame our own pages.
X_FRAME_OPTIONS = "SAMEORIGIN"
SOCIALACCOUNT_PROVIDERS = {
    name: {
        "APPS": [
            {
                "client_id": os.environ[f"SOCIAL_{name.upper()}_CLIENT_ID"],
                "secret": os.environ.get(f"SOCIAL_{name.upper()}_SECRET", ""),
            }
        ]
    }
    for name in SOCIAL_PROVIDERS
    if os.environ.get(f"SOCIAL_{name.upper()}_CLIENT_ID")
}
if OIDC_ISSUER and OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            education_cloud_app(
                OIDC_PROVIDER_ID, OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_SCOPES, OIDC_DISPLAY_NAME
            )
        ]
    }
# An education cloud account whose e-mail the provider has verified signs in to the local account with that
# address and is connected to it (education_cloud_app turns e-mail authentication on for that provider only);
# an unverified address is never matched, so it never reaches someone else's account.
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ADAPTER = "accounts.education_cloud.SocialAccountAdapter"

# Languages: Traditional Chinese first, English second, both in URLs.
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
# The H5P player (npm h5p-standalone, installed by `make install`) is served from /static/h5p-standalone/.
# The SCORM run-time (npm scorm-again) from /static/scorm-again/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("h5p-standalone", BASE_DIR / "node_modules" / "h5p-standalone" / "dist"),
    ("scorm-again", BASE_DIR / "node_modules" / "scorm-again" / "dist"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# H5P packages play in sandboxed frames served from this origin (scheme://host[:port], another host name for the
# same app servers, in ALLOWED_HOSTS), so their code never shares an origin with the site; empty: the site's own
# host, still sandboxed. See courses/h5p/player.py.
CONTENT_ORIGIN = os.environ.get("CONTENT_ORIGIN", "")
# Package files behind nginx: the internal location that maps to MEDIA_ROOT (e.g. "/_media-internal/"); Django
# checks the signed URL and nginx sends the file. Empty: Django streams the file.
H5P_X_ACCEL_REDIRECT = os.environ.get("H5P_X_ACCEL_REDIRECT", "")
# ClamAV's daemon for scanning every upload (lms/antivirus.py): a socket path or tcp://host:port. Unset: no scan.
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_TIMEOUT = int(os.environ.get("CLAMD_TIMEOUT", 30))
# How long a signed package URL (courses/h5p/access.py) stays valid, in seconds.
H5P_CONTENT_URL_SECONDS = int(os.environ.get("H5P_CONTENT_URL_SECONDS", 60 * 60))

# Media on the local disk by default; S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL"),
            "region_name": os.environ.get("AWS_S3_REGION_NAME"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# E-mail: console in development; SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IE Academy <no-reply@ie-academy.example>")

# Background work goes through Django's task API. Immediate here; the database queue in production.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "IE Academy"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The site search (search app) keeps a query's ranked list this long, keyed by the index's generation.
SEARCH_RESULTS_CACHE_SECONDS = int(os.environ.get("SEARCH_RESULTS_CACHE_SECONDS", "300"))
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv", "zip"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Where the development PKI (certificate signing key, CA) lives: outside the repository's tracked files.
PKI_ROOT = Path(os.environ.get("PKI_ROOT", BASE_DIR / "var" / "pki"))
# Sign certificates with a key inside a PKCS#11 module (HSM or smart card) instead of the PKCS#12 file: all three
# or none (docs/certificates.md). The signer certificate is read from the token (CERTIFICATE_PKCS11_CERTIFICATE_LABEL,
# default the key label) or, when CERTIFICATE_PKCS11_CERTIFICATE names one, from a file. The user PIN comes from the
# environment variable CERTIFICATE_PKCS11_PIN only.
CERTIFICATE_PKCS11_MODULE = os.environ.get("CERTIFICATE_PKCS11_MODULE", "")
CERTIFICATE_PKCS11_TOKEN_LABEL = os.environ.get("CERTIFICATE_PKCS11_TOKEN_LABEL", "")
CERTIFICATE_PKCS11_KEY_LABEL = os.environ.get("CERTIFICATE_PKCS11_KEY_LABEL", "")
CERTIFICATE_PKCS11_CERTIFICATE_LABEL = os.environ.get("CERTIFICATE_PKCS11_CERTIFICATE_LABEL", "")
CERTIFICATE_PKCS11_CERTIFICATE = os.environ.get("CERTIFICATE_PKCS11_CERTIFICATE", "")
CERTIFICATE_PKCS11_CHAIN = os.environ.get("CERTIFICATE_PKCS11_CHAIN", "")

DEFAULT_EXCEPTION_REPORTER_FILTER = "lms.error_reports.PersonalDataExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"lms": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
