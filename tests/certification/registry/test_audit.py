"""Each privileged action on certificates writes its audit row: who, from where, on what, what changed, why."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Action, AuditEntry
from certification.models import ApprovalRequest, BulkIssue, Certificate, CertificationProgramme
from lms.roles import CERTIFICATION_ADMINISTRATORS
from tests.certification.factories import ProgrammeFactory, TeacherFactory
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.23"


@pytest.fixture
def administrator(db):
    user = UserFactory(is_staff=True, email="registrar@moe.example.tw")
    user.groups.add(Group.objects.get(name=CERTIFICATION_ADMINISTRATORS))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    client.defaults["REMOTE_ADDR"] = ADDRESS
    return client


def only_entry(action, **lookups):
    entries = list(AuditEntry.objects.filter(action=action, **lookups))
    assert len(entries) == 1, entries
    return entries[0]


def test_issuing_from_the_admin(admin_client, administrator, programme):
    teacher = TeacherFactory()
    admin_client.post(reverse("certification_admin:issue"), {"programme": programme.pk, "email": teacher.email})
    certificate = Certificate.objects.get(user=teacher)
    entry = only_entry(Action.CERTIFICATE_ISSUED)
    assert entry.actor == administrator and entry.ip_address == ADDRESS
    assert entry.target_id == str(certificate.pk) and entry.changes["serial"] == certificate.serial
    assert entry.changes["origin"] == Certificate.Origin.MANUAL


def test_an_automatic_issue_names_no_person(certificate):
    entry = only_entry(Action.CERTIFICATE_ISSUED)
    assert entry.actor is None and entry.actor_label == "" and entry.ip_address == ""


def test_revoking(admin_client, administrator, certificate):
    admin_client.post(
        reverse("certification_admin:revoke", args=[certificate.pk]), {"reason": "冒名申請", "confirm": "on"}
    )
    entry = only_entry(Action.CERTIFICATE_REVOKED)
    assert entry.actor == administrator and entry.ip_address == ADDRESS
    assert entry.reason == "冒名申請"
    assert entry.changes == {"status": ["issued", "revoked"]}
    assert entry.target_label == str(certificate)


def test_a_refused_revocation_writes_nothing(admin_client, certificate):
    admin_client.post(reverse("certification_admin:revoke", args=[certificate.pk]), {"reason": "", "confirm": "on"})
    assert not AuditEntry.objects.filter(action=Action.CERTIFICATE_REVOKED).exists()


def test_reissuing(admin_client, administrator, certificate, django_capture_on_commit_callbacks):
    admin_client.post(reverse("certification_admin:reissue", args=[certificate.pk]))
    new = Certificate.objects.get(supersedes=certificate)
    entry = only_entry(Action.CERTIFICATE_REISSUED)
    assert entry.actor == administrator and entry.target_id == str(new.pk)
    assert entry.changes["supersedes"] == certificate.serial


def test_approving_and_rejecting(admin_client, administrator):
    programme = ProgrammeFactory(issue_mode=CertificationProgramme.IssueMode.APPROVAL)
    first, second = (ApprovalRequest.objects.create(user=TeacherFactory(), programme=programme) for _ in range(2))
    admin_client.get(reverse("certification_admin:review_request", args=[first.pk]))
    opened = only_entry(Action.LEARNER_RECORD_VIEWED)
    assert opened.target_id == str(first.user.pk) and opened.actor == administrator
    admin_client.post(reverse("certification_admin:review_request", args=[first.pk]), {"decision": "approve"})
    approved = only_entry(Action.CERTIFICATE_APPROVED)
    assert approved.target_id == str(first.pk) and approved.ip_address == ADDRESS
    assert approved.changes["certificate"] == Certificate.objects.get(user=first.user).serial
    admin_client.post(
        reverse("certification_admin:review_request", args=[second.pk]), {"decision": "reject", "note": "時數不足"}
    )
    rejected = only_entry(Action.CERTIFICATE_REJECTED)
    assert rejected.target_id == str(second.pk) and rejected.reason == "時數不足"


def test_bulk_issue(admin_client, administrator, programme):
    teachers = [TeacherFactory() for _ in range(2)]
    upload = SimpleUploadedFile("list.csv", "\n".join(t.email for t in teachers).encode(), "text/csv")
    admin_client.post(reverse("certification_admin:bulk_issue"), {"programme": programme.pk, "csv_file": upload})
    batch = BulkIssue.objects.get()
    entry = only_entry(Action.BULK_ISSUE)
    assert entry.actor == administrator and entry.ip_address == ADDRESS
    assert entry.target_id == str(batch.pk) and entry.changes == {
        "programme": programme.slug,
        "items": 2,
        "source": "list.csv",
    }


@pytest.mark.parametrize("name", ["export_csv", "export_zip"])
def test_registry_exports(admin_client, administrator, certificate, name):
    response = admin_client.get(reverse(f"certification_admin:{name}"), {"q": certificate.serial})
    assert response.status_code == 200
    entry = only_entry(Action.DATA_EXPORTED)
    assert entry.actor == administrator and entry.changes == {"filters": {"q": certificate.serial}}
    assert entry.target_label.startswith("certificates-")
