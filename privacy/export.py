"""“Download my data”: a person asks, a background task builds a zip of their data, a signed link hands it over.

The zip holds, for every registered part (:mod:`privacy.registry`), each table as JSON and as CSV, and the stored
files the part hands over (certificates' signed PDFs), with a bilingual ``README.txt``. It is built from the
person's own rows only (:mod:`privacy.tables` drops references to anyone else). The file lives in the default
storage under a random folder; only :func:`privacy.views.download_export` hands it out, to the person, through a
link signed for that export that expires with it, after which ``delete_expired_data_exports`` removes it.
"""

import csv
import datetime
import io
import json
import logging
import secrets
import tempfile
import zipfile

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import Action
from audit.recording import record
from notifications.delivery import notify
from notifications.emails import absolute, render_bilingual

from .models import DataExport, SignIn
from .registry import Attachment, Table, parts

logger = logging.getLogger(__name__)

# A week to come back for the file; the data stays in the database, and a new copy can be asked for.
RETENTION_DAYS = 7
# The sign-in history a person can read in their copy; older sign-ins are forgotten by the daily cleanup.
SIGN_IN_HISTORY_DAYS = 365
# Building a copy reads every table of the person: a few a day is plenty for anyone.
MAX_EXPORTS_PER_DAY = 3
DOWNLOAD_SALT = "privacy.data-export.download"

# Sent with ``export_id=`` once a request is committed; ``privacy.receivers`` queues the task that builds it.
export_requested = Signal()


class ExportRefused(Exception):
    """The person cannot ask for a copy now; the message says why, in their language."""


def request_export(user, request=None) -> DataExport:
    """Record the request (one in progress at a time, a few a day) and announce it when the transaction commits."""
    with transaction.atomic():
        # Lock the person's row: two requests at once cannot both find nothing in progress.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        mine = DataExport.objects.filter(user=user)
        if mine.filter(status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING]).exists():
            raise ExportRefused(_("A copy of your data is already being prepared. You will be told when it is ready."))
        since = timezone.now() - datetime.timedelta(days=1)
        if mine.filter(created_at__gte=since).count() >= MAX_EXPORTS_PER_DAY:
            raise ExportRefused(
                _("You have asked for %(count)d copies of your data in the last day. Please try again tomorrow.")
                % {"count": MAX_EXPORTS_PER_DAY}
            )
        export = DataExport.objects.create(user=user, language=translation.get_language() or "")
        record(Action.DATA_EXPORTED, actor=user, target=export, changes={"status": [None, "queued"]}, request=request)
        transaction.on_commit(lambda: export_requested.send(sender=DataExport, export_id=export.pk))
    return export


def download_token(export: DataExport) -> str:
    return signing.dumps({"export": export.pk, "user": export.user_id}, salt=DOWNLOAD_SALT, compress=True)


def download_url(export: DataExport) -> str:
    return reverse("privacy:download_export", args=[download_token(export)])


def export_for_token(token: str, user) -> DataExport | None:
    """The export a download link names, when the link is genuine, unexpired and the signed-in person's own."""
    try:
        signed = signing.loads(token, salt=DOWNLOAD_SALT, max_age=datetime.timedelta(days=RETENTION_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(signed, dict) or signed.get("user") != user.pk:
        return None
    export = DataExport.objects.filter(pk=signed.get("export"), user=user, status=DataExport.Status.READY).first()
    if export is None or export.is_expired() or not export.file:
        return None
    return export


def build_export(export_id: int) -> str:
    """Build a queued export's zip and tell the person; safe to run twice (only a queued export is started)."""
    started = DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED).update(
        status=DataExport.Status.RUNNING
    )
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or not started:
        return export.status if export else "missing"
    with translation.override(export.language or None):
        try:
            with tempfile.TemporaryFile() as archive:
                write_archive(export.user, archive)
                export.size = archive.tell()
                archive.seek(0)
                # A random folder: the address of the file cannot be guessed from the person or the date.
                name = f"{secrets.token_hex(16)}/personal-data-{timezone.localdate():%Y%m%d}.zip"
                export.file.save(name, File(archive), save=False)
        except Exception as error:
            logger.exception("Personal data export %s failed", export.pk)
            export.status, export.error = DataExport.Status.FAILED, type(error).__name__
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            notify(export.user, "data_export_failed", url=reverse("privacy:personal_data"))
            return export.status
        export.status = DataExport.Status.READY
        export.finished_at = timezone.now()
        export.expires_at = export.finished_at + datetime.timedelta(days=RETENTION_DAYS)
        export.save(update_fields=["status", "file", "size", "finished_at", "expires_at"])
    _announce(export)
    return export.status


def _announce(export: DataExport) -> None:
    link = absolute(download_url(export))
    context = {"link": link, "expires_at": export.expires_at, "page": absolute(reverse("privacy:personal_data"))}
    notify(
        export.user,
        "data_export_ready",
        url=reverse("privacy:personal_data"),
        # The message is read in either language: the date in a form both read alike.
        context={"expires": f"{timezone.localtime(export.expires_at):%Y-%m-%d %H:%M}"},
        email=render_bilingual("privacy/email/export_ready", context),
    )


def _csv(rows: list[dict]) -> str:
    columns = list(dict.fromkeys(key for values in rows for key in values))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for values in rows:
        writer.writerow(
            {
                key: json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
                for key, value in values.items()
            }
        )
    # A byte-order mark: spreadsheet programs then read the Chinese as UTF-8.
    return "\ufeff" + text.getvalue()


def write_archive(user, archive) -> list[str]:
    """Write the person's zip into the open binary file ``archive``; returns the names it holds."""
    names = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for part in parts():
            for item in part.export(user):
                if isinstance(item, Table):
                    base = f"{part.app}/{item.name}"
                    zipped.writestr(f"{base}.json", json.dumps(item.rows, ensure_ascii=False, indent=2))
                    zipped.writestr(f"{base}.csv", _csv(item.rows))
                    names += [f"{base}.json", f"{base}.csv"]
                elif isinstance(item, Attachment) and item.file:
                    name = f"{part.app}/{item.name}"
                    with item.file.open("rb") as stored:
                        zipped.writestr(name, stored.read())
                    names.append(name)
        readme = "\n\n----\n\n".join(_readme(language, user, names) for language in ("zh-hant", "en"))
        zipped.writestr("README.txt", readme)
    return names


def _readme(language, user, names):
    with translation.override(language):
        return render_to_string(
            "privacy/export_readme.txt", {"user": user, "names": names, "made_at": timezone.now()}
        ).strip()


def delete_expired_exports(now=None) -> int:
    """Delete the files and rows of exports that expired (or failed) more than their retention ago; returns how
    many."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(expires_at__lte=now) | DataExport.objects.filter(
        status=DataExport.Status.FAILED, created_at__lte=now - datetime.timedelta(days=RETENTION_DAYS)
    )
    deleted = 0
    for export in expired.iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        deleted += 1
    return deleted


def forget_old_sign_ins(now=None) -> int:
    """Delete sign-ins older than the history a person is shown; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=SIGN_IN_HISTORY_DAYS)
    return SignIn.objects.filter(at__lt=cutoff).delete()[0]
