"""Property-based fuzzing: no input crashes the validator, and nothing is ever written outside the package folder."""

import io
import json
import tempfile
import warnings
import zipfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.h5p.package import H5PPackageError, PackageLimits, inspect_package
from courses.packages.storage import extract_package

from .h5p_packages import build_package, h5p_json, library_json

LIMITS = PackageLimits(max_files=50, max_file_bytes=64 * 1024, max_total_bytes=256 * 1024)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE_NAMES = [
    "h5p.json",
    "content/content.json",
    "H5P.Sample-1.2/library.json",
    "H5P.Sample-1.2/sample.js",
    "content/images/map.svg",
    "../escape.json",
    "content/../../escape.json",
    "/absolute.json",
    "C:/windows.txt",
    "content\\..\\..\\back.txt",
    "content/",
    "content//x.json",
    ".hidden/../../x.json",
    "_ignored/x.php",
    "H5P.Sample-1.2/../../../x.js",
]
names = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
    st.lists(
        st.sampled_from(["content", "..", ".", "", "H5P.Sample-1.2", "a.json", "b.svg", "c.js"]),
        min_size=1,
        max_size=5,
    ).map("/".join),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
contents = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.sampled_from(
        [
            json.dumps(h5p_json()).encode(),
            json.dumps(library_json()).encode(),
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            b"<svg><script>alert(1)</script></svg>",
            b"{}",
        ]
    ),
)


def zip_of(entries, mode_bits):
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore", UserWarning)
        for (name, data), mode in zip(entries, mode_bits, strict=False):
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def check(data):
    """Validate ``data``; if accepted, extract it and prove every file landed inside the package folder."""
    try:
        manifest = inspect_package(io.BytesIO(data), LIMITS)
    except H5PPackageError as error:
        assert str(error)
        return
    with tempfile.TemporaryDirectory() as root:
        storage = FileSystemStorage(location=root)
        folder = (Path(root) / "h5p" / "fuzz").resolve()
        try:
            written = extract_package(io.BytesIO(data), manifest.entries, storage, "h5p/fuzz/")
        except H5PPackageError:
            written = []
        for path in Path(root).rglob("*"):
            assert path.resolve().is_relative_to(folder) or path.resolve() in folder.parents
        for name in written:
            assert Path(storage.path(name)).resolve().is_relative_to(folder)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check(data)


@FUZZ
@given(
    st.lists(st.tuples(names, contents), max_size=10),
    st.lists(st.sampled_from([0o100644, 0o120777, 0o040755, 0]), max_size=10),
)
def test_random_zips(entries, mode_bits):
    check(zip_of(entries, mode_bits))


@FUZZ
@given(st.lists(st.tuples(names, contents), max_size=6))
def test_valid_package_with_hostile_additions(extra):
    base = zipfile.ZipFile(io.BytesIO(build_package()))
    entries = [(info.filename, base.read(info)) for info in base.infolist()] + list(extra)
    check(zip_of(entries, [0o100644] * len(entries)))


@FUZZ
@given(st.data())
def test_corrupted_valid_package(data):
    package = bytearray(build_package())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(package) - 1))
        package[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(package)))
    check(bytes(package[:cut]))
