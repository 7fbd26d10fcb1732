import csv
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.models import Locale

from accounts.access import has_staff_access
from audit.models import Action
from audit.recording import record

from . import attendance, learner_cache, xapi
from .enrolment import EnrolmentRefused, enrol, unenrol
from .learner_pages import learner_page_key, serve_learner_page
from .models import CoursePage, Enrolment, ModuleProgress, Registration, TrainingSession
from .models.pages import canonical, default_locale_id
from .progress import dashboard as dashboard_data
from .progress import live_modules_by_course

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@login_required
@require_POST
def enrol_view(request, course_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        enrol(request.user, course)
    except EnrolmentRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.localized.title})
    return _back(request, course.url)


@login_required
@require_POST
def unenrol_view(request, course_id):
    course = get_object_or_404(CoursePage, pk=course_id)
    if unenrol(request.user, course):
        messages.success(
            request,
            _("You left “%(course)s”. Your progress is kept if you come back.") % {"course": course.localized.title},
        )
    return _back(request, course.url)


@login_required
def dashboard(request):
    """*My learning*: each part is cached per learner and language until their progress or the courses change
    (``courses.learner_cache``); a warm dashboard costs no query beyond the session's."""
    learning = functools.cache(lambda: dashboard_data(request.user))
    renderers = {
        part: functools.partial(_render_dashboard_part, request, f"courses/includes/dashboard_{part}.html", learning)
        for part in ("hours", "courses")
    }
    # Other apps add their own sections (certification: what is left) without courses knowing them. A panel is
    # cached like the rest, so it shows only what the learner's tokens follow, and holds no form or CSRF token.
    panels = {
        f"panel:{panel.__module__}.{panel.__qualname__}": functools.partial(panel, request)
        for panel in hooks.get_hooks("learner_dashboard_panels")
    }

    def render_page():
        html = learner_cache.fragments(request.user.pk, renderers | panels)
        context = {"hours": html["hours"], "learning": html["courses"], "panels": [html[name] for name in panels]}
        return render(request, "courses/dashboard.html", context)

    # The whole page is kept on the same terms as its parts (the learner's tokens), with the chrome's generation.
    return serve_learner_page(request, learner_page_key(request, "dashboard"), render_page)


def _render_dashboard_part(request, template, learning):
    return render_to_string(template, learning(), request=request)


@require_POST
def xapi_view(request):
    """The H5P player's statements (CSRF-protected like every POST; the player sends the token header)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to record your progress.")}, status=401)
    if request.content_type != "application/json":
        return JsonResponse({"error": _("Statements must be sent as application/json.")}, status=415)
    if not xapi.within_rate_limit(request.user):
        response = JsonResponse({"error": _("Too many statements; retry shortly.")}, status=429)
        response["Retry-After"] = str(xapi.RATE_WINDOW_SECONDS)
        return response
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    try:
        if length > xapi.MAX_BODY_BYTES:
            raise xapi.StatementRejected(_("The statement is too large."), status=413)
        result = xapi.receive(request.user, xapi.parse_body(request.body))
    except xapi.StatementRejected as rejection:
        return JsonResponse({"error": str(rejection)}, status=rejection.status)
    if result.duplicate:
        return JsonResponse({"stored": False, "duplicate": True})
    return JsonResponse({"stored": True, "flagged": result.flagged}, status=201)


def _trained_courses(user):
    courses = CoursePage.objects.all() if has_staff_access(user) else CoursePage.objects.filter(trainers=user)
    return courses.filter(locale_id=default_locale_id()).order_by("title")


def trained_course(user, course_id):
    course = get_object_or_404(CoursePage, pk=course_id)
    course = canonical(course)
    if not (has_staff_access(user) or course.trainers.filter(pk=user.pk).exists()):
        # Not "forbidden": a trainer learns nothing about courses that are not theirs.
        raise Http404
    return course


@login_required
def trainer_courses(request):
    courses = list(
        _trained_courses(request.user).annotate(
            learner_count=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ACTIVE)),
            completed_count=Count("enrolments", filter=Q(enrolments__completed_at__isnull=False)),
        )
    )
    if not courses and not has_staff_access(request.user):
        raise PermissionDenied
    return render(request, "courses/trainer_courses.html", {"courses": courses})


def _learner_rows(course):
    modules = [module.pk for module in live_modules_by_course({course.path})[course.path]]
    enrolments = (
        Enrolment.objects.filter(course=course)
        .select_related("user", "user__teacher_profile")
        .annotate(
            modules_done=Count(
                "user__module_progress",
                filter=Q(
                    user__module_progress__module_id__in=modules,
                    user__module_progress__status=ModuleProgress.Status.COMPLETED,
                ),
            )
        )
        .order_by("user__email")
    )
    return enrolments, len(modules)


@login_required
def trainer_learners(request, course_id):
    course = trained_course(request.user, course_id)
    enrolments, module_count = _learner_rows(course)
    record(Action.LEARNER_RECORD_VIEWED, actor=request.user, target=course, changes={"view": "learners"})
    return render(
        request,
        "courses/trainer_learners.html",
        {"course": course, "enrolments": enrolments, "module_count": module_count},
    )


def spreadsheet_safe(value):
    """A cell a spreadsheet shows as text: one starting with = + - @ would otherwise run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class Echo:
    def write(self, value):
        return value


@login_required
def trainer_learners_csv(request, course_id):
    course = trained_course(request.user, course_id)
    enrolments, module_count = _learner_rows(course)
    record(Action.DATA_EXPORTED, actor=request.user, target=course, target_label=f"course-{course.pk}-learners.csv")
    writer = csv.writer(Echo())
    header = [
        _("E-mail"),
        _("Name in Chinese"),
        _("Name in English"),
        _("School"),
        _("Status"),
        _("Enrolled at"),
        _("Modules completed"),
        _("Progress (%)"),
        _("Completed at"),
    ]

    def rows():
        # A BOM so that Excel on Windows reads the UTF-8 names correctly.
        yield "\ufeff" + writer.writerow(header)
        for enrolment in enrolments.iterator(chunk_size=500):
            profile = getattr(enrolment.user, "teacher_profile", None)
            cells = [
                enrolment.user.email,
                profile.name_zh if profile else "",
                profile.name_en if profile else "",
                profile.school if profile else "",
                enrolment.get_status_display(),
                timezone.localtime(enrolment.enrolled_at).isoformat(timespec="minutes"),
                f"{enrolment.modules_done}/{module_count}",
                enrolment.progress_percent,
                timezone.localtime(enrolment.completed_at).isoformat(timespec="minutes")
                if enrolment.completed_at
                else "",
            ]
            yield writer.writerow([spreadsheet_safe(cell) for cell in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{course.pk}-learners.csv"'
    return response


@login_required
@require_POST
def register_view(request, session_id):
    session = get_object_or_404(TrainingSession, pk=session_id)
    try:
        registration = attendance.register(session, request.user)
    except attendance.AttendanceError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.WAITLISTED:
            messages.info(request, _("The session is full: you are on the waiting list."))
        else:
            title = _session_title(session)
            messages.success(request, _("You are registered for “%(session)s”.") % {"session": title})
    return _back(request, "/")


def _session_title(session):
    """The title in the reader's language."""
    return attendance.session_titles(session).get(Locale.get_active().language_code, session.title)


@login_required
@require_POST
def cancel_registration_view(request, session_id):
    session = get_object_or_404(TrainingSession, pk=session_id)
    attendance.cancel_registration(session, request.user)
    messages.success(request, _("Your registration is cancelled."))
    return _back(request, "/")


def _managed_session(user, session_id):
    session = get_object_or_404(TrainingSession, pk=session_id)
    if not attendance.can_manage_session(user, session):
        raise Http404
    return session


@login_required
def session_attendance(request, session_id):
    """Where organisers record attendance: tick the list, upload a CSV, or show a check-in code."""
    session = _managed_session(request.user, session_id)
    report = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "list":
            user_ids = [value for value in request.POST.getlist("attended") if value.isdigit()]
            count = attendance.attendance_from_list(session, user_ids, request.user)
            messages.success(request, _("Attendance recorded for %(count)d participants.") % {"count": count})
            return redirect(request.path)
        if action == "csv" and request.FILES.get("file"):
            try:
                report = attendance.attendance_from_csv(session, request.FILES["file"], request.user)
            except attendance.AttendanceError as error:
                messages.error(request, str(error))
        elif action == "code":
            attendance.issue_checkin_code(session)
            return redirect(request.path)
        else:
            messages.error(request, _("Choose a file to upload."))
    registrations = session.registrations.exclude(status=Registration.Status.CANCELLED).select_related(
        "user", "user__teacher_profile"
    )
    attended = set(session.attendances.values_list("user_id", flat=True))
    return render(
        request,
        "courses/session_attendance.html",
        {
            "session": session,
            "registrations": registrations,
            "attended": attended,
            "report": report,
            "code_is_valid": session.checkin_code_expires_at and session.checkin_code_expires_at > timezone.now(),
        },
    )


@login_required
def check_in_view(request):
    if request.method == "POST":
        try:
            recorded = attendance.check_in(request.user, request.POST.get("code", "")[:20])
        except attendance.AttendanceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("You are checked in to “%(session)s”.") % {"session": recorded.session.title})
            return redirect("courses:dashboard")
    return render(request, "courses/check_in.html")
