import pytest
from wagtail.models import ModelLogEntry

from certification.issuing import issue_certificate
from certification.models import Certificate, SerialCounter
from tests.certification.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_issue_renders_signs_and_logs(teacher, courses, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(required_courses=courses)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue_certificate(teacher, programme, origin=Certificate.Origin.MANUAL)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.pdf.read().startswith(b"%PDF")
    assert SerialCounter.objects.get().last_number == 1
    assert ModelLogEntry.objects.filter(action="certification.issue").count() == 1
