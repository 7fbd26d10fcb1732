"""Issue 21, point 2: every bilingual text the platform builds from parts takes each part in its sentence's own
language. The zh-Hant half of the Open Badges credential, the e-mails, the PDF and the messages after an action is
scanned for the English titles of the demo programmes, courses and workshops (and the English half for the
Chinese ones)."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail

from accounts import demo as accounts_demo
from accounts.models import User
from certification import demo as certification_demo
from certification.credentials.certificates import open_badge_jwt
from certification.credentials.open_badges import issuer_jwks, verify_credential
from certification.models import Certificate
from certification.registry.notifications import send_expiry_reminders
from courses import demo as courses_demo
from courses.models import CoursePage, WorkshopPage
from home import demo as home_demo
from tests.certification.poppler import pdftotext

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_TITLES = (
    [programme["name_en"] for programme in certification_demo.PROGRAMMES]
    + [
        programme["certificate_title_en"]
        for programme in certification_demo.PROGRAMMES
        if "certificate_title_en" in programme
    ]
    + [course[6][0] for course in courses_demo.COURSES]
    + [workshop[-1][0] for workshop in courses_demo.WORKSHOPS]
)
CHINESE_TITLES = (
    [programme["name_zh"] for programme in certification_demo.PROGRAMMES]
    + [course[5][0] for course in courses_demo.COURSES]
    + [workshop[-2][0] for workshop in courses_demo.WORKSHOPS]
)


def english_titles_in(text):
    return [title for title in ENGLISH_TITLES if title in text]


def chinese_titles_in(text):
    return [title for title in CHINESE_TITLES if title in text]


@pytest.fixture
def demo(locales, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for module in (accounts_demo, home_demo, courses_demo, certification_demo):
            module.load(io.StringIO())
    teacher = User.objects.get(email=accounts_demo.TEACHER_EMAIL)
    return teacher, Certificate.objects.get(user=teacher, status="issued", is_current=True)


def test_the_titles_scanned_for_are_the_demos_and_tell_the_languages_apart():
    assert "International Education Professional Competency (Beginner)" in ENGLISH_TITLES
    assert "Foundations of international education" in ENGLISH_TITLES
    assert all(not CJK.search(title) for title in ENGLISH_TITLES)
    assert all(CJK.search(title) for title in CHINESE_TITLES)


def test_the_credentials_chinese_criteria_name_the_programme_in_chinese(demo):
    _teacher, certificate = demo
    payload = verify_credential(open_badge_jwt(certificate), issuer_jwks())
    achievement = payload["credentialSubject"]["achievement"]
    chinese, english = achievement["criteria"]["narrative"].split(" / ")
    assert certificate.programme_name_zh in chinese and not english_titles_in(chinese)
    assert certificate.programme_name_en in english and not chinese_titles_in(english)


def test_the_chinese_half_of_every_certificate_e_mail_uses_chinese_titles(demo, django_capture_on_commit_callbacks):
    _teacher, certificate = demo
    with django_capture_on_commit_callbacks(execute=True):
        send_expiry_reminders(today=certificate.valid_until - timedelta(days=30))
    kinds = {"issued": 0, "revoked": 0, "expires": 0}
    for message in mail.outbox:
        subject_zh, subject_en = message.subject.split(" / ")
        body_zh, body_en = message.body.split("\n\n----\n\n")
        for chinese in (subject_zh, body_zh):
            assert not english_titles_in(chinese), chinese
        for english in (subject_en, body_en):
            assert not chinese_titles_in(english), english
        about_the_certificate = {
            "issued": "has been issued" in body_en,
            "revoked": "has been revoked" in body_en,
            "expires": "is valid until" in body_en,
        }
        for kind, matched in about_the_certificate.items():
            kinds[kind] += matched
        if any(about_the_certificate.values()):
            assert certificate.programme_name_zh in body_zh
    assert kinds == {"issued": 2, "revoked": 1, "expires": 1}


def test_every_chinese_line_of_the_pdf_uses_chinese_titles(demo):
    _teacher, certificate = demo
    lines = [line for line in pdftotext(certificate.pdf.read()).splitlines() if CJK.search(line)]
    assert any(certificate.programme_name_zh in line for line in lines)
    assert any("國際教育基礎概論" in line for line in lines)
    for line in lines:
        assert not english_titles_in(line), line


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_messages_after_enrolling_and_registering_name_the_course_and_workshop_in_the_readers_language(
    demo, client, language
):
    teacher, _certificate = demo
    client.force_login(teacher)
    course = CoursePage.objects.get(slug="school-internationalisation", locale__language_code=language)
    # A workshop page made in Chinese: its session keeps the Chinese title whatever language it is read in.
    workshop = WorkshopPage.objects.get(slug="exchange-online-workshop", locale__language_code=language)
    texts = []
    for url in (
        f"/{language}/learning/courses/{course.pk}/enrol/",
        f"/{language}/learning/sessions/{workshop.session_id}/register/",
    ):
        response = client.post(url, follow=True)
        texts += [str(message) for message in response.context["messages"]]
    assert any(course.title in text for text in texts) and any(workshop.title in text for text in texts), texts
    for text in texts:
        if language == "zh-hant":
            assert not english_titles_in(text), text
        else:
            assert not chinese_titles_in(text), text
