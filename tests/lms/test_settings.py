"""Settings that come from the environment, and the production settings' security."""

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "ie-academy.example.tw",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_django(code, **environment):
    """Run code in a fresh interpreter, where settings are read from the given environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SOCIAL_", "DJANGO_", "SECRET"))}
    env.update({"DJANGO_SETTINGS_MODULE": "lms.settings.test", **environment})
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_no_social_provider_unless_configured():
    assert not settings.SOCIAL_PROVIDERS
    # The OpenID Connect provider's code is always installed; it offers nothing until OIDC_ISSUER is set.
    installed = {config.name for config in apps.get_app_configs()}
    assert {name for name in installed if name.startswith("allauth.socialaccount.providers.")} == {
        "allauth.socialaccount.providers.openid_connect"
    }
    assert not settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS")


def test_social_providers_are_switched_on_from_the_environment():
    result = run_django(
        "from django.apps import apps\n"
        "from django.conf import settings\n"
        "from allauth.socialaccount import providers\n"
        "print(apps.is_installed('allauth.socialaccount.providers.google'))\n"
        "print(apps.is_installed('allauth.socialaccount.providers.github'))\n"
        "print(sorted(providers.registry.get_class_list() and [p.id for p in providers.registry.get_class_list()]))\n"
        "print(settings.SOCIALACCOUNT_PROVIDERS['google']['APPS'][0]['client_id'])\n"
        "print('github' in settings.SOCIALACCOUNT_PROVIDERS)\n",
        SOCIAL_PROVIDERS="google, github",
        SOCIAL_GOOGLE_CLIENT_ID="client-id.apps.googleusercontent.com",
        SOCIAL_GOOGLE_SECRET="client-secret",
    )
    installed_google, installed_github, registry, client_id, github_configured = result.stdout.splitlines()
    assert installed_google == installed_github == "True"
    assert "google" in registry and "github" in registry
    assert client_id == "client-id.apps.googleusercontent.com"
    # Without credentials in the environment, a provider takes its application from the admin.
    assert github_configured == "False"


def test_check_deploy_with_the_production_settings_is_clean():
    result = run_django(
        "from django.core.management import call_command\ncall_command('check', deploy=True, fail_level='WARNING')\n",
        **PRODUCTION_ENVIRONMENT,
    )
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update({**PRODUCTION_ENVIRONMENT, "SECRET_KEY": ""})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_security_settings():
    result = run_django(
        "from django.conf import settings as s\n"
        "print(s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)\n"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY)\n"
        "print(s.X_FRAME_OPTIONS, s.DEBUG, s.TASKS['default']['BACKEND'])\n",
        **PRODUCTION_ENVIRONMENT,
    )
    first, redirect, second = result.stdout.splitlines()
    assert first == "True True True"
    assert redirect == "True True"
    assert second == "SAMEORIGIN False django_tasks_db.DatabaseBackend"


@pytest.mark.django_db
def test_public_pages_carry_a_self_only_content_security_policy(client, home_page):
    policy = client.get("/zh-hant/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    script_sources = directives["script-src"].split()
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources
    # H5P packages run in sandboxed frames with their own policy: the site's allows no hashed script for them.
    assert not any(source.startswith("'sha256-") for source in script_sources)
    assert all(source.startswith("'") for source in script_sources), "no script from another host"
    assert client.get("/zh-hant/")["X-Frame-Options"] == "SAMEORIGIN"
