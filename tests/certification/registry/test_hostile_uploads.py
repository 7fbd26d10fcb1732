"""Hostile uploads at the public PDF check, end to end through the page (the verdicts themselves are tested in
test_pdf_verification): each gets a clear answer, nothing is stored, and the registry is unchanged."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.pdfgen.canvas import Canvas

from certification.models import Certificate

pytestmark = pytest.mark.django_db


def upload(client, data):
    return client.post(reverse("certification:verify_pdf"), {"pdf": SimpleUploadedFile("c.pdf", data)})


def test_encrypted_pdf(client, home_page):
    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt="secret")
    canvas.drawString(100, 100, "Certificate")
    canvas.save()
    response = upload(client, buffer.getvalue())
    assert response.status_code == 422 and "verification-problem" in response.content.decode()


def test_fifty_megabytes_is_refused_without_being_read(client, home_page):
    response = upload(client, b"%PDF-1.7\n" + b"\0" * (50 * 1024 * 1024))
    assert response.status_code == 413


def test_a_certificate_with_its_text_edited_is_not_genuine(client, certificate, home_page):
    data = certificate.pdf.read()
    edited = data.replace(b"/Title (", b"/Title (X", 1)
    assert edited != data
    response = upload(client, edited)
    assert response.status_code == 422
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.ISSUED


def test_missing_file_field(client, home_page):
    assert client.post(reverse("certification:verify_pdf"), {}).status_code == 400


def test_uploads_are_rate_limited(client, home_page, settings):
    settings.VERIFY_LOOKUPS_PER_MINUTE = 2
    statuses = [upload(client, b"not a pdf").status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def test_my_learning_dashboard_shows_the_certification_checklist(client, certificate, home_page):
    client.force_login(certificate.user)
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert 'id="certification-checklists"' in html
    assert certificate.programme.name_zh in html and certificate.serial in html
