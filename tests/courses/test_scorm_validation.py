"""SCORM packages: the real golf examples accepted or refused as shared/scorm/README.md says, and hostile zips
refused by the zip checks H5P packages pass too (courses.packages), with nothing written."""

import io
import stat
import zipfile

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from courses.models import H5PPackage, ScormPackage
from courses.packages import archive as shared_archive
from courses.scorm import manifest as scorm_manifest
from courses.scorm.demo import build_demo_package
from courses.scorm.manifest import ScormPackageError, ScormVersion, inspect_package
from lms.roles import TRAINERS, sync_roles

from .factories import UserFactory
from .scorm_packages import REAL_SCORM_DIR, build_scorm, needs_real_scorm

# The refusals are read in English (the site's default language is zh-Hant).
pytestmark = pytest.mark.usefixtures("english")


def rejected(data, *fragments):
    with pytest.raises(ScormPackageError) as caught:
        inspect_package(io.BytesIO(data))
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


@needs_real_scorm
@pytest.mark.parametrize(
    ("name", "version", "sco_count", "first_launch"),
    [
        ("singlescobasic.zip", ScormVersion.SCORM_12, 1, "shared/launchpage.html"),
        ("RuntimeMinimumCalls_SCORM12.zip", ScormVersion.SCORM_12, 18, "Playing/Playing.html"),
        ("RuntimeBasicCalls_SCORM20043rdEdition.zip", ScormVersion.SCORM_2004_3, 1, "shared/launchpage.html"),
    ],
)
def test_real_packages_are_accepted(name, version, sco_count, first_launch):
    manifest = inspect_package(open(REAL_SCORM_DIR / name, "rb"))
    assert manifest.version == version
    assert len(manifest.launchable) == sco_count
    assert manifest.launchable[0]["launch"] == first_launch
    assert manifest.title.startswith("Golf Explained")


@needs_real_scorm
def test_multi_sco_package_keeps_its_table_of_contents_and_parameters():
    manifest = inspect_package(open(REAL_SCORM_DIR / "RuntimeMinimumCalls_SCORM12.zip", "rb"))
    headings = [item for item in manifest.items if not item.get("launch")]
    assert [item["title"] for item in headings][:2] == ["Playing the Game", "Etiquette"]
    assert all(item["depth"] == 0 for item in headings)
    quiz = next(item for item in manifest.items if item["identifier"] == "playing_quiz_item")
    assert quiz["launch"].endswith("?questions=Playing") and quiz["depth"] == 1


@needs_real_scorm
def test_manifest_in_a_folder_is_refused_saying_where_it_must_be():
    message = rejected((REAL_SCORM_DIR / "badscorm.zip").read_bytes(), "badscorm/imsmanifest.xml", "at the root")
    assert "inside a folder" in message


@needs_real_scorm
def test_zip_without_manifest_is_refused():
    rejected((REAL_SCORM_DIR / "invalid.zip").read_bytes(), "imsmanifest.xml", "not a SCORM package")


def test_our_demo_package_is_valid_scorm_12():
    manifest = inspect_package(io.BytesIO(build_demo_package()))
    assert manifest.version == ScormVersion.SCORM_12
    assert manifest.launchable[0]["mastery_score"] == 80


@pytest.mark.parametrize(
    ("schema_version", "expected"),
    [
        ("1.2", ScormVersion.SCORM_12),
        ("CAM 1.3", ScormVersion.SCORM_2004_2),
        ("2004 3rd Edition", ScormVersion.SCORM_2004_3),
        ("2004 4th Edition", ScormVersion.SCORM_2004_4),
    ],
)
def test_version_is_read_from_the_schema_version(schema_version, expected):
    assert inspect_package(io.BytesIO(build_scorm(version=schema_version))).version == expected


def test_unknown_version_is_refused():
    rejected(build_scorm(version="1.1"), "imsmanifest.xml", "“1.1”", "not SCORM 1.2 or SCORM 2004")


def test_missing_launch_file_is_refused_naming_it():
    rejected(build_scorm({"two.html": None}), "imsmanifest.xml", "two.html", "not in the package")


def test_launch_outside_the_package_is_refused():
    rejected(build_scorm(second="../../etc/passwd"), "not in the package")
    rejected(build_scorm(second="https://evil.example/x.html"), "outside the package")


def test_undeclared_resource_is_refused():
    manifest = zipfile.ZipFile(io.BytesIO(build_scorm())).read("imsmanifest.xml")
    broken = manifest.replace(b'identifierref="r2"', b'identifierref="r9"')
    rejected(build_scorm({"imsmanifest.xml": broken}), "“two”", "“r9”")


def test_manifest_with_entities_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<manifest><metadata><schemaversion>&b;</schemaversion></metadata></manifest>"
    )
    rejected(build_scorm({"imsmanifest.xml": bomb}), "imsmanifest.xml", "DTD, entities or external references")


def test_malformed_manifest_is_refused():
    rejected(build_scorm({"imsmanifest.xml": b"<manifest><unclosed></manifest>"}), "imsmanifest.xml", "well-formed")


def test_organization_that_launches_nothing_is_refused():
    data = build_scorm(
        {
            "imsmanifest.xml": b"<manifest><metadata><schemaversion>1.2</schemaversion></metadata><organizations>"
            b'<organization identifier="o"><item identifier="i"><title>x</title></item></organization>'
            b"</organizations><resources/></manifest>"
        }
    )
    rejected(data, "launches nothing")


def test_forbidden_extension_is_refused_naming_the_file():
    rejected(build_scorm({"tools/run.exe": b"MZ"}), "“tools/run.exe”", ".exe")
    rejected(build_scorm({"server.php": b"<?php"}), "“server.php”", ".php")


# The hostile set: the H5P hostile cases applied to SCORM.


def symlink_entry(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize("name", ["../evil.html", "/etc/evil.html", "a/../../evil.html", "C:/evil.html", "a\\b.html"])
def test_zip_slip_is_refused(name):
    rejected(build_scorm(extra_entries=[(zipfile.ZipInfo(name), b"x")]), "could write outside the package folder")


def test_symlink_is_refused():
    rejected(build_scorm(extra_entries=[(symlink_entry("one-link.html"), b"/etc/passwd")]), "symbolic link")


def test_zip_bomb_is_refused():
    rejected(build_scorm({"big.txt": b"0" * (2 * 1024 * 1024)}), "“big.txt”", "zip bomb")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("images/logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("images/logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("data/page.xml", b'<x xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></x>'),
        ("data/style.xml", b'<?xml-stylesheet href="evil.xsl" type="text/xsl"?><x/>'),
    ],
)
def test_script_in_svg_or_xml_is_refused(name, data):
    rejected(build_scorm({name: data}), f"“{name}”", "may not carry script")


HOSTILE = {
    "zip-slip": lambda: build_scorm(extra_entries=[(zipfile.ZipInfo("../evil.html"), b"x")]),
    "symlink": lambda: build_scorm(extra_entries=[(symlink_entry("link.html"), b"/etc/passwd")]),
    "bomb": lambda: build_scorm({"big.txt": b"0" * (2 * 1024 * 1024)}),
    "script": lambda: build_scorm({"images/x.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'}),
}


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_upload_writes_nothing(hostile, tmp_path, db):
    storage = FileSystemStorage(location=tmp_path)
    with pytest.raises(ScormPackageError):
        ScormPackage.from_upload(ContentFile(HOSTILE[hostile](), name="hostile.zip"), storage=storage)
    assert list(tmp_path.rglob("*")) == []
    assert not ScormPackage.objects.exists()


def test_accepted_package_is_extracted_and_stored_once(tmp_path, db):
    storage = FileSystemStorage(location=tmp_path)
    package = ScormPackage.from_upload(ContentFile(build_scorm(), name="two.zip"), storage=storage)
    again = ScormPackage.from_upload(ContentFile(build_scorm(), name="two.zip"), storage=storage)
    assert again.pk == package.pk
    assert package.version == "1.2" and [sco["identifier"] for sco in package.scos] == ["one", "two"]
    assert (tmp_path / package.storage_prefix / "one.html").is_file()
    assert package.storage_prefix.startswith("scorm/")


def test_h5p_and_scorm_share_the_zip_checks_rather_than_a_copy():
    """One implementation of the zip's safety: both formats call courses.packages.archive.read_package."""
    from courses.h5p import package as h5p_package

    assert h5p_package.read_package is shared_archive.read_package
    assert scorm_manifest.read_package is shared_archive.read_package
    assert not hasattr(h5p_package, "_check_entry_name") and not hasattr(h5p_package, "_checked_entries")
    assert H5PPackage._meta.app_label == ScormPackage._meta.app_label


def test_demo_package_is_the_same_bytes_every_time():
    """Loading the demo twice stores its SCORM package once (packages are stored by content hash)."""
    assert build_demo_package() == build_demo_package()


# The admin's upload form: what a trainer sees.

SCORM_ADD_URL = reverse("wagtailsnippets_courses_scormpackage:add")


@pytest.fixture
def trainer_client(client, db):
    sync_roles()
    trainer = UserFactory(email="trainer@school.example.tw")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    TOTP.activate(trainer, generate_totp_secret())
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(trainer)
    client.user = trainer
    return client


def admin_upload(client, data, name="package.zip"):
    return client.post(SCORM_ADD_URL, {"package_file": SimpleUploadedFile(name, data), "title": ""})


@needs_real_scorm
def test_trainer_uploads_a_real_package_in_the_admin(trainer_client, media_root):
    response = admin_upload(trainer_client, (REAL_SCORM_DIR / "singlescobasic.zip").read_bytes(), "golf.zip")
    assert response.status_code == 302
    package = ScormPackage.objects.get()
    assert package.uploaded_by == trainer_client.user and package.version == "1.2"
    assert (media_root / package.storage_prefix / "shared" / "launchpage.html").is_file()


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        ("zip-slip", "could write outside the package folder"),
        ("symlink", "symbolic link"),
        ("bomb", "zip bomb"),
        ("script", "may not carry script"),
    ],
)
def test_hostile_admin_upload_names_the_problem_and_writes_nothing(trainer_client, media_root, hostile, message):
    response = admin_upload(trainer_client, HOSTILE[hostile]())
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["package_file"])
    assert message in errors
    assert not ScormPackage.objects.exists()
    assert not (media_root / "scorm").exists() or not any((media_root / "scorm").rglob("*"))


@needs_real_scorm
def test_misplaced_manifest_is_refused_in_the_admin_saying_where_it_must_be(trainer_client):
    response = admin_upload(trainer_client, (REAL_SCORM_DIR / "badscorm.zip").read_bytes())
    assert "imsmanifest.xml" in " ".join(response.context["form"].errors["package_file"])
    assert not ScormPackage.objects.exists()
