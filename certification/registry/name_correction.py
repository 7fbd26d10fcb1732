"""Correcting the name certificates print, at the holder's request and with an administrator's decision.

The holder asks (:func:`request_name_correction`) with a reason and, if they have one, a document as evidence;
certification administrators are told. An administrator who is not the holder approves or declines, with a reason.
Approval (:func:`approve_name_correction`) writes the corrected names into the holder's profile and, for each of
their valid current certificates, issues a new one (new serial, PDF signed as usual) that says the same with the
corrected name and the same validity, and revokes the old one with the reason :data:`NAME_CORRECTED`, all in one
transaction. A declined request changes nothing. Either way the evidence file is deleted once the decision is
made: it is identity papers, kept no longer than it is needed. Each step is in the audit trail and in Wagtail's log.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from accounts.models import TeacherProfile
from audit.models import Action
from audit.recording import record as audit
from notifications.delivery import notify

from ..models import Certificate, NameCorrectionRequest
from .issuing import IssuingRefused, issue_certificate, revoke_certificate

# The reason an old certificate is revoked with; shown as it is on the public verification page, in both languages.
NAME_CORRECTED = "姓名更正 Name corrected"
DECIDE_PERMISSION = "certification.change_namecorrectionrequest"


class NameCorrectionRefused(Exception):
    """The request cannot be made or decided (the message says why, for the person who asked)."""


def correctable_certificates(user):
    """The certificates a correction reissues: current, issued and not expired. An expired certificate is not
    brought back to life by a new name."""
    return (
        Certificate.objects.valid_on(timezone.localdate())
        .filter(user=user, is_current=True)
        .select_related("programme")
        .order_by("-issued_on", "-serial")
    )


def printed_names(user) -> tuple[str, str] | None:
    """The Chinese and English names as the holder's latest correctable certificate prints them."""
    latest = correctable_certificates(user).first()
    return (latest.holder_name_zh, latest.holder_name_en) if latest else None


def pending_request(user) -> NameCorrectionRequest | None:
    return NameCorrectionRequest.objects.filter(user=user, status=NameCorrectionRequest.Status.PENDING).first()


def request_name_correction(user, *, name_zh: str, name_en: str, reason: str, evidence=None) -> NameCorrectionRequest:
    """Queue a holder's request for the administrators. The names are checked by the form that collects them."""
    printed = printed_names(user)
    if printed is None:
        raise NameCorrectionRefused(_("You hold no valid certificate whose name could be corrected."))
    if (name_zh, name_en) == printed:
        raise NameCorrectionRefused(_("These are already the names your certificates print."))
    try:
        with transaction.atomic():
            request = NameCorrectionRequest(
                user=user,
                printed_name_zh=printed[0],
                printed_name_en=printed[1],
                name_zh=name_zh,
                name_en=name_en,
                reason=reason,
            )
            if evidence is not None:
                request.evidence.save(evidence.name, evidence, save=False)
            request.save()
    except IntegrityError:
        if request.evidence:
            request.evidence.delete(save=False)
        raise NameCorrectionRefused(
            _("You already have a request waiting for a decision; you will be told when it is decided.")
        ) from None
    log(request, "certification.name_correction.request", user=user, data=request.changes)
    transaction.on_commit(lambda: _tell_administrators(request))
    return request


def deciders():
    """Who may decide on a request: the active accounts that hold the permission (by group, by hand, superusers)."""
    app_label, codename = DECIDE_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission),
            is_active=True,
        )
        .distinct()
    )


def _tell_administrators(request: NameCorrectionRequest) -> None:
    url = reverse("certification_admin:review_name_correction", args=[request.pk])
    for administrator in deciders().exclude(pk=request.user_id):
        notify(administrator, "name_correction_requested", url=url, context={"actor": request.user.display_name})


def _decidable(request: NameCorrectionRequest, by) -> NameCorrectionRequest:
    """The request, locked, if ``by`` may decide it now."""
    if by.pk == request.user_id:
        raise NameCorrectionRefused(_("Nobody decides on a correction of their own name."))
    if not by.has_perm(DECIDE_PERMISSION):
        raise NameCorrectionRefused(_("You may not decide on name corrections."))
    locked = NameCorrectionRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if locked.status != NameCorrectionRequest.Status.PENDING:
        raise NameCorrectionRefused(_("This request has already been decided."))
    return locked


def approve_name_correction(request: NameCorrectionRequest, *, by, note: str = "") -> NameCorrectionRequest:
    """Correct the profile's names, reissue each valid current certificate with them and revoke the old ones."""
    with transaction.atomic():
        request = _decidable(request, by)
        holder = request.user
        profile = TeacherProfile.for_user(holder)
        before = {"name_zh": profile.name_zh, "name_en": profile.name_en}
        profile.name_zh, profile.name_en = request.name_zh, request.name_en
        profile.save(update_fields=["name_zh", "name_en", "updated_at"])
        reissued = []
        for old in correctable_certificates(holder):
            new = issue_certificate(holder, old.programme, origin=Certificate.Origin.CORRECTION, by=by, supersedes=old)
            if new.supersedes_id != old.pk:
                raise IssuingRefused(_("%(serial)s could not be reissued.") % {"serial": old.serial})
            revoke_certificate(old, reason=NAME_CORRECTED, by=by, tell_holder=False)
            reissued.append([old.serial, new.serial])
        request.status = NameCorrectionRequest.Status.APPROVED
        request.decided_at = timezone.now()
        request.decided_by = by
        request.decision_reason = note
        request.reissued = reissued
        request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "reissued"])
        log(request, "certification.name_correction.approve", user=by, data={"reissued": reissued})
        audit(
            Action.NAME_CORRECTED,
            actor=by,
            target=holder,
            changes={
                "name_zh": [request.printed_name_zh, request.name_zh],
                "name_en": [request.printed_name_en, request.name_en],
                "profile_before": before,
                "certificates": reissued,
                "request": request.pk,
            },
            reason=request.reason + (f"\n\n{note}" if note else ""),
        )
        transaction.on_commit(lambda: _decided(request, "name_correction_approved"))
    return request


def decline_name_correction(request: NameCorrectionRequest, *, by, reason: str) -> NameCorrectionRequest:
    """Decline with a reason the holder is told; names and certificates stay as they are."""
    reason = (reason or "").strip()
    if not reason:
        raise NameCorrectionRefused(_("Say why the request is declined; the holder is told."))
    with transaction.atomic():
        request = _decidable(request, by)
        request.status = NameCorrectionRequest.Status.DECLINED
        request.decided_at = timezone.now()
        request.decided_by = by
        request.decision_reason = reason
        request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        log(request, "certification.name_correction.decline", user=by, data={"reason": reason})
        audit(
            Action.NAME_CORRECTION_DECLINED,
            actor=by,
            target=request.user,
            changes={"request": request.pk, "requested": request.changes},
            reason=reason,
        )
        transaction.on_commit(lambda: _decided(request, "name_correction_declined"))
    return request


def _decided(request: NameCorrectionRequest, event: str) -> None:
    if request.evidence:
        default_storage.delete(request.evidence.name)
        NameCorrectionRequest.objects.filter(pk=request.pk).update(evidence="")
    notify(
        request.user,
        event,
        url="/certificates/name-correction/",
        context={
            "subject": f"{request.name_zh} / {request.name_en}",
            "reason": request.decision_reason,
        },
    )
