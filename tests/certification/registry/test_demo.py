import io

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from certification import demo
from certification.models import Certificate, CertificationProgramme

pytestmark = pytest.mark.django_db


def test_demo_teacher_holds_a_valid_and_a_revoked_certificate_and_loading_twice_adds_nothing(
    client, home_page, django_capture_on_commit_callbacks
):
    accounts_demo.load(io.StringIO())
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(output)
        demo.load(io.StringIO())
    assert set(CertificationProgramme.objects.values_list("slug", flat=True)) == {"beginner", "advanced", "community"}
    advanced = CertificationProgramme.objects.get(slug="advanced")
    assert advanced.prerequisite.slug == "beginner" and advanced.issue_mode == "approval"
    assert advanced.minimum_accepted_resources == 1  # the white paper's exchange counts towards Advanced
    assert CertificationProgramme.objects.get(slug="community").minimum_community_sessions == 4
    certificates = Certificate.objects.filter(user__email=accounts_demo.TEACHER_EMAIL)
    assert sorted(certificates.values_list("status", flat=True)) == ["issued", "revoked"]
    valid = certificates.get(status="issued")
    revoked = certificates.get(status="revoked")
    assert valid.supersedes == revoked
    text = output.getvalue()
    assert valid.grouped_verification_code in text and revoked.grouped_verification_code in text
    body = client.get(reverse("certification:verify"), {"code": revoked.verification_code}).content.decode()
    assert "verification-revoked" in body and valid.serial in body
