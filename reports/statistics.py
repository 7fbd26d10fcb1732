"""The dashboard's numbers, each a few aggregating queries whatever the amount of data, drawn as charts.

Every function takes the viewer's ``ReportScope`` and the validated ``ReportFilters`` and returns a ``Chart``.
Python only arranges the aggregated rows (one per month, county, course …), never the underlying records.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import County, SchoolLevel
from certification.models import Certificate, CertificationProgramme
from courses.models import (
    Attendance,
    CoursePage,
    Enrolment,
    H5PAttempt,
    ModulePage,
    ModuleProgress,
    Registration,
    TrainingSession,
)

from .charts import Chart, Series
from .scope import under_any

LATEST_WORKSHOPS = 20


def learner_filter(filters, prefix="user__") -> Q:
    """Only learners of the chosen county/city and school level (as their profile says today)."""
    query = Q()
    if filters.county:
        query &= Q(**{f"{prefix}teacher_profile__county": filters.county})
    if filters.school_level:
        query &= Q(**{f"{prefix}teacher_profile__school_level": filters.school_level})
    return query


def course_filter(scope, filters, prefix="course__") -> Q:
    """Only courses in the viewer's scope and, when a programme is chosen, those it requires."""
    query = Q()
    if not scope.everything:
        query &= Q(**{f"{prefix}pk__in": scope.courses()})
    if filters.programme is not None:
        required = filters.programme.required_courses.values("translation_key")
        query &= Q(**{f"{prefix}translation_key__in": required})
    return query


def course_paths(scope, filters):
    """Tree paths of the courses in scope, or None when every course counts."""
    if scope.everything and filters.programme is None:
        return None
    courses = CoursePage.objects.filter(course_filter(scope, filters, prefix=""))
    return list(courses.values_list("path", flat=True))


def month_key(value):
    """A month as TruncMonth returns it (a date, or an aware datetime for a date-time field) as a date."""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).date()
    return value


def month_label(month) -> str:
    return f"{month:%Y-%m}"


def monthly_counts(queryset, field_name):
    rows = queryset.annotate(month=TruncMonth(field_name)).values("month").annotate(total=Count("pk")).order_by()
    return {month_key(row["month"]): row["total"] for row in rows}


def enrolments_and_completions(scope, filters) -> Chart:
    enrolments = Enrolment.objects.filter(course_filter(scope, filters), learner_filter(filters))
    enrolled = monthly_counts(
        enrolments.filter(enrolled_at__gte=filters.start, enrolled_at__lt=filters.end), "enrolled_at"
    )
    completed = monthly_counts(
        enrolments.filter(completed_at__gte=filters.start, completed_at__lt=filters.end), "completed_at"
    )
    months = filters.months()
    return Chart(
        "line",
        "enrolments",
        _("Enrolments and completions per month"),
        [month_label(month) for month in months],
        [
            Series(_("Enrolments"), [enrolled.get(month, 0) for month in months]),
            Series(_("Completions"), [completed.get(month, 0) for month in months]),
        ],
    )


def issued_certificates(filters):
    certificates = Certificate.objects.issued().filter(
        issued_on__gte=filters.first_day, issued_on__lte=filters.last_day
    )
    if filters.programme is not None:
        certificates = certificates.filter(programme=filters.programme)
    if filters.county:
        # The county printed on the certificate, as the teacher's profile said when it was issued.
        certificates = certificates.filter(county=filters.county)
    if filters.school_level:
        certificates = certificates.filter(user__teacher_profile__school_level=filters.school_level)
    return certificates


def programme_series(counts, categories, programmes):
    """One series per programme with data, ``counts`` mapping (category, programme id) to a number."""
    present = {programme_id for _category, programme_id in counts}
    return [
        Series(programme.name, [counts.get((category, programme.pk), 0) for category in categories])
        for programme in programmes
        if programme.pk in present
    ]


def certificates_per_programme(scope, filters) -> Chart:
    rows = (
        issued_certificates(filters)
        .annotate(month=TruncMonth("issued_on"))
        .values("month", "programme")
        .annotate(total=Count("pk"))
        .order_by()
    )
    counts = {(month_key(row["month"]), row["programme"]): row["total"] for row in rows}
    months = filters.months()
    return Chart(
        "stacked",
        "certificates-per-programme",
        _("Certificates issued per programme per month"),
        [month_label(month) for month in months],
        programme_series(counts, months, CertificationProgramme.objects.all()),
    )


def current_certificates(filters):
    """Certificates that count today: issued, not revoked, the current one of their holder and programme."""
    return issued_certificates(filters).filter(status=Certificate.Status.ISSUED, is_current=True)


def certificates_by(field_name, choices, slug, title, filters) -> Chart:
    rows = current_certificates(filters).values(field_name, "programme").annotate(total=Count("pk")).order_by()
    counts = {(row[field_name] or "", row["programme"]): row["total"] for row in rows}
    categories = list(choices)
    if any(value == "" for value, _programme in counts):
        categories.append(("", _("Not given")))
    programmes = CertificationProgramme.objects.all()
    series = programme_series(counts, [value for value, _label in categories], programmes)
    return Chart("stacked", slug, title, [str(label) for _value, label in categories], series)


def certificates_by_county(scope, filters) -> Chart:
    return certificates_by(
        "county", County.choices, "certificates-by-county", _("Valid certificates by county/city"), filters
    )


def certificates_by_school_level(scope, filters) -> Chart:
    return certificates_by(
        "user__teacher_profile__school_level",
        SchoolLevel.choices,
        "certificates-by-school-level",
        _("Valid certificates by school level"),
        filters,
    )


def cohort(scope, filters):
    """The enrolments of the learners who enrolled within the date range."""
    return Enrolment.objects.filter(
        course_filter(scope, filters),
        learner_filter(filters),
        enrolled_at__gte=filters.start,
        enrolled_at__lt=filters.end,
    )


def course_funnel(scope, filters) -> Chart:
    rows = list(
        cohort(scope, filters)
        .values("course", "course__title")
        .annotate(enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by("-enrolled", "course__title")
    )
    # A query of its own: as a WHERE EXISTS, PostgreSQL hash semi-joins the module progress once, whereas an EXISTS
    # inside COUNT(... FILTER) is a subplan run once per enrolment (3 s rather than 1 s at 400,000 enrolments).
    progress = ModuleProgress.objects.filter(user=OuterRef("user"), course=OuterRef("course"))
    started = dict(
        cohort(scope, filters)
        .filter(Exists(progress))
        .values("course")
        .annotate(total=Count("pk"))
        .values_list("course", "total")
    )
    for row in rows:
        row["started"] = started.get(row["course"], 0)
    return Chart(
        "bar",
        "course-funnel",
        _("Course funnel: enrolled, started, completed"),
        [row["course__title"] for row in rows],
        [
            Series(_("Enrolled"), [row["enrolled"] for row in rows]),
            Series(_("Started"), [row["started"] for row in rows]),
            Series(_("Completed"), [row["completed"] for row in rows]),
        ],
    )


def busiest_course(scope, filters):
    row = cohort(scope, filters).values("course").annotate(total=Count("pk")).order_by("-total", "course").first()
    return None if row is None else CoursePage.objects.get(pk=row["course"])


def where_learners_stop(scope, filters) -> Chart:
    """For one course, per module: learners of the cohort who completed it, and who opened it and stopped there."""
    course = filters.course or busiest_course(scope, filters)
    title = _("Where learners stop")
    if course is None:
        return Chart("stacked", "where-learners-stop", title, [], [])
    modules = list(ModulePage.objects.child_of(course).order_by("path").values_list("pk", "title"))
    enrolled = cohort(scope, filters).filter(user=OuterRef("user"), course=OuterRef("course"))
    rows = (
        ModuleProgress.objects.filter(Exists(enrolled), course=course)
        .values("module")
        .annotate(
            completed=Count("pk", filter=Q(status=ModuleProgress.Status.COMPLETED)),
            stopped=Count("pk", filter=Q(status=ModuleProgress.Status.IN_PROGRESS)),
        )
        .order_by()
    )
    counts = {row["module"]: row for row in rows}
    return Chart(
        "stacked",
        "where-learners-stop",
        f"{title}: {course.title}",
        [module_title for _pk, module_title in modules],
        [
            Series(_("Completed the module"), [counts.get(pk, {}).get("completed", 0) for pk, _title in modules]),
            Series(_("Opened it and stopped"), [counts.get(pk, {}).get("stopped", 0) for pk, _title in modules]),
        ],
    )


def h5p_difficulty(scope, filters) -> Chart:
    """The share of first attempts at each H5P package that succeeded; flagged (untrusted) attempts do not count."""
    attempts = H5PAttempt.objects.filter(
        learner_filter(filters),
        number=1,
        flagged=False,
        success__isnull=False,
        started_at__gte=filters.start,
        started_at__lt=filters.end,
    )
    paths = course_paths(scope, filters)
    if paths is not None:
        attempts = attempts.filter(module__in=ModulePage.objects.filter(under_any(paths)).values("pk"))
    rows = list(
        attempts.values("package", "package__title")
        .annotate(first_attempts=Count("pk"), correct=Count("pk", filter=Q(success=True)))
        .order_by("package__title", "package")
    )
    return Chart(
        "bar",
        "h5p-difficulty",
        _("H5P item difficulty: correct first attempts"),
        [
            _("%(title)s (%(count)s first attempts)")
            % {"title": row["package__title"], "count": row["first_attempts"]}
            for row in rows
        ],
        [
            Series(
                _("Correct first attempts (%)"),
                [round(100 * row["correct"] / row["first_attempts"], 1) for row in rows],
            )
        ],
        percent=True,
    )


def count_per_session(model, filters, **conditions):
    counted = (
        model.objects.filter(learner_filter(filters), session=OuterRef("pk"), **conditions)
        .values("session")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def workshop_attendance(scope, filters) -> Chart:
    """Capacity, registrations and attendance of the latest workshops; sessions belong to no programme."""
    sessions = scope.sessions().filter(
        kind=TrainingSession.Kind.WORKSHOP, starts_at__gte=filters.start, starts_at__lt=filters.end
    )
    rows = list(
        sessions.annotate(
            registered=count_per_session(Registration, filters, status=Registration.Status.REGISTERED),
            attended=count_per_session(Attendance, filters),
        )
        .order_by("-starts_at", "-pk")
        .values("title", "starts_at", "capacity", "registered", "attended")[:LATEST_WORKSHOPS]
    )
    rows.reverse()
    return Chart(
        "bar",
        "workshop-attendance",
        _("Workshop attendance against capacity"),
        [f"{timezone.localtime(row['starts_at']):%Y-%m-%d} {row['title']}" for row in rows],
        [
            Series(_("Capacity"), [row["capacity"] for row in rows]),
            Series(_("Registered"), [row["registered"] for row in rows]),
            Series(_("Attended"), [row["attended"] for row in rows]),
        ],
        description=_("The latest %(count)s workshops in the date range.") % {"count": LATEST_WORKSHOPS},
    )


def dashboard_charts(scope, filters) -> list[Chart]:
    charts = [enrolments_and_completions(scope, filters)]
    if scope.sees_certificates:
        charts += [
            certificates_per_programme(scope, filters),
            certificates_by_county(scope, filters),
            certificates_by_school_level(scope, filters),
        ]
    charts += [
        course_funnel(scope, filters),
        where_learners_stop(scope, filters),
        h5p_difficulty(scope, filters),
        workshop_attendance(scope, filters),
    ]
    return charts
