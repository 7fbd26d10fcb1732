"""Consent to the privacy notice and terms in force: which version that is, and whether someone agreed to it.

The version in force is read once per minute at most (cached; a saved version clears it); whether a person agreed
to it is kept in their session once known, so a consenting person's request costs no query.
"""

from django.core.cache import cache
from django.db import IntegrityError, transaction

from core import request_cache

from .models import PolicyConsent, PolicyVersion

CACHE_KEY = "accounts:policy_in_force"
CACHE_SECONDS = 60
SESSION_KEY = "policy_consented_version"


def version_in_force() -> PolicyVersion | None:
    version = request_cache.get(CACHE_KEY)
    if version is None:
        version = PolicyVersion.objects.order_by("-version").first() or False
        cache.set(CACHE_KEY, version, CACHE_SECONDS)
    return version or None


def forget_version_in_force(**kwargs):
    cache.delete(CACHE_KEY)
    request_cache.forget(CACHE_KEY)


def needs_consent(request) -> PolicyVersion | None:
    """The version ``request.user`` has yet to agree to, or None."""
    version = version_in_force()
    if version is None or request.session.get(SESSION_KEY) == version.version:
        return None
    if PolicyConsent.objects.filter(user=request.user, version=version).exists():
        request.session[SESSION_KEY] = version.version
        return None
    return version


def record_consent(request, version: PolicyVersion) -> PolicyConsent:
    try:
        with transaction.atomic():
            consent = PolicyConsent.objects.create(user=request.user, version=version)
    except IntegrityError:  # a second tab agreed first
        consent = PolicyConsent.objects.get(user=request.user, version=version)
    request.session[SESSION_KEY] = version.version
    return consent
