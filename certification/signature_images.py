"""Signature and seal images that administrators upload for a programme's signatories.

An upload is an image file only if Pillow reads it as a PNG or JPEG of reasonable size: a renamed text file, an
SVG (which can carry script), a GIF or a decompression bomb is refused before it is stored, since the PDF renderer
decodes these files later in the worker.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

SIGNATURE_IMAGE_EXTENSIONS = ["png", "jpg", "jpeg"]
SIGNATURE_IMAGE_FORMATS = {"PNG", "JPEG"}
MAX_SIGNATURE_IMAGE_BYTES = 2 * 1024 * 1024
# A seal printed 48 points high needs a few hundred pixels; far more is a mistake or an attack.
MAX_SIGNATURE_IMAGE_PIXELS = 4000 * 4000


def validate_signature_image(file) -> None:
    if file.size > MAX_SIGNATURE_IMAGE_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)s.") % {"limit": filesizeformat(MAX_SIGNATURE_IMAGE_BYTES)}
        )
    file.seek(0)
    try:
        # Opening reads the header only: the size is checked before any pixel is decoded.
        with Image.open(file) as image:
            if image.format not in SIGNATURE_IMAGE_FORMATS:
                raise ValidationError(_("Upload a PNG or JPEG image."))
            if image.width * image.height > MAX_SIGNATURE_IMAGE_PIXELS:
                raise ValidationError(_("The image has too many pixels; 4000 × 4000 at most."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Upload a PNG or JPEG image.")) from error
    finally:
        file.seek(0)
