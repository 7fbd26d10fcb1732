"""The courses app's part of a person's data (:mod:`privacy.registry`): learning records, erased with the account.

Enrolments, module progress, H5P attempts with their xAPI statements and saved states, SCORM tracks, workshop
registrations and attendance all describe the person's own learning; none is needed once the account is gone
(a certificate keeps, on its own row, the hours it was issued for).
"""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Part
from privacy.tables import delete_rows, table

from .models import (
    Attendance,
    ContentUserData,
    Enrolment,
    H5PAttempt,
    ModuleProgress,
    Registration,
    ScormTrack,
    XAPIStatement,
)

TABLES = {
    "enrolments": Enrolment,
    "module_progress": ModuleProgress,
    "h5p_attempts": H5PAttempt,
    "xapi_statements": XAPIStatement,
    "h5p_saved_state": ContentUserData,
    "scorm_tracks": ScormTrack,
    "workshop_registrations": Registration,
    "attendance": Attendance,
}


def _session(instance):
    return {"session_title": instance.session.title, "session_starts_at": instance.session.starts_at.isoformat()}


def export(user):
    for name, model in TABLES.items():
        extra = _session if model in (Registration, Attendance) else None
        yield table(name, model.objects.filter(user=user), user, extra=extra)


def erase(user):
    return delete_rows(*(model.objects.filter(user=user) for model in TABLES.values()))


PART = Part(
    app="courses",
    export=export,
    erase=erase,
    kept=_("Nothing of your learning records: enrolments, progress, attempts and attendance are deleted."),
)
