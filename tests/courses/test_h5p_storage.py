"""Extraction through the storage API: content-addressed, stored once, and all or nothing."""

import errno
import hashlib
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage

from courses.h5p.package import H5PPackageError
from courses.models import H5PPackage
from courses.packages.storage import PackageStorageError as H5PStorageError

from .factories import UserFactory
from .h5p_packages import (
    build_package,
    english_messages,  # noqa: F401 - fixture
    upload_of,
)

pytestmark = pytest.mark.usefixtures("english_messages")


class CountingStorage(FileSystemStorage):
    """A real disk storage that counts the files it writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = []

    def _save(self, name, content):
        saved = super()._save(name, content)
        self.saved.append(saved)
        return saved


class FullDiskStorage(FileSystemStorage):
    """A real disk storage with a quota: the write that crosses it leaves a partial file and fails with ENOSPC."""

    def __init__(self, quota_bytes, **kwargs):
        super().__init__(**kwargs)
        self.remaining = quota_bytes

    def _save(self, name, content):
        data = b"".join(content.chunks())
        if len(data) > self.remaining:
            super()._save(name, ContentFile(data[: self.remaining]))
            self.remaining = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.remaining -= len(data)
        return super()._save(name, ContentFile(data))


class FailingAfterStorage(FileSystemStorage):
    """A real disk storage whose writes fail with a permission error after ``allowed`` files."""

    def __init__(self, allowed, **kwargs):
        super().__init__(**kwargs)
        self.allowed = allowed

    def _save(self, name, content):
        if self.allowed == 0:
            raise PermissionError(errno.EACCES, "Permission denied", name)
        self.allowed -= 1
        return super()._save(name, content)


def files_under(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def uploader(db):
    return UserFactory(email="trainer@school.example.tw")


def test_upload_is_recorded_and_extracted_under_its_hash(uploader, media_root):
    data = build_package()
    package = H5PPackage.from_upload(upload_of(data, "國際教育.h5p"), uploader)

    sha256 = hashlib.sha256(data).hexdigest()
    assert package.content_hash == sha256
    assert package.storage_prefix == f"h5p/{sha256}/"
    assert (package.title, package.main_library, package.main_library_version) == ("測驗 Quiz", "H5P.Sample", "1.2")
    assert (package.licence, package.language, package.file_count) == ("CC BY", "zh-hant", 6)
    assert package.original_filename == "國際教育.h5p"
    assert package.uploaded_by == uploader
    assert package.content_json == {"question": "國際教育是什麼？"}
    assert package.h5p_json["mainLibrary"] == "H5P.Sample"
    assert files_under(media_root / "h5p" / sha256) == [
        "H5P.Sample-1.2/library.json",
        "H5P.Sample-1.2/sample.css",
        "H5P.Sample-1.2/sample.js",
        "content/content.json",
        "content/images/map.png",
        "h5p.json",
    ]
    assert package.size_bytes == sum(
        path.stat().st_size for path in (media_root / "h5p" / sha256).rglob("*") if path.is_file()
    )
    with default_storage.open(package.file_path("content/content.json")) as stored:
        assert json.loads(stored.read()) == {"question": "國際教育是什麼？"}


def test_identical_upload_is_stored_once(uploader, tmp_path):
    storage = CountingStorage(location=tmp_path / "store")
    data = build_package()
    first = H5PPackage.from_upload(upload_of(data, "a.h5p"), uploader, storage=storage)
    writes = len(storage.saved)
    second = H5PPackage.from_upload(upload_of(data, "b.h5p"), None, storage=storage)

    assert second.pk == first.pk
    assert len(storage.saved) == writes == 6
    assert H5PPackage.objects.count() == 1


def test_different_packages_get_different_folders(uploader):
    first = H5PPackage.from_upload(upload_of(build_package()), uploader)
    second = H5PPackage.from_upload(upload_of(build_package(**{"content/extra.txt": b"x"})), uploader)
    assert first.storage_prefix != second.storage_prefix


def test_rejected_package_leaves_nothing(uploader, media_root):
    with pytest.raises(H5PPackageError, match="content/evil.php"):
        H5PPackage.from_upload(upload_of(build_package(**{"content/evil.php": b"<?php"})), uploader)
    assert not H5PPackage.objects.exists()
    assert not media_root.exists() or files_under(media_root) == []


@pytest.mark.parametrize("quota", [0, 40, 400])
def test_disk_full_during_extraction_rolls_back(uploader, tmp_path, quota):
    root = tmp_path / "store"
    storage = FullDiskStorage(quota, location=root)
    with pytest.raises(H5PStorageError, match="could not be stored") as caught:
        H5PPackage.from_upload(upload_of(build_package()), uploader, storage=storage)
    assert "No space left" in str(caught.value)
    assert not H5PPackage.objects.exists()
    assert files_under(root) == []
    assert not (root / "h5p").exists() or not any((root / "h5p").iterdir())


@pytest.mark.parametrize("allowed", [0, 1, 5])
def test_unwritable_storage_rolls_back(uploader, tmp_path, allowed):
    root = tmp_path / "store"
    storage = FailingAfterStorage(allowed, location=root)
    with pytest.raises(H5PStorageError, match="Permission denied"):
        H5PPackage.from_upload(upload_of(build_package()), uploader, storage=storage)
    assert not H5PPackage.objects.exists()
    assert files_under(root) == []


def test_retry_after_a_failed_extraction_succeeds(uploader, tmp_path):
    root = tmp_path / "store"
    data = build_package()
    with pytest.raises(H5PStorageError):
        H5PPackage.from_upload(upload_of(data), uploader, storage=FailingAfterStorage(2, location=root))
    package = H5PPackage.from_upload(upload_of(data), uploader, storage=FileSystemStorage(location=root))
    assert len(files_under(root / package.storage_prefix)) == 6


def test_leftovers_of_a_crashed_extraction_are_replaced_not_renamed(uploader, tmp_path):
    root = tmp_path / "store"
    data = build_package()
    sha256 = hashlib.sha256(data).hexdigest()
    leftover = root / "h5p" / sha256 / "h5p.json"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("half-written")
    H5PPackage.from_upload(upload_of(data), uploader, storage=FileSystemStorage(location=root))
    assert leftover.read_text().startswith("{")
    assert len(files_under(root / "h5p" / sha256)) == 6


def test_deleting_a_package_removes_its_files(uploader, media_root, django_capture_on_commit_callbacks):
    package = H5PPackage.from_upload(upload_of(build_package()), uploader)
    folder = media_root / package.storage_prefix
    assert files_under(folder)
    with django_capture_on_commit_callbacks(execute=True):
        package.delete()
    assert not folder.exists() or files_under(folder) == []
