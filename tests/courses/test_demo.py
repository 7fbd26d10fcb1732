import io

import pytest

from courses import demo
from courses.models import CoursePage, Enrolment, H5PAttempt, ModulePage, TrainingSession, WorkshopPage


@pytest.mark.django_db
def test_demo_courses_are_bilingual_playable_and_idempotent(locales):
    from accounts import demo as accounts_demo
    from home import demo as home_demo

    out = io.StringIO()
    accounts_demo.load(out)
    home_demo.load(out)
    demo.load(out)
    counts = (CoursePage.objects.count(), ModulePage.objects.count(), WorkshopPage.objects.count())
    sessions = TrainingSession.objects.count()
    demo.load(out)
    assert (CoursePage.objects.count(), ModulePage.objects.count(), WorkshopPage.objects.count()) == counts
    assert TrainingSession.objects.count() == sessions == len(demo.WORKSHOPS)
    assert counts[0] == 2 * len(demo.COURSES)
    assert {c.competency_area for c in CoursePage.objects.all()} == {
        "concepts",
        "curriculum",
        "exchange",
        "school",
        "growth",
    }
    assert {c.level for c in CoursePage.objects.all()} >= {"beginner", "advanced"}
    for page in CoursePage.objects.filter(locale=locales["zh-hant"]):
        assert page.get_translation_or_none(locales["en"]) is not None
    assert any(m.h5p_package_ids for m in ModulePage.objects.all())
    teacher_enrolments = Enrolment.objects.filter(user__email=demo.TEACHER)
    assert teacher_enrolments.filter(completed_at__isnull=False).count() == 2
    assert teacher_enrolments.count() == 4
    assert not H5PAttempt.objects.exists()
