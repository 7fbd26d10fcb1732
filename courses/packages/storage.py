"""Writing a validated package (H5P or SCORM) to storage, all or nothing.

Files go through Django's storage API (local disk, S3 …) under ``<format>/<sha256 of the upload>/``, so the same
upload always lands in the same place and is stored once. If anything fails half-way (storage full, a
permission error, a zip entry that turns out to be longer than declared) every file written so far is deleted
before the error is raised.
"""

import hashlib
import logging
import zipfile
import zlib
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from .archive import READ_CHUNK, PackageError, read_entry

logger = logging.getLogger(__name__)

STORAGE_WRITERS = 8
# Unpacked entries waiting for a writer are held in memory: this bounds how many.
MAX_WRITES_IN_FLIGHT = 32


class PackageStorageError(PackageError):
    """Storage failed while a package was being written; nothing of it was kept."""


def content_hash(upload) -> str:
    """The SHA-256 of an uploaded file, read in chunks; the file is rewound afterwards."""
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(READ_CHUNK):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def storage_prefix_for(root: str, sha256: str) -> str:
    return f"{root}/{sha256}/"


def extract_package(upload, entries, storage, prefix: str) -> list[str]:
    """Write every entry of ``entries`` (checked ``ZipInfo``s) from the zip ``upload`` to ``storage`` under ``prefix``.

    Entries are unpacked here, counting their real bytes against the declared sizes, and written by a few
    threads at once: a package holds hundreds of small files, and each write waits on the disk or on S3.
    Returns the names written. On any failure, waits for the writes in flight, removes every file, and
    raises ``PackageError`` (the package's fault) or ``PackageStorageError`` (the storage's).
    """
    # Left by an extraction that died before recording its package: start from an empty folder.
    remove_prefix(storage, prefix)
    written = []
    pool = ThreadPoolExecutor(max_workers=STORAGE_WRITERS, thread_name_prefix="package-extract")
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            in_flight = {}
            for info in entries:
                data = read_entry(archive, info, info.file_size)
                if len(data) != info.file_size:
                    raise PackageError(
                        _("“%(path)s” unpacks to fewer bytes than the archive declares.") % {"path": info.filename},
                        info.filename,
                    )
                name = prefix + info.filename
                written.append(name)
                in_flight[pool.submit(storage.save, name, ContentFile(data))] = name
                if len(in_flight) >= MAX_WRITES_IN_FLIGHT:
                    done, _pending = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        _check_saved(future, in_flight.pop(future), prefix, written)
            for future in list(in_flight):
                _check_saved(future, in_flight.pop(future), prefix, written)
    except PackageError:
        pool.shutdown(wait=True, cancel_futures=True)
        remove_files(storage, written)
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        pool.shutdown(wait=True, cancel_futures=True)
        remove_files(storage, written)
        raise PackageError(
            _("The zip archive is corrupt and cannot be unpacked (%(reason)s).") % {"reason": error}
        ) from error
    except Exception as error:
        # Whatever the backend raised (disk full, permission denied, an S3 error), nothing may stay behind.
        pool.shutdown(wait=True, cancel_futures=True)
        remove_files(storage, written)
        raise PackageStorageError(
            _("The package could not be stored (%(reason)s); nothing of it was kept.") % {"reason": error}
        ) from error
    pool.shutdown(wait=True)
    return written


def _check_saved(future, name, prefix, written):
    saved = future.result()
    if saved != name:
        written.append(saved)
        raise PackageStorageError(
            _("Storage renamed “%(path)s” while it was being written.") % {"path": name.removeprefix(prefix)},
            name,
        )


def remove_files(storage, names):
    """Delete ``names`` from ``storage``, carrying on past failures so as many as possible go.

    On a local-disk storage the folders left empty go too; object storages have no folders.
    """
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            # Cleanup must try every file; the failure is logged for an operator to finish by hand.
            logger.exception("Could not delete %s while rolling back a package extraction", name)
    _remove_empty_folders(storage, names)


def _remove_empty_folders(storage, names):
    if not names:
        return
    try:
        # The format's folder (``h5p``, ``scorm``): it stays, the package's folders under it go.
        root = Path(storage.path(names[0].split("/", 1)[0]))
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
