"""Journey: a teacher joins a community and starts a thread, another member replies, and the first sees the
notification; a workshop participant answers the feedback questionnaire and the organiser sees the chart."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.demo import DEMO_ACCOUNTS, TEACHER_EMAIL, ensure_authenticator
from community import demo as community_demo
from community.models import CommunityPage
from courses.models import Attendance, TrainingSession
from discussions.models import Thread
from feedback.answering import submit
from feedback.demo import standard_questionnaire
from feedback.models import Question, Submission, Survey
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.steps import field, sign_in, sign_in_with_two_factors, text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEACHER_PASSWORD = next(spec["password"] for spec in DEMO_ACCOUNTS if spec["email"] == TEACHER_EMAIL)


@pytest.fixture
def communities(demo_site):
    community_demo.load(io.StringIO())


def test_a_reply_reaches_the_thread_starter(page, browser, live_server, communities):
    title_zh = community_demo.COMMUNITIES[1][4][0]
    community = CommunityPage.objects.get(title=title_zh)
    sign_in(page, TEACHER_EMAIL, TEACHER_PASSWORD)
    page.goto(community.url)
    page.get_by_role("button", name=text("Join this community")).click()
    page.get_by_role("link", name=text("Discussions"), exact=True).click()
    field(page, text("Title")).fill("雙語教案如何設計？")
    field(page, text("Message")).fill("想請教大家設計雙語國際教育教案的經驗。")
    page.get_by_role("button", name=text("Post the thread")).click()
    page.get_by_role("heading", level=1, name="雙語教案如何設計？").wait_for()
    thread = Thread.objects.get(title="雙語教案如何設計？")

    colleague = UserFactory(email="colleague@school.example.tw")
    community.join(colleague)
    other_context = browser.new_context(base_url=live_server.url, locale="zh-TW")
    other = other_context.new_page()
    try:
        sign_in(other, colleague.email, PASSWORD)
        other.goto(f"/zh-hant/discussions/threads/{thread.pk}/")
        field(other, text("Message")).fill("我會先從學生的生活經驗出發。")
        other.get_by_role("button", name=text("Post the reply")).click()
        other.get_by_text("我會先從學生的生活經驗出發。").wait_for()
    finally:
        other_context.close()

    page.goto("/zh-hant/learning/")
    bell = page.locator("a.bell")
    assert bell.locator(".bell-count").inner_text() == "1"
    bell.click()
    notice = page.locator(".notification-unread").first
    assert "雙語教案如何設計？" in notice.inner_text()
    notice.get_by_role("button").click()
    page.get_by_text("我會先從學生的生活經驗出發。").wait_for()
    assert page.locator("a.bell .bell-count").count() == 0, "read, so the count is gone"


def test_participant_answers_and_organiser_sees_the_chart(page, browser, live_server, demo_site):
    organiser = UserFactory(email="organiser@school.example.tw")
    start = timezone.now() - datetime.timedelta(days=1)
    session = TrainingSession.objects.create(
        kind=TrainingSession.Kind.WORKSHOP,
        title="國際教育議題融入教學工作坊",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        hours=Decimal("3"),
    )
    session.organisers.add(organiser)
    survey = Survey.objects.create(questionnaire=standard_questionnaire(), session=session)
    questions = list(survey.questionnaire.questions.all())
    others = [UserFactory() for _ in range(4)]
    participant = UserFactory(email="participant@school.example.tw")
    for person in [*others, participant]:
        Attendance.objects.create(session=session, user=person, method="list")
    for person in others:
        submit(survey, person, {q.pk: 4 for q in questions if q.kind == Question.Kind.LIKERT})

    sign_in(page, participant.email, PASSWORD)
    page.goto("/zh-hant/notifications/")
    page.locator(".notification").filter(has_text=session.title).get_by_role("button").click()
    page.get_by_role("heading", level=1, name="研習回饋問卷").wait_for()
    for question in questions:
        if question.kind == Question.Kind.LIKERT:
            page.locator(f"input[name=q{question.pk}][value='5']").check()
        elif question.kind == Question.Kind.MULTIPLE:
            page.locator(f"input[name=q{question.pk}][value='0']").check()
        else:
            page.locator(f"textarea[name=q{question.pk}]").fill("希望增加分組討論時間")
    page.get_by_role("button", name=text("Send my answers")).click()
    page.get_by_role("status").wait_for()
    assert Submission.objects.filter(survey=survey, user=participant).exists()

    organiser_context = browser.new_context(base_url=live_server.url, locale="zh-TW")
    organiser_page = organiser_context.new_page()
    try:
        # An organiser sees other people's data: two factors, as every privileged role.
        sign_in_with_two_factors(organiser_page, organiser.email, PASSWORD, ensure_authenticator(organiser))
        organiser_page.goto("/zh-hant/feedback/")
        organiser_page.get_by_role("link", name=session.title).click()
        chart = organiser_page.locator("table.bar-chart").first
        chart.wait_for()
        assert "5" in organiser_page.locator(".answer-rate").inner_text()
        assert "希望增加分組討論時間" in organiser_page.locator(".open-answers").inner_text()
        assert participant.email not in organiser_page.content()
    finally:
        organiser_context.close()
