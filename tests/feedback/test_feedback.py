"""Feedback questionnaires: answering once after attending, anonymous results behind a threshold, exports, the answer
rate, the feedback request, and workshop hours withheld until the answer when a programme asks."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from certification.registry.eligibility import Kind, evaluate_eligibility
from courses.models import Attendance, TrainingSession
from feedback.answering import AnswerRefused, submit
from feedback.demo import standard_questionnaire
from feedback.models import Answer, AnswerSheet, Question, Submission, Survey
from feedback.results import answer_rate, summarise
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.certification.factories import ProgrammeFactory, attend

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def organiser():
    """An organiser, with the authenticator app every privileged role must have."""
    user = UserFactory(email="organiser@school.example.tw")
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def session(organiser):
    start = timezone.now() - datetime.timedelta(days=1)
    session = TrainingSession.objects.create(
        kind=TrainingSession.Kind.WORKSHOP,
        title="國際教育課程設計工作坊",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        hours=Decimal("3"),
    )
    session.organisers.add(organiser)
    return session


@pytest.fixture
def survey(session):
    return Survey.objects.create(questionnaire=standard_questionnaire(), session=session)


def questions(survey):
    return {q.kind + str(i): q for i, q in enumerate(survey.questionnaire.questions.all())}


def attendees(session, count):
    people = [UserFactory() for _ in range(count)]
    for person in people:
        Attendance.objects.create(session=session, user=person, method="list")
    return people


def form_data(survey, likert=4, suggestion="", multiple=(0,)):
    data = {}
    for question in survey.questionnaire.questions.all():
        name = f"q{question.pk}"
        if question.kind == Question.Kind.LIKERT:
            data[name] = likert
        elif question.kind == Question.Kind.MULTIPLE:
            data[name] = list(multiple)
        elif question.kind == Question.Kind.TEXT:
            data[name] = suggestion
    return data


class TestAnswering:
    def test_attendee_answers_once_through_the_page(self, survey, session):
        (teacher,) = attendees(session, 1)
        client = client_for(teacher)
        url = reverse("feedback:answer", args=[survey.pk])
        assert "研習回饋問卷" in client.get(url).content.decode()
        response = client.post(url, form_data(survey, likert=5, suggestion="希望有更多實作時間"))
        assert response.status_code == 302
        assert Submission.objects.filter(survey=survey, user=teacher).exists()
        assert Answer.objects.filter(text="希望有更多實作時間").exists()
        client.post(url, form_data(survey, likert=1))
        assert AnswerSheet.objects.count() == 1, "a second answer is refused"
        with pytest.raises(AnswerRefused):
            submit(survey, teacher, {})

    def test_someone_who_did_not_attend_cannot_answer(self, survey):
        stranger = UserFactory()
        response = client_for(stranger).post(reverse("feedback:answer", args=[survey.pk]), form_data(survey))
        assert response.status_code == 403 and not AnswerSheet.objects.exists()

    def test_required_questions_and_out_of_range_values_are_refused(self, survey, session):
        (teacher,) = attendees(session, 1)
        data = form_data(survey, likert=9)
        response = client_for(teacher).post(reverse("feedback:answer", args=[survey.pk]), data)
        assert response.status_code == 200 and not Submission.objects.exists()

    def test_answers_are_not_linked_to_the_person(self):
        sheet_fields = {f.name for f in AnswerSheet._meta.get_fields()}
        answer_fields = {f.name for f in Answer._meta.get_fields()}
        assert "user" not in sheet_fields and "user" not in answer_fields and "submission" not in sheet_fields

    def test_attending_asks_for_feedback(self, survey, session, django_capture_on_commit_callbacks):
        teacher = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            Attendance.objects.create(session=session, user=teacher, method="code")
        notice = Notification.objects.get(recipient=teacher)
        assert notice.event == "feedback_requested" and notice.url == f"/feedback/{survey.pk}/"


def test_completing_a_course_asks_once(home_page, django_capture_on_commit_callbacks):
    from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, EnrolmentFactory

    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), title="國際教育概論")
    survey = Survey.objects.create(questionnaire=standard_questionnaire(), course=course)
    enrolment = EnrolmentFactory(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.save()
        assert not Notification.objects.exists(), "not completed yet"
        enrolment.completed_at = timezone.now()
        enrolment.save()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.save()
    notice = Notification.objects.get(recipient=enrolment.user)
    assert notice.event == "feedback_requested" and notice.url == f"/feedback/{survey.pk}/"
    client = client_for(enrolment.user)
    assert client.get(reverse("feedback:answer", args=[survey.pk])).status_code == 200


class TestResults:
    def test_hidden_below_five_respondents_shown_at_five(self, survey, session, organiser):
        people = attendees(session, 6)
        url = reverse("feedback:results", args=[survey.pk])
        for person in people[:4]:
            submit(
                survey,
                person,
                {q.pk: v for q, v in zip(survey.questionnaire.questions.all(), [4, 4, 3, 5, [0], "好"], strict=True)},
            )
        assert summarise(survey) is None
        page = client_for(organiser).get(url).content.decode()
        assert "bar-chart" not in page and "好" not in page
        assert client_for(organiser).get(reverse("feedback:export_csv", args=[survey.pk])).status_code == 302
        submit(
            survey,
            people[4],
            {
                q.pk: v
                for q, v in zip(survey.questionnaire.questions.all(), [2, 4, 3, 5, [1, 2], "場地太冷"], strict=True)
            },
        )
        summary = summarise(survey)
        content = summary[0]
        assert content.mean == Decimal("3.60") and [bar.count for bar in content.bars] == [0, 1, 0, 4, 0]
        assert [bar.count for bar in summary[4].bars] == [4, 1, 1, 0]
        assert summary[5].texts == sorted(["好"] * 4 + ["場地太冷"])
        page = client_for(organiser).get(url).content.decode()
        assert "bar-chart" in page and "場地太冷" in page
        for person in people[:5]:
            assert person.email not in page

    def test_answer_rate(self, survey, session):
        people = attendees(session, 4)
        submit(survey, people[0], {})
        rate = answer_rate(survey)
        assert (rate.answered, rate.asked, rate.percent) == (1, 4, 25)

    def test_only_organisers_trainers_and_staff_see_results(self, survey, session):
        (attendee,) = attendees(session, 1)
        url = reverse("feedback:results", args=[survey.pk])
        assert client_for(attendee).get(url).status_code == 403
        held = client_for(UserFactory(is_staff=True)).get(url)
        assert held.status_code == 302 and reverse("accounts:mfa_required") in held.url, "staff need two factors"
        superuser = UserFactory(is_superuser=True)
        TOTP.activate(superuser, generate_totp_secret())
        assert client_for(superuser).get(url).status_code == 200

    def test_csv_and_excel_exports_without_names(self, survey, session, organiser):
        people = attendees(session, 5)
        for number, person in enumerate(people):
            values = [number % 5 + 1, 4, 4, 4, [3], '=HYPERLINK("https://evil.example")' if number == 0 else "建議"]
            submit(
                survey, person, dict(zip([q.pk for q in survey.questionnaire.questions.all()], values, strict=True))
            )
        client = client_for(organiser)
        with translation.override("zh-hant"):
            response = client.get(reverse("feedback:export_csv", args=[survey.pk]))
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == 6 and rows[0][0].startswith("Q1.")
        assert sorted(int(row[0]) for row in rows[1:]) == [1, 2, 3, 4, 5]
        assert all(person.email not in text for person in people)
        assert not any(cell.startswith("=") for row in rows for cell in row), "no formula reaches a spreadsheet"
        workbook = load_workbook(io.BytesIO(client.get(reverse("feedback:export_xlsx", args=[survey.pk])).content))
        values = [cell.value for row in workbook.active.iter_rows() for cell in row]
        assert "建議" in values
        assert not any(isinstance(v, str) and v.startswith("=") for v in values), "no formula reaches Excel"

    def test_organisers_list_shows_the_rate(self, survey, session, organiser):
        attendees(session, 2)
        with translation.override("en"):
            page = client_for(organiser).get(reverse("feedback:surveys")).content.decode()
        assert "國際教育課程設計工作坊" in page and "0 of 2 (0%)" in page


class TestHoursWaitForFeedback:
    @pytest.fixture(autouse=True)
    def english(self):
        with translation.override("en"):
            yield

    def test_hours_withheld_until_answered_when_the_programme_asks(self, survey, session):
        teacher = UserFactory()
        Attendance.objects.create(session=session, user=teacher, method="list")
        attend(teacher, "workshop", hours="2")  # a workshop without a questionnaire counts at once
        asking = ProgrammeFactory(minimum_hours=Decimal("5"), hours_need_feedback=True)
        not_asking = ProgrammeFactory(minimum_hours=Decimal("5"))
        hours = next(r for r in evaluate_eligibility(teacher, asking).requirements if r.kind == Kind.HOURS)
        assert (hours.current, hours.met) == (Decimal("2"), False)
        assert "3 more hours count once you answer" in hours.detail
        other = next(r for r in evaluate_eligibility(teacher, not_asking).requirements if r.kind == Kind.HOURS)
        assert (other.current, other.met) == (Decimal("5"), True)
        submit(survey, teacher, {})
        hours = next(r for r in evaluate_eligibility(teacher, asking).requirements if r.kind == Kind.HOURS)
        assert (hours.current, hours.met) == (Decimal("5"), True) and "more hours" not in hours.detail
