"""Reports that leave the platform as CSV or Excel files.

Rows come from ``values_list(...).iterator()`` so that memory stays flat however many there are. CSV is streamed
as it is produced; an Excel workbook is written row by row (openpyxl's write-only mode) by a background task
(``reports/export_jobs.py``), whatever its size, and downloaded when it is ready. Text that a spreadsheet would
run as a formula is neutralised with a leading apostrophe.
"""

import csv
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from accounts.choices import County, SchoolLevel
from accounts.models import User
from certification.models import Certificate
from competencies.models import Indicator, SchoolStage
from courses.choices import Assurance
from courses.models import Attendance, Enrolment, ModuleProgress, TrainingSession

from .statistics import cohort, course_filter, issued_certificates, learner_filter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PROFILE_FIELDS = (
    "teacher_profile__name_zh",
    "teacher_profile__name_en",
    "teacher_profile__school",
    "teacher_profile__county",
    "teacher_profile__school_level",
)
PROFILE_COLUMNS = (_("Name in Chinese"), _("Name in English"), _("School"), _("County/city"), _("School level"))


@dataclass(frozen=True)
class Export:
    slug: str
    title: str
    description: str
    columns: tuple
    rows: Callable
    needs_everything: bool = False

    def allowed_for(self, scope) -> bool:
        return scope.everything or not self.needs_everything


def labels(choices) -> dict[str, str]:
    """Choice labels in the current language, looked up once per export rather than once per row."""
    return {value: str(label) for value, label in choices}


def profile_values(row, start, counties, levels):
    """The profile part of a row (five values from ``start``) with its codes turned into words."""
    name_zh, name_en, school, county, level = row[start : start + 5]
    return (name_zh or "", name_en or "", school or "", counties.get(county, ""), levels.get(level, ""))


def prefixed(prefix, fields):
    return tuple(f"{prefix}{name}" for name in fields)


def _completed_modules(**only):
    """The number of the enrolment's modules completed (and matching ``only``), as a subquery."""
    modules = (
        ModuleProgress.objects.filter(
            user=OuterRef("user"), course=OuterRef("course"), status=ModuleProgress.Status.COMPLETED, **only
        )
        .values("user")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(modules, output_field=IntegerField()), 0)


def learner_progress_rows(scope, filters) -> Iterator[tuple]:
    rows = (
        cohort(scope, filters)
        .annotate(
            completed_modules=_completed_modules(),
            # Completions the server could not check (the activity's own report): a reader weighs them apart.
            reported_modules=_completed_modules(assurance=Assurance.REPORTED),
        )
        .order_by("course__title", "user__email", "pk")
        .values_list(
            "course__title",
            "user__email",
            *prefixed("user__", PROFILE_FIELDS),
            "status",
            "enrolled_at",
            "completed_modules",
            "reported_modules",
            "progress_percent",
            "completed_at",
        )
    )
    counties, levels, statuses = labels(County.choices), labels(SchoolLevel.choices), labels(Enrolment.Status.choices)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield (row[0], row[1], *profile_values(row, 2, counties, levels), statuses.get(row[7], row[7]), *row[8:])


def certificate_registry_rows(scope, filters) -> Iterator[tuple]:
    rows = (
        issued_certificates(filters)
        .order_by("issued_on", "serial")
        .values_list(
            "serial",
            "status",
            "holder_name_zh",
            "holder_name_en",
            "user__email",
            "school",
            "county",
            "user__teacher_profile__school_level",
            "programme_name_zh",
            "programme_name_en",
            "hours",
            "score",
            "issued_on",
            "valid_until",
            "revoked_at",
            "revocation_reason",
        )
    )
    counties, levels, statuses = (
        labels(County.choices),
        labels(SchoolLevel.choices),
        labels(Certificate.Status.choices),
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield (
            row[0],
            statuses.get(row[1], row[1]),
            *row[2:6],
            counties.get(row[6], ""),
            levels.get(row[7], ""),
            *row[8:],
        )


def attendance_rows(scope, filters) -> Iterator[tuple]:
    rows = (
        Attendance.objects.filter(
            learner_filter(filters),
            session__in=scope.sessions(),
            session__starts_at__gte=filters.start,
            session__starts_at__lt=filters.end,
        )
        .order_by("session__starts_at", "session", "user__email")
        .values_list(
            "session__kind",
            "session__title",
            "session__starts_at",
            "session__hours",
            "user__email",
            *prefixed("user__", PROFILE_FIELDS),
            "method",
            "recorded_at",
        )
    )
    counties, levels = labels(County.choices), labels(SchoolLevel.choices)
    kinds, methods = labels(TrainingSession.Kind.choices), labels(Attendance.Method.choices)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield (
            kinds.get(row[0], row[0]),
            *row[1:5],
            *profile_values(row, 5, counties, levels),
            methods.get(row[10], row[10]),
            row[11],
        )


def summed(queryset, field_name):
    """A correlated subquery: the sum of ``field_name`` over ``queryset`` for the outer user, 0 when none."""
    total = queryset.filter(user=OuterRef("pk")).values("user").annotate(total=Sum(field_name)).values("total")
    return Coalesce(Subquery(total, output_field=DecimalField()), Value(Decimal(0)), output_field=DecimalField())


def hours(value) -> Decimal:
    """Hours to one decimal place, whatever the database's arithmetic returned."""
    return Decimal(value).quantize(Decimal("0.1"))


def hours_per_teacher_rows(scope, filters) -> Iterator[tuple]:
    """Study hours earned in the date range: courses completed in it, sessions that ended in it."""
    completed = Enrolment.objects.filter(
        course_filter(scope, filters), completed_at__gte=filters.start, completed_at__lt=filters.end
    )
    attended = Attendance.objects.filter(
        session__in=scope.sessions(), session__ends_at__gte=filters.start, session__ends_at__lt=filters.end
    )
    workshops = attended.filter(session__kind=TrainingSession.Kind.WORKSHOP)
    community = attended.filter(session__kind=TrainingSession.Kind.COMMUNITY)
    community_sessions = community.filter(user=OuterRef("pk")).values("user").annotate(total=Count("pk"))
    # Only teachers with something in the range: the sums below are then computed for them alone.
    earned = Q(Exists(completed.filter(user=OuterRef("pk")))) | Q(Exists(attended.filter(user=OuterRef("pk"))))
    rows = (
        User.objects.filter(earned, learner_filter(filters, prefix=""))
        .annotate(
            online_hours=summed(completed, "course__study_hours"),
            workshop_hours=summed(workshops, "session__hours"),
            community_hours=summed(community, "session__hours"),
            community_sessions=Coalesce(Subquery(community_sessions.values("total"), output_field=IntegerField()), 0),
        )
        .order_by("email", "pk")
        .values_list(
            "email", *PROFILE_FIELDS, "online_hours", "workshop_hours", "community_sessions", "community_hours"
        )
    )
    counties, levels = labels(County.choices), labels(SchoolLevel.choices)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        online, workshop, community_hours = (hours(row[6]), hours(row[7]), hours(row[9]))
        yield (
            row[0],
            *profile_values(row, 1, counties, levels),
            online,
            workshop,
            row[8],
            community_hours,
            online + workshop + community_hours,
        )


def _completions(queryset, relation):
    """How many rows of ``queryset`` (completions) belong to pages aligned to the indicator, as a subquery."""
    counted = (
        queryset.filter(**{f"{relation}__competency_indicators": OuterRef("pk")})
        .order_by()
        .values(f"{relation}__competency_indicators")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def indicator_completion_rows(scope, filters) -> Iterator[tuple]:
    """Each indicator of a published or retired framework version, with the courses and modules aligned to it
    that were completed in the date range (by learners and in courses the filters keep): one query."""
    in_range = {"completed_at__gte": filters.start, "completed_at__lt": filters.end}
    courses = Enrolment.objects.filter(course_filter(scope, filters), learner_filter(filters), **in_range)
    modules = ModuleProgress.objects.filter(
        course_filter(scope, filters),
        learner_filter(filters),
        status=ModuleProgress.Status.COMPLETED,
        **in_range,
    )
    rows = (
        Indicator.objects.citable()
        .with_framework()
        .annotate(
            course_completions=_completions(courses, "course"), module_completions=_completions(modules, "module")
        )
        .values_list(
            "area__framework__name_zh",
            "area__framework__name_en",
            "area__framework__version",
            "area__code",
            "area__name_zh",
            "area__name_en",
            "code",
            "title_zh",
            "title_en",
            "stage",
            "course_completions",
            "module_completions",
        )
    )
    stages = labels(SchoolStage.choices)
    english = translation.get_language() == "en"
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        framework = row[1] if english else row[0]
        area = row[5] if english else row[4]
        yield (framework, row[2], row[3], area, row[6], row[7], row[8], stages.get(row[9], row[9]), row[10], row[11])


EXPORTS = {
    export.slug: export
    for export in (
        Export(
            "learner-progress",
            _("Learner progress"),
            _("Every enrolment made in the date range, with the modules completed and the progress."),
            (
                _("Course"),
                _("E-mail address"),
                *PROFILE_COLUMNS,
                _("Status"),
                _("Enrolled at"),
                _("Modules completed"),
                _("of which only reported by the activity"),
                _("Progress (%)"),
                _("Completed at"),
            ),
            learner_progress_rows,
        ),
        Export(
            "certificate-registry",
            _("Certificate registry"),
            _("Every certificate issued in the date range, including revoked ones."),
            (
                _("Serial number"),
                _("Status"),
                _("Holder name in Chinese"),
                _("Holder name in English"),
                _("E-mail address"),
                _("School"),
                _("County/city"),
                _("School level"),
                _("Programme name in Chinese"),
                _("Programme name in English"),
                _("Hours"),
                _("Score"),
                _("Date of issue"),
                _("Valid until"),
                _("Revoked at"),
                _("Reason for revocation"),
            ),
            certificate_registry_rows,
            needs_everything=True,
        ),
        Export(
            "attendance",
            _("Workshop and community-session attendance"),
            _("Everyone recorded as present at a session that started in the date range."),
            (
                _("Kind"),
                _("Session"),
                _("Starts at"),
                _("Hours"),
                _("E-mail address"),
                *PROFILE_COLUMNS,
                _("Recorded by way of"),
                _("Recorded at"),
            ),
            attendance_rows,
        ),
        Export(
            "hours-per-teacher",
            _("Study hours per teacher (研習時數)"),
            _("Hours earned in the date range: online courses completed and sessions attended."),
            (
                _("E-mail address"),
                *PROFILE_COLUMNS,
                _("Online course hours"),
                _("Workshop hours"),
                _("Community sessions"),
                _("Community session hours"),
                _("Total study hours"),
            ),
            hours_per_teacher_rows,
        ),
        Export(
            "indicator-completions",
            _("Completions per competency indicator"),
            _("For each competency indicator, the aligned courses and modules completed in the date range."),
            (
                _("Framework"),
                _("Version"),
                _("Area code"),
                _("Area"),
                _("Indicator code"),
                _("Indicator in Chinese"),
                _("Indicator in English"),
                _("School stage"),
                _("Courses completed"),
                _("Modules completed"),
            ),
            indicator_completion_rows,
        ),
    )
}


def neutralised(value):
    """Text a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def local(value):
    """Date-times in the platform's time zone, without a zone (spreadsheets have none)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return local(value).isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(neutralised(value))


def xlsx_value(value):
    if isinstance(value, str):
        return neutralised(value)
    return local(value)


class _Echo:
    """A file-like object that hands back what is written, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def file_name(export, filters, extension) -> str:
    return f"{export.slug}_{filters.first_day:%Y%m%d}-{filters.last_day:%Y%m%d}.{extension}"


def csv_response(export, scope, filters) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = [str(column) for column in export.columns]
    rows = export.rows(scope, filters)

    language = translation.get_language()

    def lines():
        # The rows are produced after the view has returned, when the request's language is no longer active.
        with translation.override(language):
            # A byte-order mark, so that Excel opens the UTF-8 (Chinese) text correctly.
            yield "\ufeff" + writer.writerow(header)
            for row in rows:
                yield writer.writerow([csv_text(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(export, filters, "csv")}"'
    return response


def write_workbook(export, scope, filters, destination) -> int:
    """Write the export as an Excel workbook into ``destination`` (a binary file) and return its number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=export.slug)
    sheet.append([str(column) for column in export.columns])
    count = 0
    for row in export.rows(scope, filters):
        sheet.append([xlsx_value(value) for value in row])
        count += 1
    workbook.save(destination)
    return count
