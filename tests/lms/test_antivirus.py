"""Every upload goes through a real ClamAV daemon (Debian's clamav-daemon) before any view can store it.

The run starts its own clamd (`tests/antivirus.py`, the `scanning` fixture in `tests/conftest.py`) with a one-line
signature database: the EICAR test file's signature. clamd unpacks archives, so the EICAR string inside an .h5p is
found as it would be in a real virus.
"""

import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.users.models import UserProfile

from courses.models import H5PPackage
from lms.antivirus import ScannerUnavailable, Verdict, scan
from lms.roles import TRAINERS, sync_roles
from tests.antivirus import EICAR, SIGNATURE
from tests.courses.factories import UserFactory
from tests.courses.h5p_packages import build_package


def admin_client(client, user):
    TOTP.activate(user, generate_totp_secret())
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    # The refusal comes before the admin's views, in the browser's language.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def trainer_client(client, db):
    sync_roles()
    trainer = UserFactory(email="trainer@school.example.tw")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    return admin_client(client, trainer)


@pytest.fixture
def editor_client(client, db):
    return admin_client(client, UserFactory(email="editor@moe.example.tw", is_staff=True, is_superuser=True))


def png(extra=b""):
    out = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "#0b6e4f").save(out, "PNG")
    return out.getvalue() + extra


def upload_package(client, data, name="quiz.h5p"):
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("wagtailsnippets_courses_h5ppackage:add"), {"package_file": file, "title": ""})


def refusal(response):
    return response.content.decode()


# The scanner itself


def test_scan_finds_the_signature_in_a_file_and_inside_a_zip(scanning):
    assert scan([EICAR]) == Verdict(True, f"{SIGNATURE}.UNOFFICIAL")
    assert scan([build_package(**{"content/notes.txt": EICAR})]).infected
    assert scan([b"International education", b" in Taiwan"]) == Verdict(False)


def test_scan_split_across_chunks(scanning):
    assert scan([EICAR[:20], EICAR[20:]]).infected


def test_no_answer_is_no_verdict(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "missing.sock")
    with pytest.raises(ScannerUnavailable):
        scan([b"x"])


# Every upload path


def test_eicar_inside_an_h5p_package_is_refused_and_nothing_stored(scanning, trainer_client, media_root):
    response = upload_package(trainer_client, build_package(**{"content/notes.txt": EICAR}), "國際教育.h5p")
    assert response.status_code == 400
    message = refusal(response)
    assert "“國際教育.h5p” was not stored: the virus scanner found IEA.Test.EICAR.UNOFFICIAL in it." in message
    assert not H5PPackage.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_clean_h5p_package_is_accepted_with_scanning_on(scanning, trainer_client, media_root):
    assert upload_package(trainer_client, build_package()).status_code == 302
    assert H5PPackage.objects.count() == 1


def test_eicar_image_is_refused(scanning, editor_client, media_root):
    file = SimpleUploadedFile("map.png", png(EICAR), content_type="image/png")
    response = editor_client.post(reverse("wagtailimages:add"), {"title": "地圖", "file": file})
    assert response.status_code == 400
    assert "“map.png” was not stored" in refusal(response)
    assert not get_image_model().objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_eicar_image_in_the_multiple_upload_gets_a_json_answer(scanning, editor_client):
    file = SimpleUploadedFile("map.png", png(EICAR), content_type="image/png")
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": file}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert "IEA.Test.EICAR" in response.json()["error_message"]
    assert not get_image_model().objects.exists()


def test_clean_image_is_accepted(scanning, editor_client):
    file = SimpleUploadedFile("map.png", png(), content_type="image/png")
    response = editor_client.post(reverse("wagtailimages:add"), {"title": "地圖", "file": file})
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="地圖").exists()


def test_eicar_document_is_refused_and_a_clean_one_accepted(scanning, editor_client, media_root):
    infected = SimpleUploadedFile("handbook.txt", b"Handbook\n" + EICAR)
    response = editor_client.post(reverse("wagtaildocs:add"), {"title": "手冊", "file": infected})
    assert response.status_code == 400
    assert "“handbook.txt” was not stored" in refusal(response)
    assert not get_document_model().objects.exists()
    clean = SimpleUploadedFile("handbook.txt", "國際教育手冊\n".encode())
    assert editor_client.post(reverse("wagtaildocs:add"), {"title": "手冊", "file": clean}).status_code == 302
    assert get_document_model().objects.count() == 1


def test_public_uploads_are_scanned_too(scanning, client, db):
    """A PDF to verify is read, not stored, but it is scanned all the same: every upload is."""
    response = client.post(reverse("certification:verify_pdf"), {"pdf": SimpleUploadedFile("c.pdf", EICAR)})
    assert response.status_code == 400
    assert "c.pdf" in refusal(response)


def test_scanner_down_refuses_uploads_with_a_clear_message(settings, tmp_path, trainer_client, media_root):
    """Fail closed: an unscanned file cannot be told from an infected one."""
    settings.CLAMD_SOCKET = str(tmp_path / "stopped-clamd.sock")
    response = upload_package(trainer_client, build_package())
    assert response.status_code == 503
    assert "the virus scanner is not answering, and files are only accepted once scanned" in refusal(response)
    assert not H5PPackage.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_without_a_socket_uploads_are_accepted_and_the_admin_says_scanning_is_off(
    settings, trainer_client, editor_client
):
    settings.CLAMD_SOCKET = ""
    assert upload_package(trainer_client, build_package(**{"content/notes.txt": EICAR})).status_code == 302
    dashboard = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-virus-scanning="off"' in dashboard
    assert "stored without a virus scan" in dashboard


def test_admin_shows_scanning_on_and_down(settings, scanning, editor_client, tmp_path):
    assert 'data-virus-scanning="on"' in editor_client.get(reverse("wagtailadmin_home")).content.decode()
    settings.CLAMD_SOCKET = str(tmp_path / "stopped-clamd.sock")
    assert 'data-virus-scanning="down"' in editor_client.get(reverse("wagtailadmin_home")).content.decode()
