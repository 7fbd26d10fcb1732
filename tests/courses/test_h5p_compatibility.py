"""Every real package in ../shared/h5p/ uploads, extracts and records its metadata (skipped when absent)."""

import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import H5PPackage

from .h5p_packages import REAL_PACKAGES, real_package


@pytest.mark.parametrize(("name", "expected"), REAL_PACKAGES.items(), ids=list(REAL_PACKAGES))
def test_real_package_uploads_with_its_metadata(db, media_root, name, expected):
    path = real_package(name)
    title, main_library, version = expected
    package = H5PPackage.from_upload(SimpleUploadedFile(name, path.read_bytes()))

    assert (package.title, package.main_library, package.main_library_version) == (title, main_library, version)
    assert package.licence == "U"
    assert package.language == "und"
    assert package.original_filename == name
    with zipfile.ZipFile(path) as archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
    assert package.file_count == len(files)
    assert package.size_bytes == sum(info.file_size for info in files)
    stored = [p for p in (media_root / package.storage_prefix).rglob("*") if p.is_file()]
    assert len(stored) == package.file_count
    assert sum(p.stat().st_size for p in stored) == package.size_bytes
    assert package.content_json
    assert package.h5p_json["mainLibrary"] == main_library
    # MultiChoice 1.14 renders through EmbeddedJS templates, which eval.
    assert package.evaluates_code is (name == "H5P.MultiChoice.h5p")


def test_truefalse_stray_root_file_is_kept(db, media_root):
    path = real_package("H5P.TrueFalse-h5p-standalone-test.h5p")
    package = H5PPackage.from_upload(SimpleUploadedFile(path.name, path.read_bytes()))
    assert (media_root / package.storage_prefix / "H5P_CONTENT_HERE.txt").is_file()
