"""Correcting the name certificates print: the holder asks, an administrator decides, the certificates are reissued
and the old ones revoked "name corrected"; real PDFs, real signatures, real verification."""

import datetime
import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from wagtail.models import ModelLogEntry

from accounts.models import TeacherProfile
from audit.models import Action, AuditEntry
from certification.models import Certificate, LogEntry, NameCorrectionRequest
from certification.registry.name_correction import (
    NAME_CORRECTED,
    NameCorrectionRefused,
    approve_name_correction,
    decline_name_correction,
    request_name_correction,
)
from certification.verification.pdf import verify_certificate_pdf
from lms.roles import CERTIFICATION_ADMINISTRATORS, TRAINERS
from notifications.models import Notification
from tests.certification.factories import ProgrammeFactory, TeacherFactory
from tests.certification.poppler import pdfsig, pdftotext
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "certification:name_correction"


@pytest.fixture(autouse=True)
def in_english():
    """Pages and messages are read in English here; the last test reads both languages."""
    with translation.override("en"):
        yield


def stored_evidence(media_root):
    folder = media_root / "name-corrections"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def staff_member(group_name, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def administrator(db):
    return staff_member(CERTIFICATION_ADMINISTRATORS)


@pytest.fixture
def trainer(db):
    return staff_member(TRAINERS)


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def ask(client, **overrides):
    data = {"name_zh": "王曉明", "name_en": "Hsiao-Ming Wang", "reason": "曉 was typed as 小 when I signed up."}
    data.update(overrides)
    return client.post(reverse(PAGE), data)


def review_url(correction):
    return reverse("certification_admin:review_name_correction", args=[correction.pk])


def test_the_whole_correction_from_request_to_reissued_pdf(
    client, teacher, certificate, administrator, home_page, django_capture_on_commit_callbacks
):
    old_pdf = certificate.pdf.read()
    client.force_login(teacher)
    page = client.get(reverse("certification:my_certificates")).content.decode()
    assert reverse(PAGE) in page
    form = client.get(reverse(PAGE)).content.decode()
    assert "王小明" in form and certificate.serial in form
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, evidence=SimpleUploadedFile("戶籍謄本.png", png_bytes(), content_type="image/png"))
    assert response.status_code == 302
    correction = NameCorrectionRequest.objects.get(user=teacher)
    assert (correction.printed_name_zh, correction.name_zh) == ("王小明", "王曉明")
    assert correction.changes == {"name_zh": ["王小明", "王曉明"]}
    evidence_name = correction.evidence.name
    assert default_storage.exists(evidence_name)
    told = Notification.objects.get(recipient=administrator, event="name_correction_requested")
    assert told.url == review_url(correction)
    assert not Notification.objects.filter(recipient=teacher, event="name_correction_requested").exists()

    client.force_login(administrator)
    review = client.get(review_url(correction))
    assert review.status_code == 200
    body = review.content.decode()
    assert "王曉明" in body and certificate.serial in body and "曉 was typed" in body
    evidence = client.get(reverse("certification_admin:name_correction_evidence", args=[correction.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == png_bytes()
    assert evidence["X-Content-Type-Options"] == "nosniff" and "attachment" in evidence["Content-Disposition"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(correction), {"decision": "approve", "reason": "Household record matches."})
    assert response.status_code == 302

    correction.refresh_from_db()
    certificate.refresh_from_db()
    new = Certificate.objects.get(supersedes=certificate)
    assert correction.status == NameCorrectionRequest.Status.APPROVED and correction.decided_by == administrator
    assert correction.reissued == [[certificate.serial, new.serial]]
    assert TeacherProfile.objects.get(user=teacher).name_zh == "王曉明"
    # The old certificate: revoked "name corrected", no longer current.
    assert certificate.status == Certificate.Status.REVOKED and not certificate.is_current
    assert certificate.revocation_reason == NAME_CORRECTED and certificate.revoked_by == administrator
    # The new one: the corrected name, a new serial, signed, everything else as it was, valid as long.
    assert new.status == Certificate.Status.ISSUED and new.is_current and new.origin == Certificate.Origin.CORRECTION
    assert (new.holder_name_zh, new.holder_name_en) == ("王曉明", "Hsiao-Ming Wang")
    assert new.serial != certificate.serial and new.verification_code != certificate.verification_code
    for field in Certificate.KEPT_BY_CORRECTION:
        assert getattr(new, field) == getattr(certificate, field), field
    new_pdf = new.pdf.read()
    assert "王曉明" in pdftotext(new_pdf) and new.serial in pdftotext(new_pdf)
    assert "Signature is Valid." in pdfsig(new_pdf) and "Signature is Valid." in pdfsig(old_pdf)
    assert verify_certificate_pdf(new_pdf).signed_by_us and verify_certificate_pdf(old_pdf).signed_by_us
    # The transparency log has the revocation and the new issue.
    assert LogEntry.objects.filter(serial=certificate.serial, event=LogEntry.Event.REVOKE).exists()
    assert LogEntry.objects.filter(serial=new.serial, event=LogEntry.Event.ISSUE).exists()
    # The evidence is gone once decided; the holder is told once, of the whole correction.
    assert not default_storage.exists(evidence_name) and not correction.evidence
    assert Notification.objects.filter(recipient=teacher, event="name_correction_approved").count() == 1
    assert not Notification.objects.filter(recipient=teacher, event="certificate_revoked").exists()
    assert Notification.objects.filter(recipient=teacher, event="certificate_issued").count() == 2
    assert ModelLogEntry.objects.filter(action="certification.name_correction.approve", user=administrator).exists()

    # Verification, by code and by PDF: the old one is revoked "name corrected", the new one valid.
    client.logout()
    by_code = client.get(reverse("certification:verify_certificate", args=[certificate.public_id])).content.decode()
    assert "verification-revoked" in by_code and "Name corrected" in by_code and new.serial in by_code
    old_upload = client.post(reverse("certification:verify_pdf"), {"pdf": SimpleUploadedFile("old.pdf", old_pdf)})
    body = old_upload.content.decode()
    assert "verification-revoked" in body and "Name corrected" in body
    new_upload = client.post(reverse("certification:verify_pdf"), {"pdf": SimpleUploadedFile("new.pdf", new_pdf)})
    body = new_upload.content.decode()
    assert new_upload.status_code == 200 and "verification-valid" in body and "王曉明" in body


def test_every_step_is_audited(client, teacher, certificate, administrator, django_capture_on_commit_callbacks):
    correction = request_name_correction(teacher, name_zh="王曉明", name_en="Hsiao-Ming Wang", reason="Typo.")
    client.force_login(administrator)
    client.get(review_url(correction))
    opened = AuditEntry.objects.get(action=Action.LEARNER_RECORD_VIEWED)
    assert opened.actor == administrator and opened.target_id == str(teacher.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(correction), {"decision": "approve", "reason": "Checked."}, REMOTE_ADDR="203.0.113.9")
    new = Certificate.objects.get(supersedes=certificate)
    corrected = AuditEntry.objects.get(action=Action.NAME_CORRECTED)
    assert corrected.actor == administrator and corrected.ip_address == "203.0.113.9"
    assert corrected.target_id == str(teacher.pk)
    assert corrected.changes["name_zh"] == ["王小明", "王曉明"] and "name_en" in corrected.changes
    assert corrected.changes["certificates"] == [[certificate.serial, new.serial]]
    assert "Typo." in corrected.reason and "Checked." in corrected.reason
    reissued = AuditEntry.objects.get(action=Action.CERTIFICATE_REISSUED)
    assert reissued.target_id == str(new.pk) and reissued.changes["supersedes"] == certificate.serial
    revoked = AuditEntry.objects.get(action=Action.CERTIFICATE_REVOKED)
    assert revoked.target_id == str(certificate.pk) and revoked.reason == NAME_CORRECTED


def test_a_declined_request_changes_nothing(
    client, teacher, certificate, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        correction = request_name_correction(
            teacher,
            name_zh="王大明",
            name_en="Ta-Ming Wang",
            reason="Please.",
            evidence=SimpleUploadedFile("id.png", png_bytes()),
        )
    evidence_name = correction.evidence.name
    client.force_login(administrator)
    # Declining needs a reason.
    response = client.post(review_url(correction), {"decision": "decline", "reason": "  "})
    assert response.status_code == 400 and response.context["form"].errors["reason"]
    with translation.override("zh-hant"):  # the admin speaks the administrator's language, here the default
        assert translation.gettext("Say why the request is declined; the holder is told.") in response.content.decode()
    correction.refresh_from_db()
    assert correction.status == NameCorrectionRequest.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(correction), {"decision": "decline", "reason": "The household record says 王小明."})
    correction.refresh_from_db()
    certificate.refresh_from_db()
    assert correction.status == NameCorrectionRequest.Status.DECLINED and correction.reissued == []
    assert certificate.status == Certificate.Status.ISSUED and certificate.is_current
    assert Certificate.objects.filter(user=teacher).count() == 1
    profile = TeacherProfile.objects.get(user=teacher)
    assert (profile.name_zh, profile.name_en) == ("王小明", "Hsiao-Ming Wang")
    assert not default_storage.exists(evidence_name)
    declined = AuditEntry.objects.get(action=Action.NAME_CORRECTION_DECLINED)
    assert declined.actor == administrator and declined.reason == "The household record says 王小明."
    assert not AuditEntry.objects.filter(action__in=[Action.NAME_CORRECTED, Action.CERTIFICATE_REVOKED]).exists()
    told = Notification.objects.get(recipient=teacher, event="name_correction_declined")
    assert "The household record says 王小明." in told.message
    # The holder sees the decision and may ask again.
    client.force_login(teacher)
    page = client.get(reverse(PAGE)).content.decode()
    assert "The household record says 王小明." in page and 'name="name_zh"' in page


def test_a_decided_request_cannot_be_decided_again(teacher, certificate, administrator):
    correction = request_name_correction(teacher, name_zh="王曉明", name_en="Hsiao-Ming Wang", reason="Typo.")
    approve_name_correction(correction, by=administrator)
    for decide in (
        lambda: approve_name_correction(correction, by=administrator),
        lambda: decline_name_correction(correction, by=administrator, reason="No."),
    ):
        with pytest.raises(NameCorrectionRefused):
            decide()
    assert Certificate.objects.filter(user=teacher).count() == 2


def test_only_a_certification_administrator_who_is_not_the_holder_decides(client, teacher, certificate, trainer):
    correction = request_name_correction(teacher, name_zh="王曉明", name_en="Hsiao-Ming Wang", reason="Typo.")
    evidence_url = reverse("certification_admin:name_correction_evidence", args=[correction.pk])
    # A trainer, the holder and another teacher are turned away from the review, the evidence and the queue.
    for user in (trainer, teacher, TeacherFactory()):
        client.force_login(user)
        assert client.get(review_url(correction)).status_code in {302, 403}
        assert client.post(review_url(correction), {"decision": "approve"}).status_code in {302, 403}
        assert client.get(evidence_url).status_code in {302, 403}
        assert client.get(reverse("certification_namecorrectionrequest:index")).status_code in {302, 403}
        with pytest.raises(NameCorrectionRefused):
            approve_name_correction(correction, by=user)
    # A holder who is a certification administrator cannot decide on their own name either.
    teacher.groups.add(Group.objects.get(name=CERTIFICATION_ADMINISTRATORS))
    teacher.is_staff = True
    teacher.save()
    Authenticator.objects.create(user=teacher, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(teacher)
    assert client.post(review_url(correction), {"decision": "approve"})["Location"] == "/admin/"
    with pytest.raises(NameCorrectionRefused):
        approve_name_correction(correction, by=teacher)
    correction.refresh_from_db()
    assert correction.status == NameCorrectionRequest.Status.PENDING
    assert Certificate.objects.filter(user=teacher).count() == 1
    assert not AuditEntry.objects.filter(action=Action.NAME_CORRECTED).exists()


def test_an_administrator_without_two_factors_is_sent_to_set_them_up(client, teacher, certificate):
    correction = request_name_correction(teacher, name_zh="王曉明", name_en="Hsiao-Ming Wang", reason="Typo.")
    administrator = UserFactory(is_staff=True)
    administrator.groups.add(Group.objects.get(name=CERTIFICATION_ADMINISTRATORS))
    client.force_login(administrator)
    response = client.post(review_url(correction), {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa_required")
    correction.refresh_from_db()
    assert correction.status == NameCorrectionRequest.Status.PENDING


def test_another_person_never_sees_a_request(client, teacher, certificate, issue):
    request_name_correction(teacher, name_zh="王曉明", name_en="Hsiao-Ming Wang", reason="Secret reason.")
    other = TeacherFactory(profile__name_zh="陳美玲", profile__name_en="Mei-Ling Chen")
    issue(other, ProgrammeFactory())
    client.force_login(other)
    page = client.get(reverse(PAGE)).content.decode()
    assert "陳美玲" in page and "王曉明" not in page and "Secret reason." not in page


def test_the_holder_sees_their_waiting_request_and_cannot_send_a_second(client, teacher, certificate):
    client.force_login(teacher)
    ask(client)
    page = client.get(reverse(PAGE)).content.decode()
    assert "王曉明" in page and 'name="name_zh"' not in page
    ask(client, name_zh="王大明")
    assert NameCorrectionRequest.objects.filter(user=teacher).count() == 1
    with pytest.raises(NameCorrectionRefused):
        request_name_correction(teacher, name_zh="王大明", name_en="Ta-Ming Wang", reason="Again.")


def test_without_a_valid_certificate_there_is_nothing_to_correct(client, teacher, issue):
    expired = issue(
        teacher, ProgrammeFactory(validity_years=1), today=datetime.date.today() - datetime.timedelta(days=400)
    )
    client.force_login(teacher)
    response = ask(client)
    assert response.status_code == 200 and "no printed name to correct" in response.content.decode()
    assert not NameCorrectionRequest.objects.exists()
    with pytest.raises(NameCorrectionRefused):
        request_name_correction(teacher, name_zh="王曉明", name_en="Hsiao-Ming Wang", reason="Typo.")
    expired.refresh_from_db()
    assert expired.status == Certificate.Status.ISSUED


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302 and "login" in response["Location"]


PDF_WITH_SCRIPT = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name_zh": ""}, "Write the Chinese name as the certificates should print it."),
        ({"name_en": "   "}, "Write the English name as the certificates should print it."),
        ({"name_zh": "王" * 51}, "at most 50 characters"),
        ({"name_en": "A" * 101}, "at most 100 characters"),
        ({"name_zh": "<script>alert(1)</script>"}, "A name cannot contain"),
        ({"name_en": "Wang <b>Ming</b>"}, "A name cannot contain"),
        ({"name_zh": "王小\u200b明"}, "invisible control character"),
        ({"name_en": "王小明"}, "Latin alphabet"),
        ({"name_zh": " 王小明 ", "name_en": "Hsiao-Ming  Wang"}, "already the names your certificates print"),
        ({"reason": ""}, "Say why the name should be corrected."),
        ({"reason": "x" * 1001}, "at most 1000 characters"),
        ({"evidence": SimpleUploadedFile("id.png", b"MZ\x90\x00 not an image")}, "is not what its name says"),
        ({"evidence": SimpleUploadedFile("id.pdf", png_bytes())}, "its content is a PNG file"),
        ({"evidence": SimpleUploadedFile("id.pdf", PDF_WITH_SCRIPT)}, "contains script"),
        ({"evidence": SimpleUploadedFile("id.docx", b"PK\x03\x04")}, "PDF, PNG or JPEG"),
        ({"evidence": SimpleUploadedFile("id.svg", b"<svg onload='x'/>")}, "PDF, PNG or JPEG"),
    ],
)
def test_hostile_input_is_refused_clearly_and_changes_nothing(
    client, teacher, certificate, media_root, overrides, message
):
    client.force_login(teacher)
    response = ask(client, **overrides)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "<script>alert" not in body
    assert not NameCorrectionRequest.objects.exists()
    assert stored_evidence(media_root) == []


def test_the_english_page_reads_in_english_and_the_chinese_in_chinese(client, teacher, certificate):
    client.force_login(teacher)
    english = client.get("/en/certificates/name-correction/").content.decode()
    chinese = client.get("/zh-hant/certificates/name-correction/").content.decode()
    assert "Correct the name on my certificates" in english
    assert "Correct the name on my certificates" not in chinese and "更正" in chinese
