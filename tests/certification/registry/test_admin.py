import csv
import io
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certification.models import ApprovalRequest, BulkIssue, Certificate, CertificationProgramme
from lms.roles import CERTIFICATION_ADMINISTRATORS
from tests.certification.factories import ProgrammeFactory, TeacherFactory, TeacherProfileFactory
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=CERTIFICATION_ADMINISTRATORS))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def admin_client(client, administrator, django_capture_on_commit_callbacks):
    client.force_login(administrator)
    return client


def test_registry_lists_filters_and_searches(admin_client, certificate, issue):
    other = issue(TeacherFactory(profile__name_zh="陳美玲", profile__county="hualien_county"), ProgrammeFactory())
    index = reverse("certification_certificate:index")
    body = admin_client.get(index).content.decode()
    assert certificate.serial in body and other.serial in body
    body = admin_client.get(index, {"county": "hualien_county"}).content.decode()
    assert other.serial in body and certificate.serial not in body
    body = admin_client.get(index, {"q": "陳美玲"}).content.decode()
    assert other.serial in body and certificate.serial not in body
    body = admin_client.get(index, {"q": certificate.serial}).content.decode()
    assert certificate.serial in body and other.serial not in body
    body = admin_client.get(index, {"state": "revoked"}).content.decode()
    assert certificate.serial not in body


def test_teachers_cannot_reach_the_registry(client, certificate):
    teacher = TeacherFactory(is_staff=True)
    Authenticator.objects.create(user=teacher, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(teacher)
    for url in (
        reverse("certification_certificate:index"),
        reverse("certification_admin:export_csv"),
        reverse("certification_admin:revoke", args=[certificate.pk]),
    ):
        assert client.get(url).status_code in {302, 403}


def test_revoke_needs_reason_and_confirmation(admin_client, administrator, certificate):
    url = reverse("certification_admin:revoke", args=[certificate.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"reason": "Records were falsified."})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    admin_client.post(url, {"reason": "", "confirm": "on"})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    response = admin_client.post(url, {"reason": "Records were falsified.", "confirm": "on"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revoked_by == administrator
    assert ModelLogEntry.objects.filter(action="certification.revoke", user=administrator).exists()


def test_reissue_from_the_admin(admin_client, certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("certification_admin:reissue", args=[certificate.pk]))
    new = Certificate.objects.get(supersedes=certificate)
    assert new.status == Certificate.Status.ISSUED and new.origin == Certificate.Origin.REISSUE


def test_manual_issue(admin_client, teacher, programme, django_capture_on_commit_callbacks):
    url = reverse("certification_admin:issue")
    response = admin_client.post(url, {"programme": programme.pk, "email": "nobody@example.tw"})
    assert response.status_code == 200 and not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"programme": programme.pk, "email": teacher.email})
    assert Certificate.objects.get(user=teacher).status == Certificate.Status.ISSUED


@pytest.mark.parametrize("encoding", ["utf-8-sig", "big5"])
def test_bulk_issue_from_csv_shows_progress(admin_client, programme, encoding, django_capture_on_commit_callbacks):
    teachers = TeacherFactory.create_batch(2)
    nameless = UserFactory()
    rows = ["電子郵件,姓名", *[f"{user.email},王小明" for user in teachers], f"{nameless.email},無名", "ghost@x.tw,鬼"]
    upload = SimpleUploadedFile("名單.csv", "\r\n".join(rows).encode(encoding), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("certification_admin:bulk_issue"), {"programme": programme.pk, "csv_file": upload}
        )
    batch = BulkIssue.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{batch.pk}/")
    progress = admin_client.get(response["Location"], {"format": "json"}).json()
    assert progress == {"issued": 2, "failed": 2, "left": 0, "total": 4}
    page = admin_client.get(response["Location"]).content.decode()
    assert "ghost@x.tw" in page and nameless.email in page
    assert Certificate.objects.filter(status=Certificate.Status.ISSUED).count() == 2


def test_bulk_issue_rejects_a_file_that_is_not_text(admin_client, programme):
    upload = SimpleUploadedFile("list.csv", b"\xff\xfe\x00\x81\x82" * 10)
    response = admin_client.post(
        reverse("certification_admin:bulk_issue"), {"programme": programme.pk, "csv_file": upload}
    )
    assert response.status_code == 200 and not BulkIssue.objects.exists()


def test_bulk_issue_from_the_approval_queue(admin_client, programme, django_capture_on_commit_callbacks):
    queued = TeacherFactory.create_batch(3)
    for user in queued:
        ApprovalRequest.objects.create(user=user, programme=programme)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("certification_admin:bulk_issue"), {"programme": programme.pk, "approval_queue": "on"}
        )
    assert Certificate.objects.filter(programme=programme, status="issued").count() == 3
    assert not ApprovalRequest.objects.filter(status="pending").exists()


def test_approval_review_approves_or_rejects(admin_client, administrator, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(issue_mode=CertificationProgramme.IssueMode.APPROVAL)
    first, second = (ApprovalRequest.objects.create(user=TeacherFactory(), programme=programme) for _ in range(2))
    assert admin_client.get(reverse("certification_approvalrequest:index")).status_code == 200
    assert admin_client.get(reverse("certification_admin:review_request", args=[first.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("certification_admin:review_request", args=[first.pk]), {"decision": "approve"})
    first.refresh_from_db()
    assert first.status == "approved" and first.certificate.status == Certificate.Status.ISSUED
    admin_client.post(
        reverse("certification_admin:review_request", args=[second.pk]), {"decision": "reject", "note": "x"}
    )
    second.refresh_from_db()
    assert second.status == "rejected" and second.decided_by == administrator
    assert not Certificate.objects.filter(user=second.user).exists()


def test_csv_export_neutralises_formulas(admin_client, issue, programme):
    teacher = UserFactory()
    TeacherProfileFactory(user=teacher, name_en='=HYPERLINK("http://evil.example","x")')
    certificate = issue(teacher, programme)
    response = admin_client.get(reverse("certification_admin:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(row for row in rows if row[0] == certificate.serial)
    assert row[3].startswith("'=")


def test_zip_of_pdfs_follows_the_filters(admin_client, certificate, issue):
    other = issue(TeacherFactory(profile__county="penghu_county"), ProgrammeFactory())
    response = admin_client.get(reverse("certification_admin:export_zip"), {"county": "penghu_county"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{other.serial}.pdf"]
    assert archive.read(f"{other.serial}.pdf") == other.pdf.read()
