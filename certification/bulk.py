"""Bulk issue: an administrator names many teachers at once (a selection or a CSV of e-mail addresses); each one
becomes a :class:`BulkIssueItem` issued by its own task, so the batch's page can show issued / failed / left."""

import csv
import io

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .issuing import IssuingRefused, issue_and_complete
from .models import BulkIssue, BulkIssueItem, Certificate

MAX_CSV_ROWS = 20000


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
    """Create the batch and its items, and enqueue one task per item when the transaction commits."""
    from .tasks import issue_bulk_item

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
        waiting = [item.pk for item in created if item.status == BulkIssueItem.Status.WAITING]
        transaction.on_commit(lambda: [issue_bulk_item.enqueue(pk) for pk in waiting])
    return batch


def issue_item(item: BulkIssueItem) -> str:
    """Issue one item's certificate (render and sign included); safe to run again after a crash."""
    if item.status != BulkIssueItem.Status.WAITING:
        return item.status
    try:
        certificate = issue_and_complete(
            item.user, item.batch.programme, origin=Certificate.Origin.BULK, by=item.batch.created_by
        )
    except IssuingRefused as refusal:
        item.status, item.message = BulkIssueItem.Status.FAILED, str(refusal)[:255]
    else:
        item.status, item.certificate = BulkIssueItem.Status.ISSUED, certificate
        if certificate.created_at < item.batch.created_at:
            item.message = _("Already held: %(serial)s") % {"serial": certificate.serial}
    item.save(update_fields=["status", "message", "certificate"])
    return item.status
