"""Small .h5p packages built in memory, for the validator and extraction tests, and the real ones in shared/."""

import io
import json
import warnings
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

# ../shared/h5p beside the repository, or beside the folder of worktrees a worktree sits in.
REAL_PACKAGES_DIR = next(
    (
        folder / "shared" / "h5p"
        for folder in Path(__file__).resolve().parents[3:]
        if (folder / "shared" / "h5p").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "h5p",
)
REAL_PACKAGES = {
    "H5P.MultiChoice.h5p": ("Multiple Choice", "H5P.MultiChoice", "1.14"),
    "H5P.TrueFalse-h5p-standalone-test.h5p": ("Hello World", "H5P.TrueFalse", "1.6"),
    "H5P.DragText.h5p": ("Drag the Words", "H5P.DragText", "1.8"),
    "H5P.Column-interactive-content-2260.h5p": (
        "https://www.youtube.com/watch?v=mOwNaUQQJxo",
        "H5P.Column",
        "1.12",
    ),
}


@pytest.fixture
def english_messages():
    """The rejection messages in English, whatever the site's default language (zh-Hant)."""
    with translation.override("en"):
        yield


def real_package(name) -> Path:
    """The path of a real package in ../shared/h5p/, skipping the test when that folder is absent."""
    path = REAL_PACKAGES_DIR / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the real H5P packages live in ../shared/h5p/ beside the project (CI has them)")
    return path


def h5p_json(**overrides):
    data = {
        "title": "測驗 Quiz",
        "language": "zh-hant",
        "mainLibrary": "H5P.Sample",
        "embedTypes": ["iframe"],
        "license": "CC BY",
        "preloadedDependencies": [{"machineName": "H5P.Sample", "majorVersion": 1, "minorVersion": 2}],
    }
    data.update(overrides)
    return data


def library_json(machine_name="H5P.Sample", major=1, minor=2, **overrides):
    data = {
        "title": "Sample",
        "machineName": machine_name,
        "majorVersion": major,
        "minorVersion": minor,
        "patchVersion": 3,
        "runnable": 1,
        "preloadedJs": [{"path": "sample.js"}],
        "preloadedCss": [{"path": "sample.css"}],
    }
    data.update(overrides)
    return data


def package_files(**replace):
    """The files of a minimal valid package, name → bytes; ``replace`` overrides or (with None) removes them."""
    files = {
        "h5p.json": json.dumps(h5p_json()).encode(),
        "content/content.json": json.dumps({"question": "國際教育是什麼？"}).encode(),
        "content/images/map.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        "H5P.Sample-1.2/library.json": json.dumps(library_json()).encode(),
        "H5P.Sample-1.2/sample.js": b"H5P.Sample = function () {};",
        "H5P.Sample-1.2/sample.css": b".h5p-sample { color: #000; }",
    }
    for name, data in replace.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data if isinstance(data, bytes) else json.dumps(data).encode()
    return files


def build_zip(files, extra_entries=()):
    """A zip of ``files`` (name → bytes) plus ``extra_entries``: (ZipInfo, bytes) pairs for unusual entries."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # Duplicate names are one of the hostile cases built here on purpose.
        warnings.simplefilter("ignore", UserWarning)
        for name, data in files.items():
            archive.writestr(name, data)
        for info, data in extra_entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def build_package(extra_entries=(), **replace):
    return build_zip(package_files(**replace), extra_entries)


def upload_of(data, name="package.h5p"):
    """An uploaded file as Django hands it to a view."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/zip")
