"""Every number of every chart, on the known world of conftest.py, for an administrator and for a trainer."""

import dataclasses
import datetime

import pytest
from django.utils import translation

from reports import statistics
from reports.filters import ReportFilters
from reports.scope import ReportScope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def everything(world):
    return ReportScope.for_user(world.administrator)


@pytest.fixture
def trainer_scope(world):
    return ReportScope.for_user(world.trainer)


def numbers(chart):
    return {series.label: series.values for series in chart.series}


def test_enrolments_and_completions_per_month(everything, quarter):
    chart = statistics.enrolments_and_completions(everything, quarter)
    assert chart.categories == ["2026-01", "2026-02", "2026-03"]
    # t4 enrolled in 2025 but completed in January: a completion without an enrolment in the range.
    assert numbers(chart) == {"Enrolments": [2, 1, 2], "Completions": [1, 1, 1]}


def test_enrolments_filtered_by_county_school_level_and_programme(world, everything, quarter):
    by_county = dataclasses.replace(quarter, county="taipei_city")
    assert numbers(statistics.enrolments_and_completions(everything, by_county)) == {
        "Enrolments": [2, 0, 2],
        "Completions": [0, 1, 1],
    }
    by_level = dataclasses.replace(quarter, school_level="elementary")
    assert numbers(statistics.enrolments_and_completions(everything, by_level)) == {
        "Enrolments": [1, 1, 1],
        "Completions": [0, 1, 1],
    }
    by_programme = dataclasses.replace(quarter, programme=world.beginner)
    assert numbers(statistics.enrolments_and_completions(everything, by_programme)) == {
        "Enrolments": [2, 1, 0],
        "Completions": [0, 1, 0],
    }


def test_a_trainer_counts_only_the_courses_they_train(trainer_scope, quarter):
    chart = statistics.enrolments_and_completions(trainer_scope, quarter)
    assert numbers(chart) == {"Enrolments": [2, 1, 0], "Completions": [0, 1, 0]}


def test_certificates_per_programme_per_month_count_revoked_but_not_pending(everything, quarter):
    chart = statistics.certificates_per_programme(everything, quarter)
    assert chart.categories == ["2026-01", "2026-02", "2026-03"]
    assert numbers(chart) == {"Beginner": [0, 2, 1], "Advanced": [0, 0, 1]}
    assert chart.kind == "stacked"
    assert chart.table_rows[2] == ("2026-03", [1, 1, 2])


def test_valid_certificates_by_county(everything, quarter):
    chart = statistics.certificates_by_county(everything, quarter)
    assert len(chart.categories) == 23
    assert chart.categories[-1] == "Not given"
    counts = dict(zip(chart.categories, chart.series[0].values, strict=True))
    assert [series.label for series in chart.series] == ["Beginner"]
    assert {county: count for county, count in counts.items() if count} == {
        "Taipei City": 1,
        "Tainan City": 1,
        "Not given": 1,
    }


def test_valid_certificates_by_school_level(everything, quarter):
    chart = statistics.certificates_by_school_level(everything, quarter)
    assert chart.categories == [
        "Elementary school",
        "Junior high school",
        "Senior high school",
        "Vocational high school",
    ]
    assert numbers(chart) == {"Beginner": [2, 0, 1, 0]}


def test_certificates_filtered_by_county_and_programme(world, everything, quarter):
    taipei = dataclasses.replace(quarter, county="taipei_city")
    assert numbers(statistics.certificates_per_programme(everything, taipei)) == {
        "Beginner": [0, 1, 0],
        "Advanced": [0, 0, 1],
    }
    advanced = dataclasses.replace(quarter, programme=world.advanced)
    assert numbers(statistics.certificates_per_programme(everything, advanced)) == {"Advanced": [0, 0, 1]}
    assert statistics.certificates_by_county(everything, advanced).is_empty


def test_course_funnel(everything, trainer_scope, quarter):
    chart = statistics.course_funnel(everything, quarter)
    assert chart.categories == ["國際教育概論", "課程設計"]
    assert numbers(chart) == {"Enrolled": [3, 2], "Started": [2, 2], "Completed": [1, 1]}
    trainer_chart = statistics.course_funnel(trainer_scope, quarter)
    assert trainer_chart.categories == ["國際教育概論"]
    assert numbers(trainer_chart) == {"Enrolled": [3], "Started": [2], "Completed": [1]}


def test_where_learners_stop_in_the_busiest_course_or_the_chosen_one(world, everything, quarter):
    chart = statistics.where_learners_stop(everything, quarter)
    assert chart.title.endswith("國際教育概論")
    assert chart.categories == ["A1", "A2", "A3"]
    assert numbers(chart) == {"Completed the module": [2, 1, 1], "Opened it and stopped": [0, 1, 0]}

    chosen = statistics.where_learners_stop(everything, dataclasses.replace(quarter, course=world.course_b))
    assert chosen.categories == ["B1", "B2"]
    assert numbers(chosen) == {"Completed the module": [1, 1], "Opened it and stopped": [1, 0]}


def test_where_learners_stop_without_any_enrolment(everything):
    new_year_2020 = datetime.date(2020, 1, 1)
    chart = statistics.where_learners_stop(everything, ReportFilters(first_day=new_year_2020, last_day=new_year_2020))
    assert chart.is_empty
    assert chart.categories == []


def test_h5p_difficulty_counts_unflagged_scored_first_attempts(everything, trainer_scope, quarter):
    chart = statistics.h5p_difficulty(everything, quarter)
    assert chart.percent
    assert chart.categories == ["全球議題問答 (2 first attempts)", "文化比較測驗 (2 first attempts)"]
    assert numbers(chart) == {"Correct first attempts (%)": [100.0, 50.0]}
    trainer_chart = statistics.h5p_difficulty(trainer_scope, quarter)
    assert trainer_chart.categories == ["文化比較測驗 (2 first attempts)"]
    assert numbers(trainer_chart) == {"Correct first attempts (%)": [50.0]}


def test_workshop_attendance_against_capacity(everything, trainer_scope, quarter):
    chart = statistics.workshop_attendance(everything, quarter)
    assert chart.categories == ["2026-02-14 跨文化教學工作坊", "2026-03-07 全國研習"]
    assert numbers(chart) == {"Capacity": [30, None], "Registered": [2, 1], "Attended": [1, 2]}
    trainer_chart = statistics.workshop_attendance(trainer_scope, quarter)
    assert numbers(trainer_chart) == {"Capacity": [30], "Registered": [2], "Attended": [1]}


def test_workshop_attendance_filtered_by_county(everything, quarter):
    tainan = dataclasses.replace(quarter, county="tainan_city")
    chart = statistics.workshop_attendance(everything, tainan)
    # The cancelled registration of t3 does not count; t3 attended the second workshop.
    assert numbers(chart) == {"Capacity": [30, None], "Registered": [0, 1], "Attended": [0, 1]}


def test_a_trainer_sees_sessions_they_organise(world, trainer_scope, quarter):
    world.w2.organisers.add(world.trainer)
    chart = statistics.workshop_attendance(trainer_scope, quarter)
    assert len(chart.categories) == 2


def test_the_dashboard_shows_certificates_to_administrators_only(everything, trainer_scope, quarter):
    administrator_slugs = [chart.slug for chart in statistics.dashboard_charts(everything, quarter)]
    trainer_slugs = [chart.slug for chart in statistics.dashboard_charts(trainer_scope, quarter)]
    assert administrator_slugs == [
        "enrolments",
        "certificates-per-programme",
        "certificates-by-county",
        "certificates-by-school-level",
        "course-funnel",
        "where-learners-stop",
        "h5p-difficulty",
        "workshop-attendance",
    ]
    assert trainer_slugs == [slug for slug in administrator_slugs if not slug.startswith("certificates")]


def test_h5p_difficulty_and_funnel_filtered_by_programme(world, everything, trainer_scope, quarter):
    beginner = dataclasses.replace(quarter, programme=world.beginner)
    assert statistics.h5p_difficulty(everything, beginner).categories == ["文化比較測驗 (2 first attempts)"]
    assert statistics.course_funnel(everything, beginner).categories == ["國際教育概論"]
    # The advanced programme requires no course: nothing of the trainer's course is left.
    advanced = dataclasses.replace(quarter, programme=world.advanced)
    assert statistics.h5p_difficulty(trainer_scope, advanced).is_empty
    assert statistics.course_funnel(trainer_scope, advanced).is_empty
    assert numbers(statistics.h5p_difficulty(trainer_scope, beginner)) == {"Correct first attempts (%)": [50.0]}


def test_a_course_in_another_language_counts_for_its_trainer(world, quarter, locales):
    # A trainer named on the English translation only still sees the course, whose enrolments are on the original.
    english = world.course_a.copy_for_translation(locales["en"], copy_parents=True)
    english.trainers.set([])
    english.save()
    world.course_a.trainers.set([])
    world.course_a.save()
    english.trainers.add(world.trainer)
    english.save()
    scope = ReportScope.for_user(world.trainer)
    assert numbers(statistics.course_funnel(scope, quarter)) == {"Enrolled": [3], "Started": [2], "Completed": [1]}
