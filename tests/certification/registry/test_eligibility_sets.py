"""Eligibility at scale: many teachers per query, the programmes read once per process, and the same verdicts as
one teacher at a time."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from certification.models import ApprovalRequest, Certificate, CertificationProgramme
from certification.registry.automation import reevaluate_everyone
from certification.registry.eligibility import GENERATION_KEY, TeacherRecord, catalogue, evaluate_all
from certification.registry.issuing import issue_certificate
from tests.certification.factories import ProgrammeFactory, TeacherFactory, attend, complete_course, score_module

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def programmes(courses):
    """Every kind of requirement, in programmes that combine them differently."""
    beginner = ProgrammeFactory(
        required_courses=[courses[0]], minimum_hours=Decimal("8"), minimum_score=Decimal("60"), validity_years=1
    )
    return [
        beginner,
        ProgrammeFactory(required_courses=courses, minimum_community_sessions=2),
        ProgrammeFactory(prerequisite=beginner, minimum_hours=Decimal("10"), minimum_score=Decimal("75")),
        ProgrammeFactory(minimum_score=Decimal("50"), issue_mode=CertificationProgramme.IssueMode.APPROVAL),
    ]


PAST = timezone.now() - datetime.timedelta(days=30)
STILL_VALID = timezone.localdate() + datetime.timedelta(days=200)
teacher_facts = st.fixed_dictionaries(
    {
        "completed": st.lists(st.sampled_from([0, 1]), max_size=2, unique=True),
        "attended": st.lists(
            st.tuples(st.sampled_from(["workshop", "community"]), st.sampled_from(["0", "1.5", "3", "7"])), max_size=4
        ),
        "scores": st.dictionaries(st.sampled_from([0, 1]), st.integers(0, 100)),
        "beginner": st.sampled_from([None, "issued", "expired", "revoked", "pending"]),
    }
)


def make_teacher(facts, courses, beginner):
    teacher = TeacherFactory()
    for index, course_index in enumerate(facts["completed"]):
        complete_course(teacher, courses[course_index], when=PAST + datetime.timedelta(days=index))
    for kind, hours in facts["attended"]:
        attend(teacher, kind, hours=hours)
    for course_index, score in facts["scores"].items():
        score_module(teacher, courses[course_index].get_children().first().specific, str(score))
    if facts["beginner"]:
        certificate = issue_certificate(teacher, beginner, origin=Certificate.Origin.MANUAL)
        status = Certificate.Status.ISSUED if facts["beginner"] == "expired" else facts["beginner"]
        expired = timezone.localdate() - datetime.timedelta(days=1) if facts["beginner"] == "expired" else None
        # The row as a signed (or revoked) certificate would be; rendering the PDF is not what this test is about.
        Certificate.objects.filter(pk=certificate.pk).update(
            status=status,
            valid_until=expired or STILL_VALID,
            revoked_at=timezone.now() if status == Certificate.Status.REVOKED else None,
        )
    return teacher


# Every example builds its teachers in the database: few examples, and no shrinking (a failure shows its data).
@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(everyone=st.lists(teacher_facts, min_size=1, max_size=6))
def test_a_chunk_gives_the_same_verdicts_as_one_teacher_at_a_time(everyone, courses, programmes):
    with transaction.atomic():
        teachers = [make_teacher(facts, courses, programmes[0]) for facts in everyone]
        records = TeacherRecord.load_many([teacher.pk for teacher in teachers])
        for teacher in teachers:
            alone = evaluate_all(teacher)
            assert evaluate_all(teacher, record=records[teacher.pk]) == alone
            assert [item.programme for item in alone] == programmes
        transaction.set_rollback(True)


def test_the_record_of_a_chunk_holds_what_each_teacher_did(courses, programmes, locales):
    first, second, idle = TeacherFactory.create_batch(3)
    english = courses[0].copy_for_translation(locales["en"], copy_parents=True)
    complete_course(first, english, when=PAST + datetime.timedelta(days=3))
    complete_course(first, courses[0], when=PAST)  # the same course in its other language: counted once
    attend(first, "workshop", hours="2.5")
    attend(second, "community")
    score_module(second, courses[1].get_children().first().specific, "72.35")
    records = TeacherRecord.load_many([first.pk, second.pk, idle.pk, 10**9])
    key = str(courses[0].translation_key)
    assert records[first.pk].completed_courses[key].completed_at == PAST
    assert records[first.pk].hours == Decimal("8.5")
    assert (records[second.pk].community_sessions, records[second.pk].hours) == (1, 0)
    assert records[second.pk].score_for(set()) == Decimal("72.35")  # not rounded to the hours' one decimal
    assert records[idle.pk] == TeacherRecord() == records[10**9]


def test_no_teachers_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert TeacherRecord.load_many([]) == {}


def test_one_teacher_is_one_query_once_the_programmes_are_read(teacher, programmes, django_assert_max_num_queries):
    evaluate_all(teacher)
    with django_assert_max_num_queries(1):
        results = evaluate_all(teacher)
    assert [result.programme for result in results] == programmes


def test_the_programmes_are_read_again_after_any_change_to_them(teacher, courses, programmes):
    def reads():
        with CaptureQueriesContext(connection) as queries:
            evaluate_all(teacher)
        return len(queries) - 1  # the teacher's record

    assert reads() > 0
    assert reads() == 0
    first = catalogue()
    programmes[1].minimum_community_sessions = 5
    programmes[1].save()
    assert reads() > 0
    assert catalogue() is not first
    assert catalogue().programmes[1].minimum_community_sessions == 5
    programmes[0].required_courses.add(courses[1])
    programmes[0].save()  # as the admin form does: the course list is written after the programme row
    assert reads() > 0 and reads() == 0
    assert {course.pk for course in catalogue().programmes[0].required_courses.all()} == {c.pk for c in courses}
    courses[1].title = "Renamed course"
    courses[1].save()
    missing = evaluate_all(teacher)[1].requirements[0].missing
    assert "Renamed course" in missing
    ProgrammeFactory(is_active=False)
    assert reads() > 0
    assert len(catalogue().programmes) == 4
    programmes[3].delete()
    assert [item.programme for item in evaluate_all(teacher)] == programmes[:3]


def test_a_programme_change_retires_at_its_commit_what_was_read_before_it(
    programmes, django_capture_on_commit_callbacks
):
    """Another request evaluating between the change and its commit reads the old rows and keeps them under the
    generation it saw then: the commit must replace that generation too, or the old rows would stay in use."""
    with django_capture_on_commit_callbacks(execute=True):
        programmes[1].minimum_community_sessions = 5
        programmes[1].save()
        seen_before_commit = cache.get(GENERATION_KEY)
        assert seen_before_commit is not None

    assert cache.get(GENERATION_KEY) not in (None, seen_before_commit)


def test_a_chunk_costs_the_same_queries_whatever_its_size(programmes):
    TeacherFactory.create_batch(12)

    def queries_for(chunk_size):
        catalogue()
        with CaptureQueriesContext(connection) as queries:
            chunks = list(reevaluate_everyone(chunk_size, act=False))
        return len(queries), len(chunks)

    small, small_chunks = queries_for(3)
    large, large_chunks = queries_for(20)
    assert (small_chunks, large_chunks) == (4, 1)
    assert small // small_chunks == large - 1  # ids and records per chunk; the last (empty) read of ids
    assert large <= 3


def test_reevaluating_everyone_counts_and_acts_by_chunks(courses, django_capture_on_commit_callbacks):
    automatic = ProgrammeFactory(required_courses=[courses[0]], minimum_community_sessions=1)
    approval = ProgrammeFactory(required_courses=[courses[1]], issue_mode=CertificationProgramme.IssueMode.APPROVAL)
    teachers = TeacherFactory.create_batch(5)
    for teacher in teachers[1::2]:
        complete_course(teacher, courses[0])
    attend(teachers[1], "community")
    attend(teachers[3], "community")
    attend(teachers[4], "community")  # sessions but no course: not eligible
    complete_course(teachers[4], courses[1])  # but eligible for the approval programme
    dry = list(reevaluate_everyone(2, act=False))
    assert sum(chunk.eligible for chunk in dry) == 3 and not any(chunk.actions for chunk in dry)
    assert not Certificate.objects.exists() and not ApprovalRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        chunks = list(reevaluate_everyone(chunk_size=2))
    assert [chunk.teachers for chunk in chunks] == [2, 2, 1]
    actions = {user_id: done for chunk in chunks for user_id, done in chunk.actions.items()}
    assert actions == {
        teachers[1].pk: [f"issued:{automatic.slug}"],
        teachers[3].pk: [f"issued:{automatic.slug}"],
        teachers[4].pk: [f"queued:{approval.slug}"],
    }
    assert (sum(chunk.issued for chunk in chunks), sum(chunk.queued for chunk in chunks)) == (2, 1)
    assert set(Certificate.objects.values_list("user_id", flat=True)) == {teachers[1].pk, teachers[3].pk}
    held = evaluate_all(teachers[1])[0].certificate
    assert held.serial == Certificate.objects.get(user=teachers[1]).serial and held.is_valid(timezone.localdate())
    again = list(reevaluate_everyone(chunk_size=2))
    assert sum(chunk.issued for chunk in again) == 0  # held now: nothing issued twice


def test_reevaluate_command_dry_run_and_for_real(teacher, courses, django_capture_on_commit_callbacks, capsys):
    programme = ProgrammeFactory(required_courses=[courses[0]])
    complete_course(teacher, courses[0])
    call_command("reevaluate_eligibility", "--dry-run", "--chunk-size", "1")
    out = capsys.readouterr()
    assert "1 eligible for a certificate they do not hold; nothing issued or queued (dry run)" in out.out
    assert "teachers" in out.err  # the progress bar
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reevaluate_eligibility")
    assert "1 certificates issued, 0 queued" in capsys.readouterr().out
    assert Certificate.objects.get(user=teacher, programme=programme).status == Certificate.Status.ISSUED


def test_without_a_working_cache_the_programmes_are_read_every_time(teacher, programmes, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    evaluate_all(teacher)
    with CaptureQueriesContext(connection) as queries:
        results = evaluate_all(teacher)
    assert len(queries) > 1  # never a catalogue that nothing would invalidate
    assert [result.programme for result in results] == programmes
