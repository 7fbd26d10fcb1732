"""SCORM's server side: the run-time frame and package files on the content origin, the commit endpoint on the
site's. See ``courses.scorm.player`` for the frame layout and ``courses.scorm.tracking`` for the commit's checks."""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..choices import Assurance
from ..h5p.views import granted, serve_package_file
from ..models import ScormPackage, ScormTrack
from ..views import Echo, spreadsheet_safe, trained_course
from .manifest import EXTENSIONS
from .player import SCORM_AGAIN_STATIC, frame_csp
from .tracking import CommitRejected, attempt_to_resume, parse_body, receive

# Schemas are for validators, not browsers: never served.
SERVED_EXTENSIONS = EXTENSIONS - {"xsd", "dtd"}


def resume_data(track, package, user) -> dict:
    """What scorm-again's ``loadFromJSON`` restores for a launch: the learner, and the attempt being resumed."""
    name = user.get_full_name() or user.get_username()
    if package.is_2004:
        data = {"learner_id": str(user.pk), "learner_name": name}
        if track is not None:
            data.update(
                location=track.location,
                suspend_data=track.suspend_data,
                completion_status=track.completion_status or "unknown",
                success_status=track.success_status or "unknown",
                entry="resume" if track.suspend_data or track.location else "",
            )
        return data
    core = {"student_id": str(user.pk), "student_name": name}
    data = {"core": core}
    if track is not None:
        core.update(lesson_location=track.location, lesson_status=track.completion_status or "not attempted")
        core["entry"] = "resume" if track.suspend_data or track.location else ""
        data["suspend_data"] = track.suspend_data
    return data


@xframe_options_exempt  # framed by the site's pages on another origin; frame-ancestors names which
@require_http_methods(["GET", "HEAD"])
def runtime_frame(request, token):
    """The run-time frame: scorm-again's API object, the table of contents and the SCO frame."""
    module, package, parent_origin, user = granted(token, ScormPackage)
    # Each SCO's latest attempt (the attempts come in order: the last one of a SCO stays).
    latest = {
        track.sco: track
        for track in ScormTrack.objects.filter(user=user, module=module, package=package).order_by("attempt")
    }
    base = request.path.rstrip("/") + "/files/"
    scos = []
    for item in package.scos:
        last = latest.get(item["identifier"])
        resumed = attempt_to_resume(last)
        scos.append(
            {
                "identifier": item["identifier"],
                "title": item["title"],
                "url": base + item["launch"],
                # The attempt this launch continues, or the next one; its commits name it (tracking.receive).
                "attempt": resumed.attempt if resumed else (last.attempt + 1 if last else 1),
                "resume": resume_data(resumed, package, user),
                # What a launch of a SCO finished in this visit starts from: a new attempt.
                "fresh": resume_data(None, package, user),
                "completed": bool(last and last.is_completed),
            }
        )
    config = {
        "parentOrigin": parent_origin,
        "version": package.version,
        "scos": scos,
        "moduleId": module.pk,
        "packageId": package.pk,
    }
    origin = f"{request.scheme}://{request.get_host()}"
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        response = render(
            request,
            "courses/scorm_frame.html",
            {
                "config": config,
                "language": language,
                "items": package.items,
                "multi": len(scos) > 1,
                "runtime_js": static(f"{SCORM_AGAIN_STATIC}/{'scorm2004' if package.is_2004 else 'scorm12'}.min.js"),
                "frame_js": static("courses/js/scorm-frame.js"),
                "title": package.title,
            },
        )
    response["Content-Security-Policy"] = frame_csp(origin, parent_origin)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD"])
def package_file(request, token, path):
    """One file of an extracted SCORM package, for a valid token, under the run-time frame's policy."""
    _, package, parent_origin, _ = granted(token, ScormPackage)
    origin = f"{request.scheme}://{request.get_host()}"
    return serve_package_file(package, path, SERVED_EXTENSIONS, frame_csp(origin, parent_origin))


@login_required
@require_POST
def commit_view(request):
    """Store one commit of a SCO's CMI data for the signed-in learner (JSON, CSRF-protected)."""
    try:
        payload = parse_body(request.body)
        track = receive(request.user, payload)
    except CommitRejected as error:
        return JsonResponse({"stored": False, "message": str(error)}, status=error.status)
    return JsonResponse({"stored": True, "attempt": track.attempt, "completed": track.is_completed})


def _course_tracks(course):
    """Every learner's SCORM tracking in ``course``'s modules, one row per SCO attempt, learners in order."""
    return (
        ScormTrack.objects.filter(module__path__startswith=course.path)
        .select_related("user", "module", "package")
        .order_by("user__email", "module__path", "package_id", "sco", "attempt")
    )


@login_required
def trainer_report(request, course_id):
    """The course's trainers: each learner's SCORM status and scores, per SCO and attempt."""
    course = trained_course(request.user, course_id)
    context = {"course": course, "tracks": _course_tracks(course), "assurance": Assurance.REPORTED}
    return render(request, "courses/trainer_scorm.html", context)


@login_required
def trainer_report_csv(request, course_id):
    course = trained_course(request.user, course_id)
    writer = csv.writer(Echo())
    header = [
        _("E-mail"),
        _("Module"),
        _("SCORM package"),
        _("SCO"),
        _("Attempt"),
        _("Completion status"),
        _("Success status"),
        _("Raw score"),
        _("Minimum score"),
        _("Maximum score"),
        _("Score (%)"),
        _("Total time (seconds)"),
        _("Assurance"),
        _("Updated at"),
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for track in _course_tracks(course).iterator(chunk_size=500):
            percent = track.percent
            cells = [
                track.user.email,
                track.module.title,
                track.package.title,
                track.sco,
                track.attempt,
                track.completion_status,
                track.success_status,
                track.score_raw,
                track.score_min,
                track.score_max,
                "" if percent is None else f"{percent:.2f}",
                track.total_seconds,
                Assurance.REPORTED.label,
                timezone.localtime(track.updated_at).isoformat(timespec="minutes"),
            ]
            yield writer.writerow([spreadsheet_safe(cell) for cell in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scorm-{course.pk}.csv"'
    return response
