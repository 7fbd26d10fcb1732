"""Every rule by which an uploaded .h5p is rejected, each on a small package built here."""

import io
import json
import os
import stat
import zipfile

import pytest

from courses.h5p.package import H5PPackageError, PackageLimits, inspect_package

from .h5p_packages import (
    build_package,
    build_zip,
    english_messages,  # noqa: F401 - fixture
    h5p_json,
    library_json,
    package_files,
)

pytestmark = pytest.mark.usefixtures("english_messages")


def inspect(data, **limits):
    return inspect_package(io.BytesIO(data), PackageLimits(**limits) if limits else PackageLimits())


def rejected(data, *fragments, **limits):
    """Assert the package is rejected with a message containing every fragment; return the message."""
    with pytest.raises(H5PPackageError) as caught:
        inspect(data, **limits)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def entry(name, *, mode=None):
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.create_system = 3
    if mode is not None:
        info.external_attr = mode << 16
    return info


def test_minimal_package_is_valid_and_described():
    manifest = inspect(build_package())
    assert manifest.title == "測驗 Quiz"
    assert manifest.main_library == "H5P.Sample"
    assert manifest.main_library_version == "1.2"
    assert manifest.licence == "CC BY"
    assert manifest.language == "zh-hant"
    assert manifest.file_count == 6
    assert manifest.content_json == {"question": "國際教育是什麼？"}
    assert set(manifest.libraries) == {"H5P.Sample-1.2"}


# The file as a whole


def test_empty_file():
    rejected(b"", "empty")


def test_not_a_zip():
    rejected(b"<?php system($_GET['c']); ?>" * 10, "not a valid zip")


def test_truncated_zip():
    data = build_package()
    rejected(data[: len(data) // 2], "zip")


def test_corrupt_entry_fails_its_checksum():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in package_files().items():
            archive.writestr(name, content)
    data = bytearray(buffer.getvalue())
    at = data.index(b'"title"')
    data[at + 1] = ord("T")
    rejected(bytes(data), "corrupt")


def test_upload_over_the_size_limit():
    rejected(build_package(), "at most 100 bytes", max_upload_bytes=100)


# h5p.json


def test_h5p_json_missing():
    rejected(build_package(**{"h5p.json": None}), "“h5p.json” is missing")


@pytest.mark.parametrize("text", [b"{", b'{"title": "x",}', b"\xff\xfe not utf-8", b""])
def test_h5p_json_malformed_or_truncated(text):
    rejected(build_package(**{"h5p.json": text}), "“h5p.json” is not valid JSON")


def test_h5p_json_not_an_object():
    rejected(build_package(**{"h5p.json": [1, 2]}), "“h5p.json” must hold a JSON object")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"title": ""}, "“title”"),
        ({"title": None}, "“title”"),
        ({"title": "x" * 256}, "“title”"),
        ({"language": "zh hant!"}, "“language”"),
        ({"language": None}, "“language”"),
        ({"mainLibrary": "1-bad name"}, "“mainLibrary”"),
        ({"mainLibrary": None}, "“mainLibrary”"),
        ({"embedTypes": []}, "“embedTypes”"),
        ({"embedTypes": ["popup"]}, "“embedTypes”"),
        ({"embedTypes": None}, "“embedTypes”"),
        ({"preloadedDependencies": []}, "“preloadedDependencies”"),
        ({"preloadedDependencies": None}, "“preloadedDependencies”"),
        ({"preloadedDependencies": ["H5P.Sample"]}, "“preloadedDependencies”"),
        (
            {"preloadedDependencies": [{"machineName": "H5P.Sample", "majorVersion": "1.x", "minorVersion": 2}]},
            "majorVersion",
        ),
        (
            {"preloadedDependencies": [{"machineName": "H5P.Sample", "majorVersion": True, "minorVersion": 2}]},
            "majorVersion",
        ),
        ({"preloadedDependencies": [{"majorVersion": 1, "minorVersion": 2}]}, "machineName"),
        ({"license": 42}, "“license”"),
    ],
)
def test_h5p_json_schema(change, problem):
    data = build_package(**{"h5p.json": h5p_json(**change)})
    rejected(data, "“h5p.json” does not follow the H5P specification", problem)


def test_main_library_must_be_a_dependency():
    data = build_package(**{"h5p.json": h5p_json(mainLibrary="H5P.Other")})
    rejected(data, "H5P.Other", "not among its preloadedDependencies")


def test_versions_may_be_strings_or_integers():
    dependency = {"machineName": "H5P.Sample", "majorVersion": "1", "minorVersion": "2"}
    data = build_package(
        **{
            "h5p.json": h5p_json(preloadedDependencies=[dependency]),
            "H5P.Sample-1.2/library.json": library_json(major="1", minor=2, patchVersion="3"),
        }
    )
    assert inspect(data).main_library_version == "1.2"


def test_extra_keys_and_stray_root_files_are_accepted():
    data = build_package(**{"h5p.json": h5p_json(authors=[{"name": "IE"}]), "README.txt": b"hello"})
    assert "README.txt" in [info.filename for info in inspect(data).entries]


# content/content.json


def test_content_json_missing():
    rejected(build_package(**{"content/content.json": None}), "“content/content.json” is missing")


@pytest.mark.parametrize("text", [b'{"question": ', b"NaN-not-json", b"\x00\x01"])
def test_content_json_malformed(text):
    rejected(build_package(**{"content/content.json": text}), "“content/content.json” is not valid JSON")


def test_content_json_must_be_an_object():
    rejected(build_package(**{"content/content.json": b'"text"'}), "must hold a JSON object")


def test_huge_content_json():
    huge = json.dumps({"text": os.urandom(600_000).hex()}).encode()
    rejected(
        build_package(**{"content/content.json": huge}),
        "content/content.json",
        "at most 1048576 bytes",
        max_content_json_bytes=1024 * 1024,
    )


def test_deeply_nested_json_is_refused_not_crashed():
    nested = b"[" * 100_000 + b"]" * 100_000
    rejected(build_package(**{"content/content.json": b'{"a": ' + nested + b"}"}), "JSON")


# Libraries


def test_dependency_folder_missing():
    files = package_files()
    for name in [name for name in files if name.startswith("H5P.Sample-1.2/")]:
        del files[name]
    rejected(build_zip(files), "H5P.Sample 1.2", "“H5P.Sample-1.2”")


def test_transitive_dependency_missing():
    library = library_json(
        preloadedDependencies=[{"machineName": "H5P.JoubelUI", "majorVersion": 1, "minorVersion": 3}]
    )
    data = build_package(**{"H5P.Sample-1.2/library.json": library})
    rejected(data, "H5P.Sample 1.2 needs the library H5P.JoubelUI 1.3")


def test_library_folder_named_without_version():
    files = {name.replace("H5P.Sample-1.2/", "H5P.Sample/"): data for name, data in package_files().items()}
    assert "H5P.Sample" in inspect(build_zip(files)).libraries


def test_library_folder_without_library_json():
    rejected(build_package(**{"H5P.Sample-1.2/library.json": None}), "“H5P.Sample-1.2” has no library.json")


def test_library_json_malformed():
    rejected(
        build_package(**{"H5P.Sample-1.2/library.json": b"{'single': 'quotes'}"}), "library.json” is not valid JSON"
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"machineName": None}, "machineName"),
        ({"machineName": "H5P Sample!"}, "machineName"),
        ({"title": ""}, "“title”"),
        ({"patchVersion": "one"}, "patchVersion"),
        ({"majorVersion": -1}, "majorVersion"),
        ({"runnable": 2}, "runnable"),
        ({"minorVersion": 3}, "does not match its folder"),
        ({"machineName": "H5P.Other"}, "does not match its folder"),
        ({"preloadedJs": [{"path": "missing.js"}]}, "missing.js"),
        ({"preloadedCss": "sample.css"}, "preloadedCss"),
        ({"preloadedDependencies": [{"machineName": "X"}]}, "majorVersion"),
    ],
)
def test_library_json_schema(change, problem):
    data = build_package(**{"H5P.Sample-1.2/library.json": library_json(**change)})
    rejected(data, "H5P.Sample-1.2/library.json", problem)


# File types


@pytest.mark.parametrize(
    "name",
    [
        "content/shell.php",
        "content/setup.exe",
        "content/page.html",
        "content/page.htm",
        "content/script.js",
        "content/style.css",
        "content/noextension",
        "H5P.Sample-1.2/payload.php",
        "H5P.Sample-1.2/index.html",
        "H5P.Sample-1.2/run.exe",
        "H5P.Sample-1.2/setup.sh",
        "evil.php",
    ],
)
def test_forbidden_extension(name):
    rejected(build_package(**{name: b"x"}), f"“{name}”", "does not allow")


def test_library_files_may_be_scripts_and_styles_content_files_may_be_media():
    data = build_package(
        **{
            "H5P.Sample-1.2/extra.js": b"1;",
            "H5P.Sample-1.2/fonts/icons.woff2": b"wOF2",
            "content/video.mp4": b"\0" * 8,
            "content/doc.PDF": b"%PDF-1.7",
        }
    )
    assert inspect(data).file_count == 10


# Paths and entry types


@pytest.mark.parametrize(
    "name",
    [
        "../evil.json",
        "content/../../evil.json",
        "/etc/passwd.txt",
        "C:/Windows/evil.txt",
        "c:evil.txt",
        "content\\..\\..\\evil.txt",
        "content/\\evil.txt",
        "content//double.txt",
        "content/./dot.txt",
        "content/new\nline.txt",
    ],
)
def test_unsafe_paths(name):
    message = rejected(build_package(extra_entries=[(entry(name), b"x")]), "could write outside the package folder")
    assert "is refused" in message


def test_symlink_entry():
    link = entry("content/link.txt", mode=stat.S_IFLNK | 0o777)
    rejected(build_package(extra_entries=[(link, b"/etc/passwd")]), "“content/link.txt” is a symbolic link")


def test_encrypted_entry():
    data = bytearray(build_package(**{"content/locked.txt": b"secret"}))
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length] == b"content/locked.txt":
            data[at + 8] |= 0x1
        at += 4
    rejected(bytes(data), "“content/locked.txt” is encrypted")


@pytest.mark.parametrize("duplicate", ["content/content.json", "CONTENT/Content.json", "content/images/map.png"])
def test_duplicate_entry_names(duplicate):
    data = build_package(extra_entries=[(entry(duplicate), b'{"evil": true}')])
    rejected(data, "appears more than once")


def test_hidden_and_underscore_files_are_ignored():
    data = build_package(
        **{
            ".DS_Store": b"\0",
            "__MACOSX/content/._image.png": b"\0",
            "content/.hidden.php": b"<?php",
            "H5P.Sample-1.2/_notes/todo.exe": b"MZ",
        }
    )
    names = [info.filename for info in inspect(data).entries]
    assert not any(name.startswith((".", "__")) or "/." in name or "/_" in name for name in names)


def test_ignored_files_still_cannot_escape():
    rejected(build_package(extra_entries=[(entry("../.hidden"), b"x")]), "could write outside")


# Limits (zip bombs)


def test_too_many_files():
    extra = {f"content/images/{index}.png": b"x" for index in range(20)}
    rejected(build_package(**extra), "at most 20 files", max_files=20)


def test_single_file_too_large():
    rejected(
        build_package(**{"content/video.mp4": b"\0" * 5000}), "“content/video.mp4” is 5000 bytes", max_file_bytes=4096
    )


def test_total_uncompressed_size_too_large():
    extra = {f"content/{index}.mp4": bytes(range(256)) * 8 for index in range(10)}
    rejected(build_package(**extra), "more than 10000 bytes", max_total_bytes=10_000)


def test_zip_bomb_by_compression_ratio():
    rejected(
        build_package(**{"content/bomb.txt": b"\0" * (8 * 1024 * 1024)}), "“content/bomb.txt” expands", "zip bomb"
    )


def test_zip_bomb_by_file_count():
    extra = {f"content/{index}.txt": b"" for index in range(6000)}
    rejected(build_package(**extra), "at most 5000 files are allowed")


def declared_size_patched(data, name, size):
    """The zip with the central directory's uncompressed size of ``name`` replaced by ``size``."""
    data = bytearray(data)
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length] == name.encode():
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
        at += 4
    return bytes(data)


@pytest.mark.parametrize("name", ["content/content.json", "H5P.Sample-1.2/sample.js"])
def test_size_declared_smaller_than_the_real_bytes(name, tmp_path):
    from django.core.files.storage import FileSystemStorage

    from courses.packages.storage import extract_package

    data = declared_size_patched(build_package(), name, 4)
    try:
        manifest = inspect(data)
    except H5PPackageError as error:
        assert name in str(error) or "corrupt" in str(error)
        return
    storage = FileSystemStorage(location=tmp_path)
    with pytest.raises(H5PPackageError):
        extract_package(io.BytesIO(data), manifest.entries, storage, "h5p/x/")
    assert list(tmp_path.rglob("*")) == [tmp_path / "h5p"]


# SVG


SAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>', "links"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<a x:href=" JaVaScRiPt:alert(1)"><text>x</text></a></svg>',
            "links",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>', "foreignobject"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="x"/></svg>', "links"),
        (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "entities"),
        (b"<svg><unclosed></svg>", "well-formed"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "no <svg> root"),
    ],
)
@pytest.mark.parametrize("where", ["content/images/map.svg", "H5P.Sample-1.2/icon.svg"])
def test_svg_carrying_script_is_refused(svg, reason, where):
    rejected(build_package(**{where: svg}), f"“{where}” is refused", reason, "may not carry script")


def test_clean_svg_is_accepted():
    assert inspect(build_package(**{"content/images/map.svg": SAFE_SVG})).file_count == 7


@pytest.mark.parametrize(
    ("script", "evaluates"),
    [
        (b"var f = eval('1+1');", True),
        (b"var f = new Function('return 1');", True),
        (b"window.eval (code);", False),
        (b"H5P.Sample = function () { return medieval(1); };", False),
        (b"H5P.Sample = function () {};", False),
    ],
)
def test_packages_whose_scripts_evaluate_code_are_flagged(script, evaluates):
    assert inspect(build_package(**{"H5P.Sample-1.2/sample.js": script})).evaluates_code is evaluates


# XML files (opened on their own, a browser renders XHTML or SVG elements in them as a page)

SAFE_XML = '<?xml version="1.0"?><glossary><term lang="zh-hant">國際教育</term></glossary>'.encode()


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b'<page xmlns:h="http://www.w3.org/1999/xhtml"><h:p>x</h:p></page>', "XHTML"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>', "XHTML"),
        (b'<doc><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg></doc>', "<script>"),
        (b'<doc><x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script></doc>', "<script>"),
        (b'<doc onload="alert(1)"/>', "event handler"),
        (b'<doc xmlns:l="http://www.w3.org/1999/xlink"><a l:href="javascript:alert(1)"/></doc>', "links"),
        (b'<?xml-stylesheet type="text/xsl" href="evil.xsl"?><doc/>', "XSLT"),
        (b'<!DOCTYPE doc [<!ENTITY a "aaaa">]><doc>&a;</doc>', "entities"),
        (b"<doc><unclosed></doc>", "well-formed"),
    ],
)
@pytest.mark.parametrize("where", ["content/data/glossary.xml", "H5P.Sample-1.2/data.xml"])
def test_xml_carrying_script_is_refused(xml, reason, where):
    rejected(build_package(**{where: xml}), f"“{where}” is refused", "XML file", reason, "may not carry script")


def test_clean_xml_is_accepted():
    assert inspect(build_package(**{"content/data/glossary.xml": SAFE_XML})).file_count == 7


# Library language files (the player parses them: a broken one stops the content)


@pytest.mark.parametrize(
    "broken", [b'{"semantics": [', b"\xff\xfe not utf-8", b'{"semantics": []} trailing', b"[1, 2]"]
)
def test_language_file_that_is_not_a_json_object_is_refused(broken):
    files = {"H5P.Sample-1.2/language/zh-hant.json": broken, "H5P.Sample-1.2/language/en.json": b'{"semantics": []}'}
    rejected(build_package(**files), "“H5P.Sample-1.2/language/zh-hant.json”")


def test_valid_language_files_are_accepted():
    files = {"H5P.Sample-1.2/language/zh-hant.json": '{"semantics": [{"label": "問題"}]}'.encode()}
    assert inspect(build_package(**files)).file_count == 7


# coreApi: what the package needs of the H5P core, against what our player implements


def test_player_core_api_was_read_from_the_installed_player():
    from django.conf import settings

    from courses.h5p.package import PLAYER_PACKAGE_VERSION

    installed = json.loads((settings.BASE_DIR / "node_modules" / "h5p-standalone" / "package.json").read_text())
    assert installed["version"] == PLAYER_PACKAGE_VERSION, "h5p-standalone changed: check PLAYER_CORE_API"


@pytest.mark.parametrize(
    ("core_api", "needed"),
    [
        ({"majorVersion": 1, "minorVersion": 99}, "1.99"),
        ({"majorVersion": 2}, "2.0"),
        ({"majorVersion": "3", "minorVersion": "0"}, "3.0"),
    ],
)
@pytest.mark.parametrize("where", ["library", "h5p.json"])
def test_core_api_newer_than_the_player_is_refused(core_api, needed, where):
    if where == "library":
        data = build_package(**{"H5P.Sample-1.2/library.json": json.dumps(library_json(coreApi=core_api)).encode()})
        path = "H5P.Sample-1.2/library.json"
    else:
        data = build_package(**{"h5p.json": json.dumps(h5p_json(coreApi=core_api)).encode()})
        path = "h5p.json"
    rejected(data, f"“{path}” needs version {needed} of the H5P core", "our player implements 1.27")


@pytest.mark.parametrize("core_api", ["1.19", {"majorVersion": "x"}, {"majorVersion": 1, "minorVersion": -1}])
def test_malformed_core_api_is_refused(core_api):
    data = build_package(**{"H5P.Sample-1.2/library.json": json.dumps(library_json(coreApi=core_api)).encode()})
    rejected(data, "“H5P.Sample-1.2/library.json” does not follow the H5P specification", "coreApi")


@pytest.mark.parametrize(
    "core_api", [{"majorVersion": 1, "minorVersion": 27}, {"majorVersion": 1, "minorVersion": 19}, {}]
)
def test_core_api_the_player_implements_is_accepted(core_api):
    data = build_package(**{"H5P.Sample-1.2/library.json": json.dumps(library_json(coreApi=core_api)).encode()})
    assert inspect(data).file_count == 6
