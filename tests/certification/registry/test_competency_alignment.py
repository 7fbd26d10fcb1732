"""A certificate lists the competency indicators of its programme's courses as they were on the day it was issued."""

from urllib.parse import urlparse

import pytest

from certification.credentials.open_badges import build_open_badge_credential
from certification.credentials.status_list import credential_status_entry
from certification.registry.issuing import certificate_snapshot
from competencies.models import Indicator
from tests.certification.factories import ProgrammeFactory, TeacherFactory, complete_course
from tests.certification.ob3_schema import schema_errors
from tests.certification.poppler import pdftotext
from tests.competencies.factories import IndicatorFactory, published_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def aligned(courses):
    """The first course aligned to NI-E1, its module to IL-J1, both of one published framework version."""
    course_indicator = IndicatorFactory(code="NI-E1", title_zh="認識我國的文化特色", title_en="Know Taiwan's culture")
    module_indicator = IndicatorFactory(area=course_indicator.area, code="IL-J1", stage="J")
    framework = course_indicator.area.framework
    framework.publish()
    course = courses[0]
    align(course, course_indicator)
    align(course.get_children().first().specific, module_indicator)
    return framework


def align(page, *indicators):
    """As the editor's form does: a page's indicators are saved with the page."""
    page.competency_indicators.set(indicators)
    page.save()


def credential_of(certificate):
    return build_open_badge_credential(
        certificate_snapshot(certificate),
        credential_id=f"http://testserver/verify/{certificate.public_id}",
        achievement_id="http://testserver/zh-hant/programmes/x/",
        credential_status=credential_status_entry(certificate),
    )


def issued(courses, issue):
    programme = ProgrammeFactory(required_courses=courses)
    teacher = TeacherFactory()
    for course in courses:
        complete_course(teacher, course)
    return issue(teacher, programme)


def test_the_certificate_freezes_the_indicators_of_its_courses_and_modules(aligned, courses, issue, client):
    certificate = issued(courses, issue)

    codes = [row[2] for row in certificate.alignments]
    assert sorted(codes) == ["IL-J1", "NI-E1"]
    credential = credential_of(certificate)
    assert schema_errors(credential) == []
    targets = {entry["targetCode"]: entry for entry in credential["credentialSubject"]["achievement"]["alignment"]}
    assert targets["NI-E1"]["targetName"] == "認識我國的文化特色 / Know Taiwan's culture"
    assert f"v{aligned.version}" in targets["NI-E1"]["targetFramework"]
    # The target URL is the indicator's public page, and it answers.
    response = client.get(urlparse(targets["NI-E1"]["targetUrl"]).path)
    assert response.status_code == 200
    assert "Know Taiwan" in response.content.decode() or "認識我國的文化特色" in response.content.decode()
    text = pdftotext(certificate.pdf.read())
    assert "NI-E1" in text and "IL-J1" in text


def test_a_new_framework_version_and_a_realigned_course_leave_the_issued_certificate_as_it_was(
    aligned, courses, issue, client
):
    certificate = issued(courses, issue)
    before = certificate.alignments
    credential_before = credential_of(certificate)

    new = aligned.new_version()
    renamed = Indicator.objects.get(area__framework=new, code="NI-E1")
    renamed.title_en = "A different wording"
    renamed.save()
    new.publish()
    align(courses[0], renamed)

    certificate.refresh_from_db()
    assert certificate.alignments == before
    assert credential_of(certificate) == credential_before
    # The retired version's page still answers, so the old credential's link does not break.
    old_url = urlparse({row[2]: row[5] for row in before}["NI-E1"]).path
    assert client.get(old_url).status_code == 200


def test_draft_indicators_never_reach_a_certificate(courses, issue):
    draft = IndicatorFactory(code="GC-U1")
    align(courses[0], draft)  # behind the form's back: the form offers no drafts
    published = published_indicator(code="GR-E1")
    align(courses[1], published)

    certificate = issued(courses, issue)

    assert [row[2] for row in certificate.alignments] == ["GR-E1"]


def test_a_certificate_without_aligned_courses_lists_none(courses, issue):
    certificate = issued(courses, issue)
    assert certificate.alignments == []
    assert "alignment" not in credential_of(certificate)["credentialSubject"]["achievement"]
