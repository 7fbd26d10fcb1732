"""Two factors for everyone who can see other people's data or act on certificates, not only staff.

*Privileged* is: staff and superusers; anyone the admin lets in (the Trainers and Certification administrators
groups, or the permission given by hand); the trainers of a course; the organisers of a session; the facilitators
of a community. They reach learners' records, CSV downloads, attendance and certificates, so a password alone must
not open any of it: ``accounts.middleware`` sends them to set up an authenticator before anything else.

A privileged account's first authenticator counts only once the account's owner confirms it from the e-mail it
sends (:class:`accounts.models.AuthenticatorConfirmation`): a stolen password is not enough to enrol one's own.
"""

import hashlib
import secrets
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import request_cache

from .models import AuthenticatorConfirmation, User

PRIVILEGE_CACHE_SECONDS = 60
CONFIRMATION_DAYS = 3
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def privilege_key(user_id):
    return f"accounts:privileged:{user_id}"


def holds_privileges(user) -> bool:
    """Whether ``user`` has a role that sees other people's data or acts on certificates (one query, cached)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    privileged = request_cache.get(privilege_key(user.pk))
    if privileged is None:
        # Reviewers of teaching resources read unpublished work and decide on it: privileged too.
        admin_access = Q(codename="access_admin", content_type__app_label="wagtailadmin") | Q(
            codename="review_resource", content_type__app_label="resources"
        )
        # The reverse relations of courses and community by name: accounts imports neither app.
        privileged = (
            User.objects.filter(pk=user.pk)
            .filter(
                Q(groups__permissions__in=_permission_ids(admin_access))
                | Q(user_permissions__in=_permission_ids(admin_access))
                | Q(trained_courses__isnull=False)
                | Q(organised_sessions__isnull=False)
                | Q(facilitated_communities__isnull=False)
            )
            .exists()
        )
        cache.set(privilege_key(user.pk), privileged, PRIVILEGE_CACHE_SECONDS)
    return privileged


def _permission_ids(query):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(query).values("pk")


def roles_changed(user_ids):
    """Forget the cached answer of :func:`holds_privileges` for these users (a role given or taken)."""
    keys = [privilege_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    request_cache.forget(*keys)


def has_two_factors(user) -> bool:
    """Whether ``user`` signs in with a second factor that counts: an authenticator app or security key that is
    confirmed, or that needed no confirmation."""
    if not user.is_authenticated:
        return False
    return (
        Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS)
        .filter(Q(confirmation__isnull=True) | Q(confirmation__confirmed_at__isnull=False))
        .exists()
    )


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def ask_for_confirmation(sender, request, user, authenticator, **kwargs):
    """Receiver of allauth's ``authenticator_added``: a privileged account's first second factor waits for the
    link sent to the account's e-mail address."""
    if authenticator.type not in SECOND_FACTORS or not holds_privileges(user):
        return
    others = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exclude(pk=authenticator.pk)
    if others.filter(Q(confirmation__isnull=True) | Q(confirmation__confirmed_at__isnull=False)).exists():
        return  # not the first: the account already has two factors, and used them to add this one
    key = secrets.token_urlsafe(32)
    AuthenticatorConfirmation.objects.create(authenticator=authenticator, key_digest=_digest(key))
    link = request.build_absolute_uri(reverse("accounts:confirm_authenticator", args=[key]))
    context = {"user": user, "link": link, "days": CONFIRMATION_DAYS}
    send_mail(
        _("Confirm your new authenticator"),
        render_to_string("accounts/email/confirm_authenticator.txt", context),
        None,
        [user.email],
    )


def confirm(key) -> AuthenticatorConfirmation | None:
    """Confirm the authenticator this key was sent for; None for an unknown, used or expired key."""
    confirmation = (
        AuthenticatorConfirmation.objects.filter(
            key_digest=_digest(key),
            confirmed_at__isnull=True,
            created_at__gt=timezone.now() - timedelta(days=CONFIRMATION_DAYS),
        )
        .select_related("authenticator")
        .first()
    )
    if confirmation is None:
        return None
    confirmation.confirmed_at = timezone.now()
    confirmation.save(update_fields=["confirmed_at"])
    return confirmation
