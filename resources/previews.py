"""The preview image of a resource: its first page as a PNG.

PDFs are drawn by poppler's ``pdftoppm`` (installed for certificate checks already). Office documents (DOCX, PPTX,
ODT, ODP) are first converted to PDF by LibreOffice headless, where it is installed (``libreoffice-writer-nogui``
and ``libreoffice-impress-nogui``, see scripts/install-system-deps.sh); where it is not, or when a conversion
fails or takes too long, the resource simply has no preview and its page shows the kind of file instead. Images
are scaled down with Pillow. Each conversion runs in a throwaway folder, with its own LibreOffice profile, so two
at once do not share state.
"""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

PREVIEW_WIDTH = 800
OFFICE_TYPES = {".docx", ".pptx", ".odt", ".odp"}
IMAGE_TYPES = {".png", ".jpg", ".jpeg"}


def office_converter() -> str | None:
    """The LibreOffice program, or None when it is not installed (or switched off with ``RESOURCE_OFFICE=""``)."""
    configured = getattr(settings, "RESOURCE_OFFICE", None)
    if configured is not None:
        return shutil.which(configured) if configured else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def first_page_png(path: Path, timeout: int = 120) -> bytes | None:
    """The first page of the file at ``path`` as PNG bytes, or None when it cannot be drawn here."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_TYPES:
        return _scaled_image(path)
    with tempfile.TemporaryDirectory(prefix="resource-preview-") as folder:
        folder = Path(folder)
        if suffix in OFFICE_TYPES:
            pdf = _office_to_pdf(path, folder, timeout)
        elif suffix == ".pdf":
            pdf = path
        else:
            return None
        if pdf is None:
            return None
        return _pdf_first_page(pdf, folder, timeout)


def _office_to_pdf(path, folder, timeout):
    program = office_converter()
    if program is None:
        return None
    profile = (folder / "profile").as_uri()
    command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf"]
    try:
        subprocess.run(
            [*command, "--outdir", str(folder), str(path)], capture_output=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    converted = folder / f"{path.stem}.pdf"
    return converted if converted.exists() else None


def _pdf_first_page(pdf, folder, timeout):
    target = folder / "page"
    command = ["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(PREVIEW_WIDTH)]
    try:
        subprocess.run([*command, str(pdf), str(target)], capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    image = target.with_suffix(".png")
    return image.read_bytes() if image.exists() else None


def _scaled_image(path):
    with Image.open(path) as image:
        image.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH))
        output = io.BytesIO()
        image.convert("RGB").save(output, "PNG")
        return output.getvalue()


def render_preview(resource) -> bool:
    """Draw and store ``resource``'s preview; False (and no preview) when its file cannot be drawn."""
    if not resource.file:
        return False
    with tempfile.TemporaryDirectory(prefix="resource-source-") as folder:
        # A local copy under a plain name: storage may be remote, and LibreOffice reads the name's extension.
        source = Path(folder) / f"source{Path(resource.file.name).suffix.lower()}"
        with resource.file.open("rb") as stored, source.open("wb") as copy:
            shutil.copyfileobj(stored, copy)
        png = first_page_png(source)
    if png is None:
        return False
    if resource.preview:
        resource.preview.delete(save=False)
    resource.preview.save("preview.png", ContentFile(png), save=False)
    type(resource).objects.filter(pk=resource.pk).update(preview=resource.preview.name)
    return True
