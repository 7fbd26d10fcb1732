"""Files attached to posts: size- and type-limited, checked before anything is stored.

``check_upload`` is the one place every attached file passes through before it is saved; a virus scanner plugs in
here. Files are served only to readers of the board (see ``views.attachment``), never from a public media URL, and
anything that is not a checked image is sent as a download.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_FILES_PER_POST = 5
IMAGE_TYPES = {
    ".png": ("PNG", "image/png"),
    ".jpg": ("JPEG", "image/jpeg"),
    ".jpeg": ("JPEG", "image/jpeg"),
    ".gif": ("GIF", "image/gif"),
    ".webp": ("WEBP", "image/webp"),
}
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
}
# What a document must begin with to be what its name says (Office and OpenDocument files are zip archives).
DOCUMENT_SIGNATURES = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".pptx": b"PK\x03\x04",
    ".odt": b"PK\x03\x04",
}


def max_bytes() -> int:
    return getattr(settings, "DISCUSSION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(upload) -> tuple[str, bool]:
    """Refuse a file that is too big, of a type not allowed, or not what its name says; ``(content type, is
    image)`` of one that passes."""
    if upload.size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s.") % {"name": upload.name, "limit": filesizeformat(max_bytes())}
        )
    suffix = Path(upload.name).suffix.lower()
    if suffix in IMAGE_TYPES:
        expected_format, content_type = IMAGE_TYPES[suffix]
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                image.verify()
                found = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            found = None
        upload.seek(0)
        if found != expected_format:
            raise ValidationError(_("“%(name)s” is not the image its name says.") % {"name": upload.name})
        return content_type, True
    if suffix in DOCUMENT_TYPES:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        signature = DOCUMENT_SIGNATURES.get(suffix)
        if signature is not None and not head.startswith(signature):
            raise ValidationError(_("“%(name)s” is not the kind of file its name says.") % {"name": upload.name})
        return DOCUMENT_TYPES[suffix], False
    raise ValidationError(
        _(
            "“%(name)s” cannot be attached. Allowed: images (PNG, JPEG, GIF, WebP), PDF, Word, Excel, PowerPoint, "
            "OpenDocument text and plain text."
        )
        % {"name": upload.name}
    )
