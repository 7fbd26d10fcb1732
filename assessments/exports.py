"""Attempts of a quiz as CSV or Excel: one row per finished attempt, the mark of each question by position."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from courses.views import spreadsheet_safe

from .models import Attempt


def attempt_rows(quiz, attempts):
    """The header and a row per finished attempt at ``quiz`` among ``attempts`` (those the reader may see)."""
    attempts = list(
        attempts.filter(quiz=quiz)
        .exclude(state=Attempt.State.IN_PROGRESS)
        .select_related("user")
        .prefetch_related("slots")
        .order_by("user__email", "number")
    )
    width = max((len(attempt.slots.all()) for attempt in attempts), default=0)
    header = [
        _("E-mail"),
        _("Attempt"),
        _("State"),
        _("Started"),
        _("Finished"),
        _("Closed at the deadline"),
        _("Marks"),
        _("Maximum marks"),
        _("Score (%)"),
    ] + [_("Q%(number)s") % {"number": n} for n in range(1, width + 1)]
    rows = [header]
    for attempt in attempts:
        marks = [slot.mark for slot in sorted(attempt.slots.all(), key=lambda s: s.position)]
        rows.append(
            [
                attempt.user.email,
                attempt.number,
                attempt.get_state_display(),
                attempt.started_at.isoformat(timespec="seconds"),
                attempt.finished_at.isoformat(timespec="seconds") if attempt.finished_at else "",
                attempt.closed_by_deadline,
                attempt.marks,
                attempt.max_marks,
                attempt.percent,
                *marks,
            ]
        )
    return rows


def attempts_csv(quiz, attempts) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in attempt_rows(quiz, attempts):
        writer.writerow([spreadsheet_safe("" if value is None else value) for value in row])
    return buffer.getvalue()


def attempts_xlsx(quiz, attempts) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Attempts")
    for row in attempt_rows(quiz, attempts):
        sheet.append([spreadsheet_safe(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
