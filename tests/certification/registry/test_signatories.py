"""Signatories belong to the programme, are printed on the certificate above a line, and stay on a certificate as
they were when it was issued; their images are uploaded by administrators and must be real PNG or JPEG files."""

import hashlib
import io
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from certification.documents.rendering import render_certificate_pdf
from certification.documents.signing import sign_certificate_pdf
from certification.models import Certificate, CertificateImmutable, ProgrammeSignatory
from certification.registry.issuing import certificate_snapshot
from lms.roles import CERTIFICATION_ADMINISTRATORS
from tests.certification.factories import TeacherFactory
from tests.certification.poppler import pdfimages_count, pdfsig, pdftotext
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db


def png(colour="red", size=(160, 160), image_format="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, image_format)
    return buffer.getvalue()


@pytest.fixture
def signatory(programme):
    return ProgrammeSignatory.objects.create(
        programme=programme,
        name_zh="王美惠",
        name_en="Wang Mei-Hui",
        title_zh="認證中心主任",
        title_en="Centre Director",
        image=ContentFile(png("red"), name="seal.png"),
    )


def flat_text(pdf: bytes) -> str:
    return " ".join(pdftotext(pdf).split())


def test_the_signatory_is_printed_and_the_signed_pdf_validates(teacher, programme, signatory, issue):
    certificate = issue(teacher, programme)
    pdf = certificate.pdf.read()
    text = flat_text(pdf)
    assert "王美惠 Wang Mei-Hui" in text and "認證中心主任 Centre Director" in text
    assert pdfimages_count(pdf) == 1
    assert "Signature is Valid." in pdfsig(pdf)
    assert certificate.signatories[0]["name_en"] == "Wang Mei-Hui"


def test_a_later_change_to_the_signatory_leaves_issued_certificates_as_they_were(teacher, programme, signatory, issue):
    certificate = issue(teacher, programme)
    original_image = signatory.image.read()
    signatory.image.close()

    signatory.name_zh, signatory.name_en = "林大華", "Lin Ta-Hua"
    signatory.title_zh, signatory.title_en = "執行長", "Executive Director"
    signatory.image.delete(save=False)
    signatory.image = ContentFile(png("blue"), name="seal.png")
    signatory.save()

    # Rendered again from what the certificate kept: the old name, title and image.
    issued = Certificate.objects.get(pk=certificate.pk)
    snapshot = certificate_snapshot(issued)
    kept = snapshot.signatories[0]
    assert (kept.name_zh, kept.name_en, kept.title_en) == ("王美惠", "Wang Mei-Hui", "Centre Director")
    assert hashlib.sha256(Path(kept.image).read_bytes()).digest() == hashlib.sha256(original_image).digest()
    again = sign_certificate_pdf(render_certificate_pdf(snapshot)).data
    text = flat_text(again)
    assert "王美惠 Wang Mei-Hui" in text and "林大華" not in text
    assert "Signature is Valid." in pdfsig(again)

    # Removing the signatory altogether changes nothing for the issued certificate either.
    signatory.delete()
    issued = Certificate.objects.get(pk=certificate.pk)
    assert "王美惠" in flat_text(render_certificate_pdf(certificate_snapshot(issued)))

    # A certificate issued afterwards carries the programme's signatories of its day: none now.
    later = issue(TeacherFactory(), programme)
    assert later.signatories == [] and "王美惠" not in flat_text(later.pdf.read())


def test_an_issued_certificates_signatories_cannot_be_edited(certificate):
    certificate.signatories = [{"name_zh": "冒名", "name_en": "", "title_zh": "", "title_en": "", "image": ""}]
    with pytest.raises(CertificateImmutable):
        certificate.save()


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=CERTIFICATION_ADMINISTRATORS))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return client


def edit_with_signatory(admin_client, programme, upload):
    data = {
        "name_zh": programme.name_zh,
        "name_en": programme.name_en,
        "slug": programme.slug,
        "certificate_title_zh": programme.certificate_title_zh,
        "certificate_title_en": programme.certificate_title_en,
        "minimum_hours": "0",
        "minimum_community_sessions": "0",
        "minimum_accepted_resources": "0",
        "renewal_rule": programme.renewal_rule,
        "renewal_hours": "0",
        "issue_mode": programme.issue_mode,
        "is_active": "on",
        "sort_order": "0",
        "signatories-TOTAL_FORMS": "1",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "3",
        "signatories-0-name_zh": "王美惠",
        "signatories-0-name_en": "Wang Mei-Hui",
        "signatories-0-title_zh": "認證中心主任",
        "signatories-0-title_en": "Centre Director",
        "signatories-0-ORDER": "1",
        "signatories-0-image": upload,
        "module_requirements-TOTAL_FORMS": "0",
        "module_requirements-INITIAL_FORMS": "0",
        "module_requirements-MIN_NUM_FORMS": "0",
        "module_requirements-MAX_NUM_FORMS": "1000",
    }
    return admin_client.post(reverse("certification_programme:edit", args=[programme.pk]), data)


def test_an_administrator_adds_a_signatory_with_a_seal_in_the_admin(admin_client, programme):
    response = edit_with_signatory(admin_client, programme, SimpleUploadedFile("seal.png", png(), "image/png"))
    assert response.status_code == 302, response.content.decode()[:2000]
    signatory = ProgrammeSignatory.objects.get(programme=programme)
    assert signatory.name_en == "Wang Mei-Hui" and signatory.image.name.startswith("signatories/")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'


@pytest.mark.parametrize(
    "name, data",
    [
        ("seal.png", b"#!/bin/sh\necho not an image\n"),
        ("seal.svg", SVG),
        ("seal.png", SVG),
        ("seal.png", png(image_format="GIF")),
        ("seal.png", png()[:60]),
        ("seal.png", png(size=(5000, 4000))),
        ("seal.jpg", png(image_format="JPEG") + b"\0" * (2 * 1024 * 1024)),
    ],
    ids=["text renamed", "svg", "svg renamed", "gif renamed", "truncated", "too many pixels", "over 2 MB"],
)
def test_the_admin_refuses_an_upload_that_is_not_a_reasonable_png_or_jpeg(admin_client, programme, name, data):
    response = edit_with_signatory(admin_client, programme, SimpleUploadedFile(name, data, "image/png"))
    assert response.status_code == 200
    assert not ProgrammeSignatory.objects.filter(programme=programme).exists()
    assert "error-message" in response.content.decode() or "w-field__errors" in response.content.decode()
