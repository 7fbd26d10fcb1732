"""Our own H5P library, ``IEA.Quiz 1.0``, and the demo packages built from it.

The library (``IEA.Quiz-1.0/``: ``library.json``, ``scripts/quiz.js``, ``styles/quiz.css``) is written for
this project under the MIT licence, so a fresh clone has real, playable H5P content with nothing fetched
from outside. ``build_quiz_package`` turns a quiz's ``content.json`` into a ``.h5p`` zip (byte-for-byte the
same for the same quiz, so re-running the demo loader stores nothing new); ``load_demo_packages`` uploads
the demo quizzes through ``H5PPackage.from_upload`` like a trainer would.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile

from ...models import H5PPackage
from .quizzes import DEMO_QUIZZES

LIBRARY_FOLDER = Path(__file__).resolve().parent / "IEA.Quiz-1.0"
LIBRARY_NAME = "IEA.Quiz"
LIBRARY_MAJOR, LIBRARY_MINOR = 1, 0
# A fixed timestamp keeps the zip, and so its content hash, the same from one build to the next.
ZIP_TIMESTAMP = (2026, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class DemoPackage:
    filename: str
    title: str
    data: bytes


def _json_bytes(value):
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode()


def build_quiz_package(content: dict, *, title: str | None = None, language: str = "zh-hant") -> bytes:
    """A complete ``.h5p`` (zip bytes) that plays ``content`` with our ``IEA.Quiz`` library."""
    h5p_json = {
        "title": title or content.get("title") or "IE Academy quiz",
        "language": language,
        "mainLibrary": LIBRARY_NAME,
        "embedTypes": ["iframe"],
        "license": "CC BY",
        "authors": [{"name": "IE Academy", "role": "Author"}],
        "preloadedDependencies": [
            {"machineName": LIBRARY_NAME, "majorVersion": LIBRARY_MAJOR, "minorVersion": LIBRARY_MINOR}
        ],
    }
    files = {"h5p.json": _json_bytes(h5p_json), "content/content.json": _json_bytes(content)}
    for path in sorted(LIBRARY_FOLDER.rglob("*")):
        if path.is_file():
            files[f"{LIBRARY_FOLDER.name}/{path.relative_to(LIBRARY_FOLDER).as_posix()}"] = path.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def demo_packages() -> list[DemoPackage]:
    """The demo quizzes as ``.h5p`` files (in memory)."""
    return [
        DemoPackage(filename, content["title"], build_quiz_package(content))
        for filename, content in DEMO_QUIZZES.items()
    ]


def load_demo_packages(user=None):
    """Upload every demo quiz (idempotent: an unchanged quiz returns its existing package).

    Returns ``{filename: H5PPackage}``, for the demo loader to place in module pages.
    """
    return {
        package.filename: H5PPackage.from_upload(ContentFile(package.data, name=package.filename), user)
        for package in demo_packages()
    }
