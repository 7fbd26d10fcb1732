"""The zip safety every uploaded content package passes (H5P and SCORM alike), before its format is read.

``read_package`` opens an upload without writing anything and checks, in the order a hostile file meets them: the
upload's size; that it is a zip at all; each entry's name (absolute, ``..``, drive letters, backslashes, control
characters, duplicates), type (symlinks), encryption, size (per file, in total, by compression ratio, by count)
and extension (the format's whitelist, given by the caller); then the format's own reading (given by the caller);
and last every SVG and XML file (script is refused, see ``courses.packages.markup``). Every refusal is a
``PackageError`` whose message names the file inside the package and the problem. Viruses are found before any of
this: ``lms.antivirus.UploadScanMiddleware`` scans every uploaded file, archives unpacked, before a view runs.
"""

import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from .markup import UnsafeSVG, check_svg, check_xml

# The file types a browser could run script from if one were opened on its own, with their check.
MARKUP_CHECKS = {".svg": ("SVG", check_svg), ".xml": ("XML", check_xml)}
UNIX_FILE_TYPE_MASK = 0o170000
UNIX_SYMLINK = 0o120000
ZIP_ENCRYPTED_FLAG = 0x1
READ_CHUNK = 64 * 1024

# What a broken or hostile zip can make the zipfile module raise while it is being read.
ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    OverflowError,
    IndexError,
    KeyError,
)


class PackageError(Exception):
    """An uploaded package is rejected. ``str(error)`` is a translated sentence naming the file and the problem."""

    def __init__(self, message, path=""):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class PackageLimits:
    """Limits that keep a package (or a zip bomb) from exhausting memory, disk or time.

    Override any of them with the format's setting, e.g. ``H5P_LIMITS = {"max_files": 10000}`` or
    ``SCORM_LIMITS``.
    """

    max_upload_bytes: int = 100 * 1024 * 1024
    max_files: int = 5000
    max_file_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_content_json_bytes: int = 2 * 1024 * 1024
    max_metadata_json_bytes: int = 256 * 1024
    # Text compresses well, so the ratio is only judged on entries large enough to matter.
    max_compression_ratio: int = 100
    ratio_checked_above_bytes: int = 1024 * 1024

    @classmethod
    def from_settings(cls, setting="H5P_LIMITS"):
        overrides = getattr(settings, setting, {})
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in overrides.items() if key in known})


def read_package(
    upload,
    limits: PackageLimits,
    *,
    kind: str,
    extension_problem: Callable[[str], str | None],
    read_format: Callable[[zipfile.ZipFile, list, dict], object],
    is_ignored: Callable[[str], bool] = lambda name: False,
) -> object:
    """Check ``upload`` (a seekable binary file) as a zip package and return what ``read_format`` makes of it.

    ``kind`` names the package type in messages (“an .h5p package”, “a SCORM package”); ``extension_problem(name)``
    returns the refusal for an entry's extension, or None; ``read_format(archive, entries, by_name)`` reads the
    format (and raises ``PackageError``); ``is_ignored(name)`` drops entries (once their name is checked).
    """
    size = _upload_size(upload)
    if size == 0:
        raise PackageError(_("The file is empty: %(kind)s must be a zip archive.") % {"kind": kind})
    if size > limits.max_upload_bytes:
        raise PackageError(
            _("The file is %(size)s bytes; packages may be at most %(limit)s bytes.")
            % {"size": size, "limit": limits.max_upload_bytes}
        )
    try:
        archive = zipfile.ZipFile(upload)
    except ZIP_READ_ERRORS as error:
        message = _("The file is not a valid zip archive, which %(kind)s must be.") % {"kind": kind}
        raise PackageError(message) from error
    with archive:
        try:
            entries = checked_entries(archive.infolist(), limits, extension_problem, is_ignored)
            total = sum(info.file_size for info in entries)
            if total > limits.ratio_checked_above_bytes and total > size * limits.max_compression_ratio:
                raise PackageError(
                    _("The package unpacks to %(ratio)s times its own size, which is how a zip bomb looks.")
                    % {"ratio": total // max(size, 1)}
                )
            result = read_format(archive, entries, {info.filename: info for info in entries})
            check_markup(archive, entries, limits)
            return result
        except ZIP_READ_ERRORS as error:
            raise PackageError(
                _("The zip archive is corrupt or truncated and cannot be read (%(reason)s).") % {"reason": error}
            ) from error
        except RecursionError as error:
            raise PackageError(_("A file in the package (JSON or XML) is nested too deeply to read.")) from error


def _upload_size(upload):
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return size


def checked_entries(infos, limits, extension_problem, is_ignored):
    """Check every entry's name, type, size and extension; return the files to extract."""
    if len(infos) > limits.max_files:
        raise PackageError(
            _("The package has %(count)s entries; at most %(limit)s files are allowed.")
            % {"count": len(infos), "limit": limits.max_files}
        )
    seen = set()
    entries = []
    total = 0
    for info in infos:
        name = info.orig_filename
        _check_entry_name(name)
        folded = name.rstrip("/").casefold()
        if folded in seen:
            raise PackageError(
                _("“%(path)s” appears more than once in the package.") % {"path": name.rstrip("/")}, name
            )
        seen.add(folded)
        if (info.external_attr >> 16) & UNIX_FILE_TYPE_MASK == UNIX_SYMLINK:
            raise PackageError(_("“%(path)s” is a symbolic link, which packages may not contain.") % {"path": name})
        if info.flag_bits & ZIP_ENCRYPTED_FLAG:
            raise PackageError(_("“%(path)s” is encrypted, which packages may not be.") % {"path": name}, name)
        if name.endswith("/") or is_ignored(name):
            continue
        _check_entry_size(info, limits)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise PackageError(
                _("The package unpacks to more than %(limit)s bytes.") % {"limit": limits.max_total_bytes}, name
            )
        if problem := extension_problem(name):
            raise PackageError(problem, name)
        entries.append(info)
    return entries


def _check_entry_name(name):
    problem = None
    if not name or name.startswith("/"):
        problem = _("an absolute path")
    elif "\\" in name:
        problem = _("a backslash in its path")
    elif len(name) > 1 and name[1] == ":" and name[0].isascii() and name[0].isalpha():
        problem = _("a Windows drive path")
    elif any(ord(char) < 32 or ord(char) == 127 for char in name):
        problem = _("a control character in its name")
    else:
        parts = name.rstrip("/").split("/")
        if any(part in ("", ".", "..") for part in parts):
            problem = _("“..”, “.” or an empty folder in its path")
    if problem:
        raise PackageError(
            _("“%(path)s” is refused: it has %(problem)s, which could write outside the package folder.")
            % {"path": name.encode("unicode_escape").decode("ascii"), "problem": problem},
            name,
        )


def _check_entry_size(info, limits):
    if info.file_size > limits.max_file_bytes:
        raise PackageError(
            _("“%(path)s” is %(size)s bytes; a single file may be at most %(limit)s bytes.")
            % {"path": info.filename, "size": info.file_size, "limit": limits.max_file_bytes},
            info.filename,
        )
    if (
        info.file_size > limits.ratio_checked_above_bytes
        and info.file_size > max(info.compress_size, 1) * limits.max_compression_ratio
    ):
        raise PackageError(
            _("“%(path)s” expands %(ratio)s times when unpacked, which is how a zip bomb looks.")
            % {"path": info.filename, "ratio": info.file_size // max(info.compress_size, 1)},
            info.filename,
        )


def extension_of(name) -> str:
    """An entry's extension, lower case, without the dot (``""`` when it has none)."""
    return PurePosixPath(name).suffix.lower().lstrip(".")


def check_markup(archive, entries, limits):
    """Refuse any SVG or XML entry that could run script once opened on its own."""
    for info in entries:
        suffix = PurePosixPath(info.filename).suffix.lower()
        if suffix in MARKUP_CHECKS:
            kind, check = MARKUP_CHECKS[suffix]
            try:
                check(read_entry(archive, info, limits.max_file_bytes))
            except UnsafeSVG as error:
                raise PackageError(
                    _("“%(path)s” is refused: the %(kind)s file %(reason)s. %(kind)s files may not carry script.")
                    % {"path": info.filename, "kind": kind, "reason": error},
                    info.filename,
                ) from error


def read_entry(archive, info, limit):
    """Read one entry, counting the bytes really produced: a header may lie about the size."""
    if info.file_size > limit:
        raise PackageError(
            _("“%(path)s” is %(size)s bytes; at most %(limit)s bytes are allowed for it.")
            % {"path": info.filename, "size": info.file_size, "limit": limit},
            info.filename,
        )
    chunks = []
    produced = 0
    with archive.open(info) as stream:
        while chunk := stream.read(READ_CHUNK):
            produced += len(chunk)
            if produced > info.file_size:
                raise PackageError(
                    _("“%(path)s” unpacks to more bytes than the archive declares.") % {"path": info.filename},
                    info.filename,
                )
            chunks.append(chunk)
    return b"".join(chunks)
