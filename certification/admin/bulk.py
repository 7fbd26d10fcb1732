"""Bulk issue: an administrator names many teachers at once (a selection or a CSV of e-mail addresses); each one
becomes a :class:`BulkIssueItem`, so the batch's page can show issued / failed / left.

A task issues :data:`ITEMS_PER_TASK` items: what their certificates share (programme, courses, organisation) and
the teachers' profiles and records are read once for all of them, and a worker claims one task instead of dozens.
Each certificate is still issued in its own transactions, so a failure loses only its own item, and an item is
marked issued in the transaction that marks its certificate issued: after a crash, the items still waiting are
exactly the ones to issue again (``complete_pending_certificates``), and issuing one again finds its certificate.
"""

import csv
import io
import logging

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.models import TeacherProfile
from audit.models import Action
from audit.recording import record

from ..models import BulkIssue, BulkIssueItem, Certificate
from ..registry.eligibility import TeacherRecord
from ..registry.issuing import IssuingRefused, ProgrammeFacts, issue_and_complete, organisation

logger = logging.getLogger(__name__)

MAX_CSV_ROWS = 20000
# Large enough that a task's shared reads and the worker's claim are small beside 50 signatures (~1.5 s), small
# enough that 2 workers share a batch of a few hundred evenly.
ITEMS_PER_TASK = 50

# Sent with ``item_ids=`` (at most :data:`ITEMS_PER_TASK`) once a batch's transaction commits, for whoever issues
# them (``certification.receivers`` queues the ``issue_bulk_items`` task): the admin room never calls into tasks.
bulk_items_waiting = Signal()


class BulkIssueInputError(ValueError):
    """The CSV cannot be read; the message says why, in words an administrator understands."""


def decode_csv(data: bytes) -> str:
    """Text of an uploaded CSV: UTF-8 (with or without the BOM Excel writes) or Big5 (Excel on Traditional Chinese
    Windows)."""
    for encoding in ("utf-8-sig", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BulkIssueInputError(_("The file is neither UTF-8 nor Big5 text. Save it from Excel as “CSV UTF-8”."))


def emails_from_csv(data: bytes) -> list[str]:
    """The e-mail addresses of a CSV: the column headed "email" (or "e-mail", "電子郵件"), else the first column."""
    rows = list(csv.reader(io.StringIO(decode_csv(data))))
    if len(rows) > MAX_CSV_ROWS:
        raise BulkIssueInputError(_("The file has more than %(max)s rows.") % {"max": MAX_CSV_ROWS})
    if not rows:
        raise BulkIssueInputError(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((index for index, name in enumerate(header) if name in {"email", "e-mail", "電子郵件"}), None)
    if column is not None:
        rows = rows[1:]
    else:
        column = 0
    emails = []
    for row in rows:
        if len(row) > column and row[column].strip():
            emails.append(row[column].strip())
    if not emails:
        raise BulkIssueInputError(_("No e-mail addresses were found in the file."))
    return list(dict.fromkeys(emails))


def start_bulk_issue(programme, *, by, users=(), emails=(), source="") -> BulkIssue:
    """Create the batch and its items, and announce them :data:`ITEMS_PER_TASK` at a time when it commits."""
    user_model = get_user_model()
    by_email = {user.email.lower(): user for user in user_model.objects.filter(email__in=list(emails))}
    with transaction.atomic():
        batch = BulkIssue.objects.create(programme=programme, created_by=by, source=source[:200])
        items = [BulkIssueItem(batch=batch, user=user, requested_as=user.email) for user in users]
        for email in emails:
            user = by_email.get(email.lower())
            if user is None:
                items.append(
                    BulkIssueItem(
                        batch=batch,
                        requested_as=email[:254],
                        status=BulkIssueItem.Status.FAILED,
                        message=_("No account with this e-mail address."),
                    )
                )
            else:
                items.append(BulkIssueItem(batch=batch, user=user, requested_as=email[:254]))
        created = BulkIssueItem.objects.bulk_create(items)
        log(batch, "certification.bulk_issue", user=by, data={"items": len(created), "programme": programme.slug})
        record(
            Action.BULK_ISSUE,
            actor=by,
            target=batch,
            changes={"programme": programme.slug, "items": len(created), "source": batch.source},
        )
        waiting = [item.pk for item in created if item.status == BulkIssueItem.Status.WAITING]
        chunks = [waiting[start : start + ITEMS_PER_TASK] for start in range(0, len(waiting), ITEMS_PER_TASK)]
        transaction.on_commit(lambda: [bulk_items_waiting.send(sender=BulkIssue, item_ids=chunk) for chunk in chunks])
    return batch


def issue_items(item_ids) -> dict[str, int]:
    """Issue the waiting items among ``item_ids``, each on its own; returns how many ended issued, failed, or left
    waiting by an error (logged; ``complete_pending_certificates`` takes them up again)."""
    items = list(
        BulkIssueItem.objects.filter(pk__in=item_ids, status=BulkIssueItem.Status.WAITING)
        .select_related("batch__programme", "batch__created_by", "user")
        .order_by("pk")
    )
    outcome = dict.fromkeys(BulkIssueItem.Status.values, 0)
    if not items:
        return outcome
    user_ids = [item.user_id for item in items]
    profiles = {profile.user_id: profile for profile in TeacherProfile.objects.filter(user__in=user_ids)}
    records = TeacherRecord.load_many(user_ids)
    facts = {}
    organisation_settings = organisation()
    for item in items:
        programme = item.batch.programme
        if programme.pk not in facts:
            facts[programme.pk] = ProgrammeFacts.load(programme)
        try:
            status = issue_item(
                item,
                facts=facts[programme.pk],
                profile=profiles.get(item.user_id),
                record=records[item.user_id],
                organisation_settings=organisation_settings,
            )
        except Exception:
            logger.exception("Bulk issue item %s could not be issued; it stays waiting.", item.pk)
            # A connection the error broke is replaced for the next item (outside a transaction only).
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            status = BulkIssueItem.Status.WAITING
        outcome[status] += 1
    return outcome


def issue_item(item: BulkIssueItem, **shared) -> str:
    """Issue one item's certificate (render and sign included); safe to run again after a crash.

    ``shared`` passes on what :func:`issue_items` read once for many items (see
    :func:`certification.registry.issuing.issue_certificate`)."""
    if item.status != BulkIssueItem.Status.WAITING:
        return item.status

    def record_issued(certificate):
        item.status, item.certificate = BulkIssueItem.Status.ISSUED, certificate
        if certificate.created_at < item.batch.created_at:
            item.message = _("Already held: %(serial)s") % {"serial": certificate.serial}
        item.save(update_fields=["status", "message", "certificate"])

    try:
        issue_and_complete(
            item.user,
            item.batch.programme,
            origin=Certificate.Origin.BULK,
            by=item.batch.created_by,
            then=record_issued,
            **shared,
        )
    except IssuingRefused as refusal:
        item.status, item.message = BulkIssueItem.Status.FAILED, str(refusal)[:255]
        item.save(update_fields=["status", "message"])
    return item.status
