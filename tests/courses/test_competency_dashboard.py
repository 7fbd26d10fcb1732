"""My learning lists the competency indicators the learner's completed work covers, and its cache keeps up."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from competencies.models import FrameworkStatus, Indicator
from courses.progress import record_view
from tests.competencies.factories import IndicatorFactory, published_indicator

from .factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def align(page, *indicators):
    page.competency_indicators.set(indicators)
    page.save_revision().publish()


@pytest.fixture
def indicators():
    first = IndicatorFactory(code="NI-E1", title_zh="認識我國的文化特色", title_en="Know Taiwan's culture")
    second = IndicatorFactory(area=first.area, code="IL-J1", title_zh="比較不同文化", title_en="Compare cultures")
    first.area.framework.publish()
    return first, second


def test_the_indicators_of_completed_courses_and_modules_are_listed_and_the_cache_keeps_up(
    client, course, modules, teacher, indicators
):
    course_indicator, module_indicator = indicators
    align(course, course_indicator)
    align(modules[0], module_indicator)
    EnrolmentFactory(user=teacher, course=course)
    client.force_login(teacher)
    url = reverse("courses:dashboard")

    html = client.get(url).content.decode()
    assert "NI-E1" not in html and "IL-J1" not in html  # nothing completed yet

    record_view(teacher, modules[0])  # the module is done: its indicator, not yet the course's
    html = client.get(url).content.decode()
    assert "IL-J1" in html and "NI-E1" not in html

    for module in modules[1:]:
        record_view(teacher, module)  # the course is complete
    html = client.get(url).content.decode()
    assert "NI-E1" in html and "認識我國的文化特色" in html
    assert "/competencies/" in html and "/NI-E1/" in html


def test_publishing_a_new_framework_version_marks_the_old_one_retired_on_a_cached_dashboard(
    client, course, modules, teacher, indicators
):
    align(modules[0], indicators[0])
    EnrolmentFactory(user=teacher, course=course)
    record_view(teacher, modules[0])
    client.force_login(teacher)
    url = reverse("courses:dashboard")
    with override("zh-hant"):
        retired = str(FrameworkStatus.RETIRED.label)
    html = client.get(url).content.decode()
    assert "NI-E1" in html and retired not in html

    framework = indicators[0].area.framework
    new = framework.new_version()
    new.publish()

    html = client.get(url).content.decode()
    assert "NI-E1" in html and retired in html


def test_realigning_a_module_reaches_a_cached_dashboard(client, course, modules, teacher, indicators):
    EnrolmentFactory(user=teacher, course=course)
    record_view(teacher, modules[0])
    client.force_login(teacher)
    url = reverse("courses:dashboard")
    assert "GR-U1" not in client.get(url).content.decode()

    align(modules[0], published_indicator(code="GR-U1"))

    assert "GR-U1" in client.get(url).content.decode()


def test_draft_indicators_and_other_learners_work_are_not_listed(client, course, modules, teacher, indicators):
    draft = IndicatorFactory(code="GC-E9")
    align(modules[0], indicators[1], draft)
    other = UserFactory(email="other@school.example.tw")
    EnrolmentFactory(user=other, course=course)
    record_view(other, modules[0])
    EnrolmentFactory(user=teacher, course=course)
    client.force_login(teacher)

    html = client.get(reverse("courses:dashboard")).content.decode()

    assert "IL-J1" not in html  # the other teacher's completion is not this teacher's
    record_view(teacher, modules[0])
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert "IL-J1" in html and "GC-E9" not in html


def test_the_panel_reads_a_bounded_number_of_queries(
    client, course, modules, teacher, django_assert_max_num_queries, indicators
):
    many = [published_indicator(code=f"GR-E{number}") for number in range(8)]
    EnrolmentFactory(user=teacher, course=course)
    for module in modules:
        align(module, *many, *indicators)
        record_view(teacher, module)
    client.force_login(teacher)
    with django_assert_max_num_queries(40):
        html = client.get(reverse("courses:dashboard")).content.decode()
    assert html.count("/GR-E") == len(many)
    assert Indicator.objects.citable().count() == 10
