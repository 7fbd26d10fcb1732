"""Preview images of the first page: a real PDF through poppler, a real DOCX through LibreOffice, and the
fallback when LibreOffice is not there."""

import io
import shutil

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from resources.choices import Status
from resources.previews import PREVIEW_WIDTH, office_converter, render_preview

from .documents import docx_bytes, pdf_bytes, png_bytes
from .factories import ResourceFactory

pytestmark = pytest.mark.django_db


def with_file(name, content, **fields):
    return ResourceFactory(file=ContentFile(content, name=name), url="", status=Status.ACCEPTED, **fields)


def preview_image(resource):
    resource.refresh_from_db()
    with resource.preview.open("rb") as stored:
        return Image.open(io.BytesIO(stored.read()))


def dark_share(image):
    """The share of the preview's pixels that are dark: the black rectangle and text drawn on the page."""
    grey = image.convert("L")
    return sum(grey.histogram()[:100]) / (grey.width * grey.height)


def test_the_first_page_of_a_pdf(client):
    resource = with_file("plan.pdf", pdf_bytes())
    assert render_preview(resource)
    image = preview_image(resource)
    assert image.format == "PNG" and max(image.size) == PREVIEW_WIDTH
    # A4 is portrait; the page's black rectangle covers about a tenth of it.
    assert image.height > image.width and 0.05 < dark_share(image) < 0.3
    response = client.get(reverse("resources:preview", args=[resource.pk]))
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice is not installed (scripts/install-system-deps.sh installs libreoffice-writer-nogui)",
)
def test_the_first_page_of_a_docx_through_libreoffice():
    resource = with_file("worksheet.docx", docx_bytes("INTERCULTURAL WORKSHEET " * 20))
    assert render_preview(resource)
    image = preview_image(resource)
    assert image.format == "PNG" and image.height > image.width
    assert 0.001 < dark_share(image) < 0.2  # text on a white page


def test_without_libreoffice_an_office_file_has_no_preview_and_says_so(client, settings):
    settings.RESOURCE_OFFICE = ""
    assert office_converter() is None
    resource = with_file("worksheet.docx", docx_bytes())
    assert not render_preview(resource)
    resource.refresh_from_db()
    assert not resource.preview
    page = client.get(f"/en/resources/{resource.pk}/").content.decode()
    assert "No preview of this file is available" in page
    assert client.get(reverse("resources:preview", args=[resource.pk])).status_code == 404


def test_an_image_is_scaled_down():
    resource = with_file("map.png", png_bytes())
    assert render_preview(resource)
    assert preview_image(resource).size == (640, 480)


def test_uploading_draws_the_preview(client, teacher, django_capture_on_commit_callbacks):
    from .test_review import FORM

    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        data = {**FORM, "file": ContentFile(pdf_bytes(), name="plan.pdf")}
        response = client.post(reverse("resources:create"), data)
    assert response.status_code == 302
    resource = teacher.authored_resources.get()
    assert resource.preview and preview_image(resource).format == "PNG"
