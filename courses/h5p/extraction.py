"""Writing a validated package to storage, all or nothing.

Files go through Django's storage API (local disk, S3 …) under ``h5p/<sha256 of the upload>/``, so the same
upload always lands in the same place and is stored once. If anything fails half-way (storage full, a
permission error, a zip entry that turns out to be longer than declared) every file written so far is deleted
before the error is raised.
"""

import hashlib
import logging
import zipfile
import zlib
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _

from .package import READ_CHUNK, H5PPackageError, PackageManifest

logger = logging.getLogger(__name__)

STORAGE_ROOT = "h5p"


class H5PStorageError(H5PPackageError):
    """Storage failed while a package was being written; nothing of it was kept."""


def content_hash(upload) -> str:
    """The SHA-256 of an uploaded file, read in chunks; the file is rewound afterwards."""
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(READ_CHUNK):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def storage_prefix_for(sha256: str) -> str:
    return f"{STORAGE_ROOT}/{sha256}/"


class _CountedEntry(File):
    """A zip entry as a file whose reads stop with an error once it yields more than its declared size."""

    def __init__(self, stream, info):
        super().__init__(stream, name=info.filename)
        self.info = info
        self.produced = 0

    @property
    def size(self):
        return self.info.file_size

    def read(self, size=-1):
        data = self.file.read(size)
        self.produced += len(data)
        if self.produced > self.info.file_size:
            raise H5PPackageError(
                _("“%(path)s” unpacks to more bytes than the archive declares.") % {"path": self.info.filename},
                self.info.filename,
            )
        return data

    def chunks(self, chunk_size=None):
        while data := self.read(chunk_size or READ_CHUNK):
            yield data


def extract_package(upload, manifest: PackageManifest, storage, prefix: str) -> list[str]:
    """Write every entry of ``manifest`` from the zip ``upload`` to ``storage`` under ``prefix``.

    Returns the names written. On any failure, removes them all and raises ``H5PPackageError`` (the
    package's fault) or ``H5PStorageError`` (the storage's).
    """
    written = []
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            for info in manifest.entries:
                name = prefix + info.filename
                if storage.exists(name):
                    # Left by an earlier extraction that died before recording its package.
                    storage.delete(name)
                # Recorded before writing: a backend that fails mid-file may leave a partial file behind.
                written.append(name)
                with archive.open(info) as stream:
                    entry = _CountedEntry(stream, info)
                    saved = storage.save(name, entry if info.file_size else ContentFile(b""))
                if saved != name:
                    written.append(saved)
                    raise H5PStorageError(
                        _("Storage renamed “%(path)s” while it was being written.") % {"path": info.filename},
                        info.filename,
                    )
                if info.file_size and entry.produced != info.file_size:
                    raise H5PPackageError(
                        _("“%(path)s” unpacks to fewer bytes than the archive declares.") % {"path": info.filename},
                        info.filename,
                    )
    except H5PPackageError:
        remove_files(storage, written)
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        remove_files(storage, written)
        raise H5PPackageError(
            _("The zip archive is corrupt and cannot be unpacked (%(reason)s).") % {"reason": error}
        ) from error
    except Exception as error:
        # Whatever the backend raised (disk full, permission denied, an S3 error), nothing may stay behind.
        remove_files(storage, written)
        raise H5PStorageError(
            _("The package could not be stored (%(reason)s); nothing of it was kept.") % {"reason": error}
        ) from error
    return written


def remove_files(storage, names):
    """Delete ``names`` from ``storage``, carrying on past failures so as many as possible go.

    On a local-disk storage the folders left empty go too; object storages have no folders.
    """
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            # Cleanup must try every file; the failure is logged for an operator to finish by hand.
            logger.exception("Could not delete %s while rolling back an H5P extraction", name)
    _remove_empty_folders(storage, names)


def _remove_empty_folders(storage, names):
    try:
        root = Path(storage.path(STORAGE_ROOT))
    except NotImplementedError:
        return
    folders = {Path(storage.path(name)).parent for name in names}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        while folder != root and root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def remove_prefix(storage, prefix: str):
    """Delete every file under ``prefix`` (a package's folder) from ``storage``."""
    names = []
    pending = [prefix.rstrip("/")]
    while pending:
        folder = pending.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        names.extend(f"{folder}/{name}" for name in files)
        pending.extend(f"{folder}/{name}" for name in subfolders)
    remove_files(storage, names)
