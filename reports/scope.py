"""Who sees which data in the reports.

Certification administrators (and superusers) see everything. Trainers see the courses they train (in any of the
course's languages: enrolment and progress are recorded against the default-language page), the workshops under
those courses and the sessions they organise; they see no certificates. Everybody else sees nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from courses.models import CoursePage, ModulePage, TrainingSession, WorkshopPage

VIEW_ALL = "reports.view_all_reports"
VIEW_COURSES = "reports.view_course_reports"


@dataclass(frozen=True)
class ReportScope:
    user: object
    everything: bool

    @classmethod
    def for_user(cls, user) -> "ReportScope":
        if not user.is_authenticated or not user.is_active:
            raise PermissionDenied
        if user.has_perm(VIEW_ALL):
            return cls(user, everything=True)
        if user.has_perm(VIEW_COURSES):
            return cls(user, everything=False)
        raise PermissionDenied

    @classmethod
    def allows(cls, user) -> bool:
        return user.is_authenticated and user.is_active and (user.has_perm(VIEW_ALL) or user.has_perm(VIEW_COURSES))

    @property
    def sees_certificates(self) -> bool:
        return self.everything

    def courses(self):
        """The courses in scope (every language of each): a queryset usable as a subquery."""
        courses = CoursePage.objects.all()
        if self.everything:
            return courses
        trained = CoursePage.objects.filter(trainers=self.user).values("translation_key")
        return courses.filter(translation_key__in=trained)

    def sessions(self):
        """The training sessions in scope: for a trainer, the workshops of their courses and what they organise."""
        sessions = TrainingSession.objects.all()
        if self.everything:
            return sessions
        course_paths = list(self.courses().values_list("path", flat=True))
        workshops = WorkshopPage.objects.filter(under_any(course_paths), session__isnull=False)
        organised = TrainingSession.objects.filter(organisers=self.user)
        return sessions.filter(Q(pk__in=workshops.values("session")) | Q(pk__in=organised.values("pk")))


def under_any(paths) -> Q:
    """Pages below any of the pages with these tree paths (nothing when there are none)."""
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path, depth__gt=len(path) // ModulePage.steplen)
    return query
