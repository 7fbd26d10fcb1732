"""Which competency indicators a course covers: its own and those of its modules."""

from django.db.models import Q

from competencies.models import Indicator

from .models import Enrolment, ModulePage, ModuleProgress


def indicators_of_courses(courses):
    """The citable indicators the given course pages or their modules are aligned to, each once, in framework order."""
    paths = [course.path for course in courses]
    if not paths:
        return Indicator.objects.none()
    modules = Q()
    for path in paths:
        modules |= Q(path__startswith=path)
    module_ids = ModulePage.objects.filter(modules).values("pk")
    return (
        Indicator.objects.citable()
        .filter(Q(courses__in=[course.pk for course in courses]) | Q(modules__in=module_ids))
        .distinct()
        .with_framework()
    )


def indicators_covered_by(user):
    """The citable indicators of the courses ``user`` completed and of the modules they completed anywhere."""
    courses = Enrolment.objects.filter(user=user, completed_at__isnull=False).values("course_id")
    modules = ModuleProgress.objects.filter(user=user, status=ModuleProgress.Status.COMPLETED).values("module_id")
    return (
        Indicator.objects.citable().filter(Q(courses__in=courses) | Q(modules__in=modules)).distinct().with_framework()
    )
