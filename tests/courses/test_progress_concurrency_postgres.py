"""First views of modules at the same instant, on PostgreSQL (SQLite serialises writers, so it cannot show a race).

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_courses .venv/bin/pytest tests/courses``.
"""

from courses.models import Enrolment, ModulePage, ModuleProgress
from courses.progress import record_view
from tests.postgresql import ON_POSTGRESQL, in_parallel

from .factories import EnrolmentFactory, UserFactory

pytestmark = ON_POSTGRESQL

ROUNDS = 4


def view(argument):
    """One request's view: its own module object, as a request loads it."""
    user, module_id = argument
    return record_view(user, ModulePage.objects.get(pk=module_id)).pk


def test_first_views_of_one_module_at_once_make_one_row(course, modules):
    for _round in range(ROUNDS):
        teacher = UserFactory()
        EnrolmentFactory(user=teacher, course=course)
        ids = in_parallel(view, [(teacher, modules[0].pk)] * 6)
        row = ModuleProgress.objects.get(user=teacher, module=modules[0])
        assert set(ids) == {row.pk} and row.is_completed
        assert Enrolment.objects.get(user=teacher).progress_percent == 33


def test_first_views_of_every_module_at_once_complete_the_course(course, modules):
    for _round in range(ROUNDS):
        teacher = UserFactory()
        EnrolmentFactory(user=teacher, course=course)
        in_parallel(view, [(teacher, module.pk) for module in modules])
        assert ModuleProgress.objects.filter(user=teacher, status="completed").count() == len(modules)
        enrolment = Enrolment.objects.get(user=teacher)
        # Each recount waited for the others' rows: none was lost.
        assert enrolment.progress_percent == 100 and enrolment.completed_at is not None
