"""Checking an uploaded resource file before it is stored: extension, size, what the content really is, and no
macros, scripts or zip bombs.

The virus scan happens before any of this, for every upload, in ``lms.antivirus.UploadScanMiddleware``: a file
that reaches these checks has been scanned. The type is judged by the content, never by the name or the browser's
``Content-Type``; the extension must then agree with it, so a file is always served under the type it is.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

READ_CHUNK = 64 * 1024
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# An OOXML package's main part names what it is; a macro-enabled one declares a macro-enabled content type.
OOXML_MAIN_PARTS = {"word/document.xml": "docx", "ppt/presentation.xml": "pptx"}
MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|activeX", re.IGNORECASE)
# What runs code in a PDF reader: document JavaScript, launching programs, embedded files and forms with script.
PDF_ACTIVE_CONTENT = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
# Text formats compress very well, so only an absurd ratio on a large entry is taken for a bomb.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """Override with the ``RESOURCE_UPLOAD_LIMITS`` setting, e.g. ``{"max_bytes": 20 * 1024 * 1024}``."""

    max_bytes: int = 50 * 1024 * 1024
    max_entries: int = 3000
    max_unpacked_bytes: int = 300 * 1024 * 1024
    max_image_pixels: int = 40_000_000

    @classmethod
    def from_settings(cls):
        return cls(**getattr(settings, "RESOURCE_UPLOAD_LIMITS", {}))


EXTENSIONS = ("pdf", "docx", "pptx", "odt", "odp", "png", "jpg", "jpeg")


def check_upload(upload, limits: UploadLimits | None = None) -> str:
    """Raise ``ValidationError`` unless ``upload`` is an acceptable resource file; return its type ("pdf", …)."""
    limits = limits or UploadLimits.from_settings()
    extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept. Accepted: %(types)s.")
            % {"name": upload.name, "types": ", ".join(EXTENSIONS).upper()},
            code="extension",
        )
    if upload.size > limits.max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)d MB; files of at most %(limit)d MB are accepted.")
            % {"name": upload.name, "size": upload.size // 2**20, "limit": limits.max_bytes // 2**20},
            code="size",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            found = _check_pdf(upload)
        elif head.startswith(b"PK\x03\x04"):
            found = _check_office(upload, limits)
        elif head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
            found = _check_image(upload, limits)
        else:
            found = ""
    finally:
        upload.seek(0)
    if not found:
        raise ValidationError(
            _("“%(name)s” is not what its name says: its content is not a PDF, an office document or an image.")
            % {"name": upload.name},
            code="content",
        )
    if found != extension and {found, extension} != {"jpg", "jpeg"}:
        raise ValidationError(
            _("“%(name)s” is named .%(extension)s but its content is a %(found)s file: choose the right file.")
            % {"name": upload.name, "extension": extension, "found": found.upper()},
            code="mismatch",
        )
    return found


def _chunks(upload):
    upload.seek(0)
    while chunk := upload.read(READ_CHUNK):
        yield chunk


def _check_pdf(upload) -> str:
    tail = b""
    for chunk in _chunks(upload):
        if PDF_ACTIVE_CONTENT.search(tail + chunk):
            raise ValidationError(
                _("“%(name)s” contains script or embedded programs, which are not accepted in a PDF.")
                % {"name": upload.name},
                code="active",
            )
        tail = chunk[-32:]
    return "pdf"


def _check_office(upload, limits) -> str:
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            _check_archive_sizes(upload, infos, limits)
            names = {info.filename for info in infos}
            if any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names) or any(
                name.lower().startswith(("basic/", "scripts/")) for name in names
            ):
                raise _macro_error(upload)
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return ODF_MIMETYPES.get(mimetype, "")
            if "[Content_Types].xml" in names:
                content_types = archive.read("[Content_Types].xml")
                if MACRO_CONTENT_TYPE.search(content_types):
                    raise _macro_error(upload)
                return next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in names), "")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return ""
    return ""


def _check_archive_sizes(upload, infos, limits):
    unpacked = sum(info.file_size for info in infos)
    ratio_bomb = any(
        info.file_size > RATIO_CHECKED_ABOVE_BYTES
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if len(infos) > limits.max_entries or unpacked > limits.max_unpacked_bytes or ratio_bomb:
        raise ValidationError(
            _("“%(name)s” unpacks to far more than its size (a “zip bomb”), and is not accepted.")
            % {"name": upload.name},
            code="bomb",
        )


def _macro_error(upload):
    return ValidationError(
        _("“%(name)s” contains macros, which are not accepted: save it as a document without macros.")
        % {"name": upload.name},
        code="macro",
    )


def _check_image(upload, limits) -> str:
    try:
        with Image.open(upload) as image:
            if image.width * image.height > limits.max_image_pixels:
                raise ValidationError(
                    _("“%(name)s” is too large an image (%(width)d × %(height)d pixels).")
                    % {"name": upload.name, "width": image.width, "height": image.height},
                    code="pixels",
                )
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        return ""
    return {"PNG": "png", "JPEG": "jpg"}.get(image_format, "")
