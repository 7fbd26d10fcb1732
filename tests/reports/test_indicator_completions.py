"""Completions per competency indicator: the report counts aligned courses and modules completed in the range."""

import pytest
from django.utils import timezone

from courses.models import ModuleProgress
from tests.competencies.factories import IndicatorFactory

from .test_exports import csv_rows, download

pytestmark = pytest.mark.django_db


def align(page, *indicators):
    page.competency_indicators.set(indicators)
    page.save()


@pytest.fixture
def aligned(world):
    """NI-E1 on both courses, IL-J1 on the design course and on module A1; GC-U1 only in a draft version."""
    national = IndicatorFactory(code="NI-E1", title_zh="認識我國的文化特色", title_en="Know Taiwan's culture")
    literacy = IndicatorFactory(area=national.area, code="IL-J1", stage="J")
    national.area.framework.publish()
    IndicatorFactory(code="GC-U1")
    align(world.course_a, national)
    align(world.course_b, national, literacy)
    align(world.a1, literacy)
    # t1 completed A1 in February (the world's module rows have no completion time).
    ModuleProgress.objects.filter(user=world.t1, module=world.a1).update(
        completed_at=timezone.make_aware(timezone.datetime(2026, 2, 1, 10))
    )
    return national, literacy


def counts(rows):
    return {row[4]: (row[8], row[9]) for row in rows[1:]}


def test_an_administrator_counts_every_completion_in_the_range(client, world, aligned):
    rows = csv_rows(download(client, world.administrator, "indicator-completions", "csv"))

    assert rows[0][:5] == ["Framework", "Version", "Area code", "Area", "Indicator code"]
    # Courses: introduction by t1 (Feb), design by t1 (Mar) and t4 (Jan); t4's enrolment began in 2025.
    assert counts(rows) == {"NI-E1": ("3", "0"), "IL-J1": ("2", "1")}
    national = next(row for row in rows if row[4] == "NI-E1")
    assert national[5:8] == ["認識我國的文化特色", "Know Taiwan's culture", "Elementary school"]
    assert [row[4] for row in rows[1:]] == ["IL-J1", "NI-E1"]  # in the framework's order: area, order, code


def test_a_trainer_counts_only_their_courses(client, world, aligned):
    rows = csv_rows(download(client, world.trainer, "indicator-completions", "csv"))
    assert counts(rows) == {"NI-E1": ("1", "0"), "IL-J1": ("0", "1")}


def test_the_filters_apply(client, world, aligned):
    tainan = csv_rows(download(client, world.administrator, "indicator-completions", "csv", county="tainan_city"))
    assert counts(tainan) == {"NI-E1": ("0", "0"), "IL-J1": ("0", "0")}
    february = csv_rows(
        download(
            client,
            world.administrator,
            "indicator-completions",
            "csv",
            date_from="2026-02-01",
            date_to="2026-02-28",
        )
    )
    assert counts(february) == {"NI-E1": ("1", "0"), "IL-J1": ("0", "1")}


def test_the_query_count_does_not_grow_with_indicators(client, world, aligned, django_assert_max_num_queries):
    # The sign-in is counted too (its session, its audit and sign-in-history rows): 31 today.
    with django_assert_max_num_queries(31) as few:
        csv_rows(download(client, world.administrator, "indicator-completions", "csv"))
    framework = aligned[0].area.framework.new_version()
    for number in range(15):
        IndicatorFactory(area=framework.areas.first(), code=f"GR-E{number}")
    framework.publish()
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = csv_rows(download(client, world.administrator, "indicator-completions", "csv"))
    assert len(rows) == 1 + 2 + 2 + 15  # the retired version's two, the new version's copies and additions
