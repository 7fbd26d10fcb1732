"""Run poppler's command-line tools (Debian package poppler-utils) on PDF bytes, as a reader of the file would."""

import subprocess
import tempfile
from pathlib import Path


def _run(tool: str, data: bytes, *arguments: str, text: bool = True) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "certificate.pdf"
        path.write_bytes(data)
        return subprocess.run(
            [tool, *arguments, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=text,
            timeout=60,
            check=False,
        )


def pdftotext(data: bytes) -> str:
    result = _run("pdftotext", data, "-enc", "UTF-8")
    assert result.returncode == 0, result.stderr
    return result.stdout


def pdfsig(data: bytes) -> str:
    return _run("pdfsig", data).stdout


def pdfinfo(data: bytes) -> str:
    return _run("pdfinfo", data).stdout


def pdffonts(data: bytes) -> str:
    return _run("pdffonts", data).stdout


def pdfimages_count(data: bytes) -> int:
    listing = _run("pdfimages", data, "-list").stdout.splitlines()
    # Two header lines, then one line per image (soft masks included).
    return len(listing) - 2


def pdftoppm_png(data: bytes, dpi: int = 200) -> bytes:
    """The first page as a PNG image, as a reader's screen or a phone camera would see it."""
    result = _run("pdftoppm", data, "-png", "-r", str(dpi), "-singlefile", text=False)
    assert result.returncode == 0, result.stderr
    return result.stdout
