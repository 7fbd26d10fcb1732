import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from certification.models import ApprovalRequest, Certificate, CertificationProgramme
from certification.registry.automation import act_on_eligibility
from certification.registry.eligibility import Kind, evaluate_all, evaluate_eligibility
from certification.registry.issuing import revoke_certificate
from certification.registry.renewal import RenewalRefused, renew_certificate, renewal_check
from courses.signals import progress_changed
from tests.certification.factories import ProgrammeFactory, attend, complete_course, score_module
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The numbers are asserted in the English wording."""
    with translation.override("en"):
        yield


def requirement(eligibility, kind):
    return next(item for item in eligibility.requirements if item.kind == kind)


def test_required_courses_counted_and_named(teacher, courses):
    programme = ProgrammeFactory(required_courses=courses)
    first = evaluate_eligibility(teacher, programme)
    assert not first.eligible
    assert requirement(first, Kind.COURSES).detail == "0 of 2 courses"
    complete_course(teacher, courses[0])
    second = requirement(evaluate_eligibility(teacher, programme), Kind.COURSES)
    assert (second.current, second.required, second.met) == (1, 2, False)
    assert second.missing == (courses[1].title,)
    complete_course(teacher, courses[1])
    assert evaluate_eligibility(teacher, programme).eligible


def test_a_course_completed_in_its_english_translation_counts(teacher, courses, locales):
    english = courses[0].copy_for_translation(locales["en"], copy_parents=True)
    programme = ProgrammeFactory(required_courses=[courses[0]])
    complete_course(teacher, english)
    assert requirement(evaluate_eligibility(teacher, programme), Kind.COURSES).met


def test_hours_add_online_and_workshop_but_not_community(teacher, courses):
    programme = ProgrammeFactory(minimum_hours=Decimal("12"))
    complete_course(teacher, courses[0])  # 6 hours online
    attend(teacher, "workshop", hours="3")
    attend(teacher, "community", hours="2")
    hours = requirement(evaluate_eligibility(teacher, programme), Kind.HOURS)
    assert (hours.current, hours.met) == (Decimal("9"), False)
    assert hours.detail == "9 of 12 hours"
    attend(teacher, "workshop", hours="3")
    assert requirement(evaluate_eligibility(teacher, programme), Kind.HOURS).met


def test_minimum_score_is_the_average_best_score_of_the_required_courses(teacher, courses):
    programme = ProgrammeFactory(required_courses=[courses[0]], minimum_score=Decimal("80"))
    score = requirement(evaluate_eligibility(teacher, programme), Kind.SCORE)
    assert score.current is None and not score.met
    module = courses[0].get_children().first().specific
    score_module(teacher, module, "70")
    other_course_module = courses[1].get_children().first().specific
    score_module(teacher, other_course_module, "100")  # not a required course: does not lift the average
    score = requirement(evaluate_eligibility(teacher, programme), Kind.SCORE)
    assert (score.current, score.met) == (Decimal("70.00"), False)


def test_prerequisite_needs_a_valid_certificate(teacher, issue):
    beginner = ProgrammeFactory(validity_years=1)
    advanced = ProgrammeFactory(prerequisite=beginner)
    assert not requirement(evaluate_eligibility(teacher, advanced), Kind.PREREQUISITE).met
    certificate = issue(teacher, beginner)
    assert requirement(evaluate_eligibility(teacher, advanced), Kind.PREREQUISITE).met
    revoke_certificate(certificate, reason="test", by=UserFactory())
    assert not requirement(evaluate_eligibility(teacher, advanced), Kind.PREREQUISITE).met


def test_an_expired_prerequisite_does_not_count(teacher, issue):
    beginner = ProgrammeFactory(validity_years=1)
    advanced = ProgrammeFactory(prerequisite=beginner)
    issue(teacher, beginner, today=timezone.localdate() - datetime.timedelta(days=400))
    assert not requirement(evaluate_eligibility(teacher, advanced), Kind.PREREQUISITE).met


def test_community_sessions_count_only_community_attendance(teacher):
    programme = ProgrammeFactory(minimum_community_sessions=2)
    attend(teacher, "community")
    attend(teacher, "workshop")
    sessions = requirement(evaluate_eligibility(teacher, programme), Kind.COMMUNITY_SESSIONS)
    assert (sessions.current, sessions.met, sessions.detail) == (1, False, "1 of 2 sessions")
    attend(teacher, "community")
    assert evaluate_eligibility(teacher, programme).eligible


def test_one_teacher_across_all_programmes_in_few_queries(teacher, courses, django_assert_max_num_queries):
    for index in range(6):
        ProgrammeFactory(required_courses=courses, minimum_hours=index, minimum_score=50, minimum_community_sessions=1)
    complete_course(teacher, courses[0])
    attend(teacher, "community")
    with django_assert_max_num_queries(4):  # programmes, their courses, the titles (once per process); the teacher
        results = evaluate_all(teacher)
    assert len(results) == 6


def test_automatic_programme_issues_on_progress_signal(teacher, courses, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(required_courses=[courses[0]])
    complete_course(teacher, courses[0])
    with django_capture_on_commit_callbacks(execute=True):
        progress_changed.send(sender=None, user=teacher)
    certificate = Certificate.objects.get(user=teacher, programme=programme)
    assert certificate.origin == Certificate.Origin.AUTOMATIC
    assert certificate.status == Certificate.Status.ISSUED
    assert act_on_eligibility(teacher) == []  # held: nothing more happens


def test_approval_programme_queues_the_teacher_once(teacher, courses):
    programme = ProgrammeFactory(required_courses=[courses[0]], issue_mode=CertificationProgramme.IssueMode.APPROVAL)
    complete_course(teacher, courses[0])
    assert act_on_eligibility(teacher) == [f"queued:{programme.slug}"]
    assert act_on_eligibility(teacher) == [f"queued:{programme.slug}"]
    assert ApprovalRequest.objects.filter(user=teacher, status="pending").count() == 1
    assert not Certificate.objects.exists()
    assert ModelLogEntry.objects.filter(action="certification.request_approval").count() == 1


def test_not_eligible_nothing_happens(teacher, courses):
    ProgrammeFactory(required_courses=courses)
    complete_course(teacher, courses[0])
    assert act_on_eligibility(teacher) == []
    assert not Certificate.objects.exists()


def test_reevaluate_command_covers_everyone(teacher, courses, django_capture_on_commit_callbacks, capsys):
    programme = ProgrammeFactory(required_courses=[courses[0]])
    complete_course(teacher, courses[0])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reevaluate_eligibility")
    assert "1 certificates issued" in capsys.readouterr().out
    assert Certificate.objects.get(user=teacher, programme=programme).status == Certificate.Status.ISSUED


def test_renewal_on_request_of_an_expired_certificate(teacher, issue, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(validity_years=1, renewal_rule=CertificationProgramme.RenewalRule.ON_REQUEST)
    old = issue(teacher, programme, today=timezone.localdate() - datetime.timedelta(days=400))
    assert renewal_check(old).allowed
    with django_capture_on_commit_callbacks(execute=True):
        new = renew_certificate(old, by=teacher)
    new.refresh_from_db()
    assert new.supersedes_id == old.pk and new.origin == Certificate.Origin.RENEWAL
    assert new.valid_until > timezone.localdate()


def test_renewal_by_continuing_hours(teacher, courses, issue):
    programme = ProgrammeFactory(
        validity_years=1,
        renewal_rule=CertificationProgramme.RenewalRule.CONTINUING_HOURS,
        renewal_hours=Decimal("5"),
    )
    old = issue(teacher, programme, today=timezone.localdate() - datetime.timedelta(days=400))
    check = renewal_check(old)
    assert not check.allowed and check.detail.startswith("0 of 5")
    with pytest.raises(RenewalRefused):
        renew_certificate(old, by=teacher)
    attend(teacher, "workshop", hours="6")
    assert renewal_check(old).allowed


def test_a_certificate_that_cannot_be_renewed(teacher, issue):
    programme = ProgrammeFactory(validity_years=1)
    old = issue(teacher, programme, today=timezone.localdate() - datetime.timedelta(days=400))
    assert not renewal_check(old).allowed
