"""Trainers upload, list and delete H5P packages in the Wagtail admin; errors land on the file field."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from courses.models import H5PPackage
from lms.roles import TRAINERS, sync_roles

from .factories import UserFactory
from .h5p_packages import build_package, upload_of

ADD_URL = reverse("wagtailsnippets_courses_h5ppackage:add")
LIST_URL = reverse("wagtailsnippets_courses_h5ppackage:list")


@pytest.fixture
def trainer_client(client, db):
    sync_roles()
    trainer = UserFactory(email="trainer@school.example.tw")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    TOTP.activate(trainer, generate_totp_secret())
    # The admin speaks the trainer's language; English keeps these assertions readable.
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(trainer)
    client.user = trainer
    return client


def upload(client, data, name="quiz.h5p", title=""):
    return client.post(ADD_URL, {"package_file": SimpleUploadedFile(name, data), "title": title})


def test_trainer_uploads_a_package(trainer_client, media_root):
    response = upload(trainer_client, build_package(), "國際教育.h5p")
    assert response.status_code == 302
    package = H5PPackage.objects.get()
    assert package.title == "測驗 Quiz"
    assert package.uploaded_by == trainer_client.user
    assert (media_root / package.storage_prefix / "h5p.json").is_file()
    listing = trainer_client.get(LIST_URL).content.decode()
    assert "測驗 Quiz" in listing and "H5P.Sample" in listing


def test_title_given_in_the_form_wins(trainer_client):
    upload(trainer_client, build_package(), title="第一單元測驗")
    assert H5PPackage.objects.get().title == "第一單元測驗"


def test_rejected_package_shows_the_problem_on_the_file_field(trainer_client, media_root):
    response = upload(trainer_client, build_package(**{"content/evil.php": b"<?php"}))
    assert response.status_code == 200
    errors = response.context["form"].errors["package_file"]
    assert any("content/evil.php" in error and ".php" in error for error in errors)
    assert not H5PPackage.objects.exists()
    assert not (media_root / "h5p").exists() or not any((media_root / "h5p").rglob("*.*"))


def test_not_a_zip_and_wrong_extension(trainer_client):
    response = upload(trainer_client, b"MZ\x90\x00 not a zip")
    assert "not a valid zip" in " ".join(response.context["form"].errors["package_file"])
    response = upload(trainer_client, build_package(), name="quiz.zip")
    assert response.context["form"].errors["package_file"]
    assert not H5PPackage.objects.exists()


def test_duplicate_upload_is_refused_and_names_the_existing_package(trainer_client):
    # The same file twice: two builds a second apart would differ in the zip's timestamps.
    package = build_package()
    upload(trainer_client, package)
    response = upload(trainer_client, package)
    assert "already uploaded" in " ".join(response.context["form"].errors["package_file"])
    assert H5PPackage.objects.count() == 1


def test_editing_changes_the_title_only(trainer_client):
    package = H5PPackage.from_upload(upload_of(build_package()))
    edit_url = reverse("wagtailsnippets_courses_h5ppackage:edit", args=[package.pk])
    form = trainer_client.get(edit_url).context["form"]
    assert "package_file" not in form.fields
    response = trainer_client.post(edit_url, {"title": "新標題", "main_library": "Evil.Library"})
    assert response.status_code == 302
    package.refresh_from_db()
    assert (package.title, package.main_library) == ("新標題", "H5P.Sample")


def test_trainer_deletes_a_package_and_its_files(trainer_client, media_root, django_capture_on_commit_callbacks):
    package = H5PPackage.from_upload(upload_of(build_package()))
    folder = media_root / package.storage_prefix
    delete_url = reverse("wagtailsnippets_courses_h5ppackage:delete", args=[package.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert trainer_client.post(delete_url).status_code == 302
    assert not H5PPackage.objects.exists()
    assert not any(path.is_file() for path in folder.rglob("*"))


def test_teacher_without_the_role_cannot_upload(client, db):
    teacher = UserFactory(email="teacher@school.example.tw")
    TOTP.activate(teacher, generate_totp_secret())
    client.force_login(teacher)
    response = upload(client, build_package())
    assert response.status_code in (302, 403)
    assert not H5PPackage.objects.exists()
