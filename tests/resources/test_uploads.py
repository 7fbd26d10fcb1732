"""Hostile uploads: files that lie about their type, carry macros or script, are too large, unpack into far more
than they weigh, or carry a virus (found by the real clamd the antivirus tests start)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.models import Resource
from resources.uploads import check_upload
from tests.antivirus import EICAR, SIGNATURE

from .documents import MACRO_CONTENT_TYPES, docx_bomb, docx_bytes, pdf_bytes, png_bytes
from .test_review import FORM


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name, content, **limits):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content), **({"limits": limits["limits"]} if limits else {}))
    return error.value.code


def test_real_files_pass_as_what_they_are():
    assert check_upload(upload("plan.pdf", pdf_bytes())) == "pdf"
    assert check_upload(upload("worksheet.docx", docx_bytes())) == "docx"
    assert check_upload(upload("map.png", png_bytes())) == "png"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("setup.exe", b"MZ\x90\x00" + bytes(100), "extension"),
        ("plan.html", b"<html><script>alert(1)</script>", "extension"),
        # A program or a web page renamed to an accepted extension.
        ("plan.pdf", b"MZ\x90\x00" + bytes(100), "content"),
        ("plan.pdf", b"<html><script>alert(1)</script></html>", "content"),
        ("slides.pptx", b"PK\x03\x04 not really a zip", "content"),
        # A real file of another accepted type under the wrong name.
        ("plan.pdf", png_bytes(), "mismatch"),
        ("worksheet.docx", pdf_bytes(), "mismatch"),
        # Macros and script.
        ("worksheet.docx", docx_bytes(extra_entries=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")]), "macro"),
        ("worksheet.docx", docx_bytes(content_types=MACRO_CONTENT_TYPES), "macro"),
        ("plan.pdf", pdf_bytes(extra=b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"), "active"),
        ("plan.pdf", pdf_bytes(extra=b"<< /S /Launch /F (cmd.exe) >>"), "active"),
        # A zip bomb in a DOCX: a part that inflates a thousandfold.
        ("worksheet.docx", docx_bomb(), "bomb"),
    ],
)
def test_hostile_files_are_refused(name, content, code):
    assert refusal(name, content) == code


def test_an_oversized_file_is_refused(settings):
    settings.RESOURCE_UPLOAD_LIMITS = {"max_bytes": 1024 * 1024}
    assert refusal("plan.pdf", pdf_bytes(extra=bytes(1024 * 1024))) == "size"


def test_too_many_entries_is_a_bomb(settings):
    settings.RESOURCE_UPLOAD_LIMITS = {"max_entries": 10}
    entries = [(f"word/media/{n}.xml", b"<a/>") for n in range(20)]
    assert refusal("worksheet.docx", docx_bytes(extra_entries=entries)) == "bomb"


@pytest.mark.django_db
def test_the_form_names_the_problem_and_stores_nothing(client, teacher):
    client.force_login(teacher)
    data = {**FORM, "submit": "1", "file": upload("plan.pdf", b"MZ\x90\x00" + bytes(100))}
    response = client.post(reverse("resources:create"), data)
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["file"]] == ["content"]
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_a_virus_is_stopped_before_the_view(client, teacher, scanning, media_root):  # noqa: F811
    client.force_login(teacher)
    infected = docx_bytes(extra_entries=[("word/media/eicar.txt", EICAR)])
    data = {**FORM, "submit": "1", "file": upload("worksheet.docx", infected)}
    response = client.post(reverse("resources:create"), data)
    assert response.status_code == 400
    assert SIGNATURE in response.content.decode()
    assert not Resource.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*")) if media_root.exists() else True
    # A clean file goes through the same scanner and is stored.
    data["file"] = upload("worksheet.docx", docx_bytes())
    assert client.post(reverse("resources:create"), data).status_code == 302
    assert Resource.objects.get().file.name.endswith("/worksheet.docx")
