"""Account deletion: the person asks, confirms through a link sent to their e-mail address, and every registered
part (:mod:`privacy.registry`) erases or de-identifies what it holds of them, in one transaction.

The link is signed for the account and its current e-mail address and expires after a day; it works only for the
person signed in to that account, and only with a POST (a mail scanner opening it deletes nothing). An account with
privileges (staff, a superuser, an administrator, a trainer, a facilitator, a reviewer) is not deleted this way: its
roles must first be taken away by an administrator, so that nobody can erase a privileged account by stealing its
session.
"""

import datetime
import hashlib

from django.contrib.auth import logout
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.two_factor import holds_privileges
from audit.models import Action
from audit.recording import record
from notifications.emails import absolute, render_bilingual

from .registry import parts

CONFIRMATION_SALT = "privacy.account-deletion.confirm"
CONFIRMATION_HOURS = 24
# One confirmation e-mail per account in this many seconds: the button cannot be used to flood the mailbox.
RESEND_SECONDS = 300


class DeletionRefused(Exception):
    """The account cannot be deleted this way; the message says why."""


def refusal(user) -> str:
    """Why ``user`` may not delete their own account, or "" when they may."""
    if not user.is_authenticated or not user.is_active:
        return _("This account cannot be deleted.")
    if holds_privileges(user):
        return _(
            "Your account has privileges (administration, training, facilitating or reviewing). Ask an "
            "administrator to remove them first; then you can delete your account here."
        )
    return ""


def _fingerprint(user) -> str:
    # The link stops working when the address it was sent to, or the password, changes.
    return hashlib.sha256(f"{user.email}\n{user.password}".encode()).hexdigest()[:32]


def confirmation_token(user) -> str:
    return signing.dumps({"user": user.pk, "fingerprint": _fingerprint(user)}, salt=CONFIRMATION_SALT)


def token_is_valid(token: str, user) -> bool:
    """Whether the confirmation link ``token`` is genuine, unexpired, and for the signed-in ``user``."""
    try:
        signed = signing.loads(token, salt=CONFIRMATION_SALT, max_age=datetime.timedelta(hours=CONFIRMATION_HOURS))
    except signing.BadSignature:
        return False
    return (
        isinstance(signed, dict)
        and user.is_authenticated
        and signed.get("user") == user.pk
        and signed.get("fingerprint") == _fingerprint(user)
    )


def send_confirmation(user) -> None:
    """E-mail the person the link that confirms the deletion."""
    reason = refusal(user)
    if reason:
        raise DeletionRefused(reason)
    if not cache.add(f"privacy:deletion-link:{user.pk}", True, RESEND_SECONDS):
        raise DeletionRefused(
            _("A confirmation link was sent a few minutes ago. Look for it in your mailbox, or try again later.")
        )
    link = absolute(reverse("privacy:confirm_deletion", args=[confirmation_token(user)]))
    subject, body = render_bilingual(
        "privacy/email/confirm_deletion", {"link": link, "hours": CONFIRMATION_HOURS, "user": user}
    )
    send_mail(subject, body, None, [user.email])


def delete_account(user, request) -> dict[str, int]:
    """Erase the account and sign the person out; returns what each part did (also in the audit entry)."""
    reason = refusal(user)
    if reason:
        raise DeletionRefused(reason)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for part in parts():
            counts.update(part.erase(user))
        # After the erasure: the entry names the account's erased remainder, not the person.
        record(
            Action.ACCOUNT_DELETED,
            actor=user,
            target=user,
            changes={"erased": counts},
            reason=_("Deleted at the person's own request, confirmed by e-mail."),
            request=request,
        )
    logout(request)
    return counts
