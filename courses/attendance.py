"""Registration and attendance for any ``TrainingSession``: course workshops and community sessions alike.

Nothing here knows which kind of session it handles; community sessions reuse it as it is. Attendance is
recorded three ways (ticked on a list, a CSV of e-mail addresses, a short-lived check-in code) and every
recording sends ``courses.signals.progress_changed``, since attended hours count toward certification.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import has_staff_access
from audit.models import Action
from audit.recording import record
from notifications.delivery import notify

from .models import Attendance, CoursePage, Registration, TrainingSession, WorkshopPage
from .models.pages import canonical
from .signals import announce_progress

# Where a registration notification leads: the learner's dashboard lists their sessions (language-neutral path).
DASHBOARD_PATH = "/learning/"
CHECKIN_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud and typed on phones
CHECKIN_CODE_LENGTH = 6
CHECKIN_MINUTES = 15
CHECKIN_ATTEMPTS_PER_MINUTE = 10
CSV_MAX_BYTES = 2 * 1024 * 1024
CSV_MAX_ROWS = 5000
EMAIL_HEADERS = {"email", "e-mail", "mail", "電子郵件", "電子信箱", "email address", "e-mail address", "信箱"}


class AttendanceError(Exception):
    """A registration, check-in or upload is refused; ``str(error)`` is a sentence for the person."""


def can_manage_session(user, session: TrainingSession) -> bool:
    """Staff, the session's organisers, and the trainers of the course a workshop belongs to."""
    if not user.is_authenticated:
        return False
    if has_staff_access(user) or session.organisers.filter(pk=user.pk).exists():
        return True
    for page in session.workshop_pages.all():
        parent = page.get_parent().specific
        if isinstance(parent, CoursePage) and canonical(parent).trainers.filter(pk=user.pk).exists():
            return True
    return False


def register(session: TrainingSession, user) -> Registration:
    """Register ``user``; when the session is full they join the waiting list instead."""
    with transaction.atomic():
        # Locking the session serialises registrations, so two people cannot both take the last seat.
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.ends_at <= timezone.now():
            raise AttendanceError(_("This session is over; registration is closed."))
        registration = Registration.objects.filter(session=session, user=user).first()
        if registration and registration.status != Registration.Status.CANCELLED:
            return registration
        taken = session.registrations.filter(status=Registration.Status.REGISTERED).count()
        full = session.capacity is not None and taken >= session.capacity
        status = Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
        if registration:
            # Re-registering after a cancellation puts them at the back of the queue.
            registration.delete()
        registration = Registration.objects.create(session=session, user=user, status=status)
        event = "waitlisted" if status == Registration.Status.WAITLISTED else "registered"
        notify(user, event, url=DASHBOARD_PATH, context=_titles(session))
        return registration


def session_titles(session: TrainingSession) -> dict[str, str]:
    """The session's name by language code: a workshop's translations share one session, which keeps the title of
    the page that created it."""
    return dict(WorkshopPage.objects.filter(session=session).values_list("locale__language_code", "title"))


def _titles(session: TrainingSession) -> dict:
    """The session's name in each language, for a notice read in either."""
    titles = session_titles(session)
    return {"subject": titles.get("zh-hant", session.title), "subject_en": titles.get("en", session.title)}


def cancel_registration(session: TrainingSession, user) -> Registration | None:
    """Cancel ``user``'s place; the first person on the waiting list takes it. Returns whom it promoted."""
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        registration = Registration.objects.filter(session=session, user=user).exclude(
            status=Registration.Status.CANCELLED
        )
        registration = registration.first()
        if registration is None:
            return None
        freed_a_seat = registration.status == Registration.Status.REGISTERED
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status"])
        if not freed_a_seat:
            return None
        waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")
        promoted = waiting.first()
        if promoted is not None:
            promoted.status = Registration.Status.REGISTERED
            promoted.save(update_fields=["status"])
            notify(promoted.user, "waitlist_promoted", url=DASHBOARD_PATH, context=_titles(session))
        return promoted


def record_attendance(session: TrainingSession, user, method, by=None) -> tuple[Attendance, bool]:
    """Record that ``user`` attended ``session``; recording twice keeps the first. Returns (attendance, created).

    Attendance recorded by someone else (``by``: an organiser's list or CSV) goes into the audit trail; a learner's
    own check-in does not, since it is no privileged action."""
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(session=session, user=user, method=method, recorded_by=by)
            if by is not None:
                record(
                    Action.ATTENDANCE_CHANGED,
                    actor=by,
                    target=attendance,
                    changes={"attended": [False, True], "method": method, "session": session.pk},
                )
    except IntegrityError:
        return Attendance.objects.get(session=session, user=user), False
    announce_progress(user)
    return attendance, True


def attendance_from_list(session: TrainingSession, user_ids, by) -> int:
    """Record the ticked participants of the session's registration list; returns how many were new."""
    registered = Registration.objects.filter(session=session, user_id__in=user_ids).exclude(
        status=Registration.Status.CANCELLED
    )
    created = 0
    for registration in registered.select_related("user"):
        created += record_attendance(session, registration.user, Attendance.Method.LIST, by)[1]
    return created


@dataclass
class UnmatchedRow:
    line: int
    value: str
    reason: str


@dataclass
class CsvAttendanceReport:
    recorded: list = field(default_factory=list)
    already_recorded: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)

    @property
    def row_count(self):
        return len(self.recorded) + len(self.already_recorded) + len(self.unmatched)


def decode_csv(data: bytes) -> str:
    """Text from a CSV as teachers save it: UTF-8 (with or without BOM) or Big5 from Excel on Taiwanese Windows."""
    for encoding in ("utf-8-sig", "cp950"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AttendanceError(_("The file is neither UTF-8 nor Big5 text. Save it from Excel as “CSV UTF-8” and retry."))


def email_rows(text):
    """``(line number, cell)`` for each data row: the e-mail column if a header names one, else the first cell."""
    reader = csv.reader(io.StringIO(text))
    column = 0
    for row in reader:
        if len(row) and reader.line_num == 1:
            headers = [cell.strip().lower() for cell in row]
            named = [i for i, header in enumerate(headers) if header in EMAIL_HEADERS]
            if named:
                column = named[0]
                continue
            if not any("@" in cell for cell in row):
                continue
        if reader.line_num > CSV_MAX_ROWS:
            raise AttendanceError(_("The file has more than %(count)d rows.") % {"count": CSV_MAX_ROWS})
        if not any(cell.strip() for cell in row):
            continue
        yield reader.line_num, (row[column] if column < len(row) else "").strip()


def registered_participants(session: TrainingSession):
    """The ids of the people the session's list may credit: everyone registered (or waiting) and not cancelled."""
    return session.registrations.exclude(status=Registration.Status.CANCELLED).values("user_id")


def attendance_from_csv(session: TrainingSession, upload, by, participants=None, outsider=None) -> CsvAttendanceReport:
    """Record attendance from an uploaded CSV of e-mail addresses. Every row it cannot match is reported.

    Only ``participants`` (user ids; by default the session's registered participants, as the tick list) are
    credited: an account outside them is reported with ``outsider`` as the reason, never recorded, since attended
    hours count toward certificates. A community session passes its community's members.
    """
    if participants is None:
        participants = registered_participants(session)
        outsider = _("not registered for this session")
    data = upload.read(CSV_MAX_BYTES + 1)
    if len(data) > CSV_MAX_BYTES:
        raise AttendanceError(_("The file is larger than 2 MB."))
    try:
        rows = list(email_rows(decode_csv(data)))
    except csv.Error as error:
        raise AttendanceError(_("The file is not a readable CSV (%(reason)s).") % {"reason": error}) from error
    report = CsvAttendanceReport()
    wanted = {}
    for line, value in rows:
        try:
            validate_email(value)
        except ValidationError:
            report.unmatched.append(UnmatchedRow(line, value, _("not an e-mail address")))
            continue
        wanted.setdefault(value.lower(), []).append((line, value))
    accounts = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(wanted), is_active=True)
        .annotate(participates=Exists(participants.filter(user_id=OuterRef("pk"))))
    )
    users = {user.email_lower: user for user in accounts}
    for email, occurrences in wanted.items():
        user = users.get(email)
        for position, (line, value) in enumerate(occurrences):
            if user is None:
                report.unmatched.append(UnmatchedRow(line, value, _("no account has this e-mail address")))
            elif not user.participates:
                report.unmatched.append(UnmatchedRow(line, value, outsider))
            elif position:
                report.unmatched.append(UnmatchedRow(line, value, _("repeats an earlier row")))
            elif record_attendance(session, user, Attendance.Method.CSV, by)[1]:
                report.recorded.append(user)
            else:
                report.already_recorded.append(user)
    report.unmatched.sort(key=lambda row: row.line)
    return report


def issue_checkin_code(session: TrainingSession, minutes=CHECKIN_MINUTES, now=None) -> str:
    """Give ``session`` a fresh check-in code, valid for ``minutes``, unique among the codes still valid."""
    now = now or timezone.now()
    while True:
        code = "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))
        clash = TrainingSession.objects.filter(checkin_code=code, checkin_code_expires_at__gt=now).exists()
        if not clash:
            break
    session.checkin_code = code
    session.checkin_code_expires_at = now + timedelta(minutes=minutes)
    session.save(update_fields=["checkin_code", "checkin_code_expires_at"])
    return code


def check_in(user, code, now=None) -> Attendance:
    """Record ``user``'s attendance at the session whose valid check-in code they typed."""
    now = now or timezone.now()
    attempts_key = f"courses:checkin-attempts:{user.pk}:{int(now.timestamp()) // 60}"
    cache.add(attempts_key, 0, timeout=60)
    if cache.incr(attempts_key) > CHECKIN_ATTEMPTS_PER_MINUTE:
        raise AttendanceError(_("Too many attempts. Wait a minute and try again."))
    code = "".join(code.split()).upper()
    session = TrainingSession.objects.filter(checkin_code=code).first() if code else None
    if session is None:
        raise AttendanceError(_("This check-in code is not valid."))
    if session.checkin_code_expires_at is None or session.checkin_code_expires_at <= now:
        raise AttendanceError(_("This check-in code has expired. Ask the organiser for a new one."))
    # A session that takes registrations admits its registered participants; one that does not (a community
    # session open to its members) admits whoever was there to see the code.
    uses_registration = session.registrations.exists()
    registered = session.registrations.filter(user=user, status=Registration.Status.REGISTERED).exists()
    if uses_registration and not registered:
        raise AttendanceError(_("You are not registered for this session."))
    return record_attendance(session, user, Attendance.Method.CODE, by=user)[0]


def session_overview(session: TrainingSession | None, user):
    """What a session's page shows: seats, the reader's registration and attendance."""
    if session is None:
        return {"session": None}
    registered = session.registrations.filter(status=Registration.Status.REGISTERED).count()
    registration = attended = None
    if user.is_authenticated:
        registration = session.registrations.filter(user=user).exclude(status=Registration.Status.CANCELLED).first()
        attended = session.attendances.filter(user=user).first()
    return {
        "session": session,
        "registered_count": registered,
        "seats_left": None if session.capacity is None else max(session.capacity - registered, 0),
        "registration": registration,
        "attendance": attended,
        "is_over": session.ends_at <= timezone.now(),
    }
