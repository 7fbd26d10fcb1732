"""Reading and validating an uploaded ``.h5p`` package, following the H5P specification.

An ``.h5p`` file is a zip holding ``h5p.json`` (the package's metadata), ``content/`` (``content.json`` and the
media it uses) and one folder per library, named ``machineName-major.minor`` or ``machineName``, each with its
``library.json``. ``inspect_package`` reads such a file without writing anything and either returns a
``PackageManifest`` or raises ``H5PPackageError`` whose message names the file inside the package and the problem.

The zip's safety is the one every package passes (``courses.packages.archive``: size, names, symlinks, sizes and
ratios, script in SVG/XML), with the H5P core's default extension whitelists, which differ for content and
libraries; then ``h5p.json``, ``content/content.json``, every ``library.json`` and the dependencies are read.
Entries whose name has a component starting with ``.`` or ``_`` are ignored, as the H5P core does, once their
name has been checked for safety.
"""

import json
import re
import zipfile
from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _

from ..packages.archive import PackageError, PackageLimits, extension_of, read_entry, read_package

# The H5P core's defaults (H5PCore::$defaultContentWhitelist and $defaultLibraryWhitelistExtras).
CONTENT_EXTENSIONS = frozenset(
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc docx "
    "xls xlsx ppt pptx odt ods odp xml csv diff patch swf md textile vtt webvtt gltf glb".split()
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}

# The H5P core API that our player implements: h5p-standalone 3.8.2 (package.json, pinned in package-lock.json)
# bundles the core scripts and styles of h5p-php-library 1.27, the release that introduced the theme font
# (dist/fonts/h5p-theme.woff2) and the h5p-core-30 icon font it ships. A library or package that needs a newer
# core (``coreApi`` in library.json or h5p.json) would fail in the player, so it is refused, as the H5P core's
# validator does. Upgrading h5p-standalone means checking this value (tests/courses/test_h5p_validation.py pins
# the version it was read from).
PLAYER_CORE_API = (1, 27)
PLAYER_PACKAGE_VERSION = "3.8.2"

# The H5P core's patterns for h5p.json and library.json (H5PValidator's $h5pRequired and $libraryRequired).
MACHINE_NAME = re.compile(r"^[\w.-]{1,255}$", re.ASCII)
MAIN_LIBRARY = re.compile(r"^[$a-z_][0-9a-z_.$]{1,254}$", re.IGNORECASE)
LANGUAGE = re.compile(r"^[-a-zA-Z]{1,10}$")
VERSION_NUMBER = re.compile(r"^[0-9]{1,5}$")
EMBED_TYPES = frozenset({"iframe", "div"})
EVALUATES_CODE = re.compile(rb"(?<![\w$.])eval\s*\(|\bnew\s+Function\s*\(")
# An uploaded package is rejected (the shared zip checks raise it too); its message names the file and the problem.
H5PPackageError = PackageError


@dataclass(frozen=True)
class Dependency:
    machine_name: str
    major: int
    minor: int

    def __str__(self):
        return f"{self.machine_name} {self.major}.{self.minor}"


@dataclass
class PackageManifest:
    """What a valid package holds: its metadata and the entries to extract."""

    h5p_json: dict
    content_json: dict
    libraries: dict[str, dict] = field(default_factory=dict)  # folder name → library.json
    entries: list[zipfile.ZipInfo] = field(default_factory=list)
    # Whether a script the libraries preload turns strings into code (eval, new Function), as the EmbeddedJS
    # templates of older MultiChoice and QuestionSet versions do: their page's CSP must allow 'unsafe-eval'.
    evaluates_code: bool = False

    @property
    def title(self):
        return self.h5p_json["title"]

    @property
    def main_library(self):
        return self.h5p_json["mainLibrary"]

    @property
    def main_dependency(self) -> Dependency:
        return next(dep for dep in dependencies_of(self.h5p_json) if dep.machine_name == self.main_library)

    @property
    def main_library_version(self):
        main = self.main_dependency
        return f"{main.major}.{main.minor}"

    @property
    def licence(self):
        licence = self.h5p_json.get("license", "")
        return licence if isinstance(licence, str) else ""

    @property
    def language(self):
        return self.h5p_json["language"]

    @property
    def size_bytes(self):
        return sum(info.file_size for info in self.entries)

    @property
    def file_count(self):
        return len(self.entries)


def version_number(value):
    """A version field as an int: the specification allows integers and digit strings; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 99999 else None
    if isinstance(value, str) and VERSION_NUMBER.match(value):
        return int(value)
    return None


def dependencies_of(metadata, key="preloadedDependencies"):
    """The valid dependencies listed under ``key`` of an ``h5p.json`` or ``library.json`` (already checked)."""
    return [
        Dependency(dep["machineName"], version_number(dep["majorVersion"]), version_number(dep["minorVersion"]))
        for dep in metadata.get(key) or []
    ]


def inspect_package(upload, limits=None) -> PackageManifest:
    """Validate an uploaded ``.h5p`` file (any seekable binary file object) without writing anything.

    Returns the ``PackageManifest`` of a valid package; raises ``H5PPackageError`` otherwise. The file
    position is left wherever reading ended. The zip's safety is checked by ``courses.packages.archive``.
    """
    limits = limits or PackageLimits.from_settings("H5P_LIMITS")
    return read_package(
        upload,
        limits,
        kind=_("an .h5p package"),
        extension_problem=_extension_problem,
        read_format=partial(_read_h5p, limits=limits),
        is_ignored=_is_ignored,
    )


def _read_h5p(archive, entries, by_name, *, limits):
    h5p_json = _read_json(archive, by_name, "h5p.json", limits.max_metadata_json_bytes, limits)
    _check_h5p_json(h5p_json)
    content_json = _read_json(archive, by_name, "content/content.json", limits.max_content_json_bytes, limits)
    libraries = _check_libraries(archive, entries, by_name, limits)
    _check_dependencies(h5p_json, libraries)
    evaluates_code = any(
        EVALUATES_CODE.search(read_entry(archive, by_name[f"{folder}/{script['path']}"], limits.max_file_bytes))
        for folder, library in libraries.items()
        for script in library.get("preloadedJs", [])
    )
    return PackageManifest(h5p_json, content_json, libraries, entries, evaluates_code)


def _is_ignored(name):
    return any(part.startswith((".", "_")) for part in name.split("/"))


def _extension_problem(name):
    is_content = "/" not in name or name.startswith("content/")
    allowed = CONTENT_EXTENSIONS if is_content else LIBRARY_EXTENSIONS
    suffix = extension_of(name)
    if suffix in allowed:
        return None
    where = _("content files") if is_content else _("library files")
    return _("“%(path)s” has a file type (%(ext)s) that H5P does not allow in %(where)s.") % {
        "path": name,
        "ext": f".{suffix}" if suffix else _("no extension"),
        "where": where,
    }


def _read_json(archive, by_name, path, limit, limits, *, required_message=None):
    info = by_name.get(path)
    if info is None:
        raise H5PPackageError(required_message or _("“%(path)s” is missing from the package.") % {"path": path}, path)
    data = read_entry(archive, info, min(limit, limits.max_file_bytes))
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise H5PPackageError(
            _("“%(path)s” is not valid JSON (%(reason)s).") % {"path": path, "reason": error}, path
        ) from error
    if not isinstance(value, dict):
        raise H5PPackageError(_("“%(path)s” must hold a JSON object.") % {"path": path}, path)
    return value


def _schema_error(path, problem):
    return H5PPackageError(
        _("“%(path)s” does not follow the H5P specification: %(problem)s.") % {"path": path, "problem": problem},
        path,
    )


def _check_dependency_list(path, metadata, key, *, required):
    deps = metadata.get(key)
    if deps is None and not required:
        return
    if not isinstance(deps, list) or (required and not deps):
        raise _schema_error(path, _("“%(key)s” must be a non-empty list") % {"key": key})
    for dep in deps:
        if not isinstance(dep, dict):
            raise _schema_error(path, _("every entry of “%(key)s” must be an object") % {"key": key})
        name = dep.get("machineName")
        if not isinstance(name, str) or not MACHINE_NAME.match(name):
            raise _schema_error(path, _("a dependency has an invalid machineName (%(value)r)") % {"value": name})
        for version_key in ("majorVersion", "minorVersion"):
            if version_number(dep.get(version_key)) is None:
                raise _schema_error(
                    path,
                    _("dependency %(name)s has an invalid %(key)s (%(value)r)")
                    % {"name": name, "key": version_key, "value": dep.get(version_key)},
                )


def _check_h5p_json(h5p_json):
    path = "h5p.json"
    title = h5p_json.get("title")
    if not isinstance(title, str) or not 1 <= len(title.strip()) <= 255:
        raise _schema_error(path, _("“title” must be text of 1 to 255 characters"))
    language = h5p_json.get("language")
    if not isinstance(language, str) or not LANGUAGE.match(language):
        raise _schema_error(path, _("“language” must be a language code such as “en” or “und”"))
    main = h5p_json.get("mainLibrary")
    if not isinstance(main, str) or not MAIN_LIBRARY.match(main):
        raise _schema_error(path, _("“mainLibrary” must be a library's machine name"))
    embed_types = h5p_json.get("embedTypes")
    if (
        not isinstance(embed_types, list)
        or not embed_types
        or not all(isinstance(kind, str) and kind in EMBED_TYPES for kind in embed_types)
    ):
        raise _schema_error(path, _("“embedTypes” must list “div” and/or “iframe”"))
    _check_dependency_list(path, h5p_json, "preloadedDependencies", required=True)
    if "license" in h5p_json and not isinstance(h5p_json["license"], str):
        raise _schema_error(path, _("“license” must be text"))
    _check_core_api(path, h5p_json)
    if main not in {dep.machine_name for dep in dependencies_of(h5p_json)}:
        raise H5PPackageError(
            _("“h5p.json” names %(main)s as its main library, but it is not among its preloadedDependencies.")
            % {"main": main},
            path,
        )


def _check_libraries(archive, entries, by_name, limits):
    folders = sorted({info.filename.split("/", 1)[0] for info in entries if "/" in info.filename} - {"content"})
    libraries = {}
    for folder in folders:
        path = f"{folder}/library.json"
        library = _read_json(
            archive,
            by_name,
            path,
            limits.max_metadata_json_bytes,
            limits,
            required_message=_("The library folder “%(folder)s” has no library.json.") % {"folder": folder},
        )
        _check_library_json(path, folder, library, by_name)
        _check_language_files(archive, folder, by_name, limits)
        libraries[folder] = library
    return libraries


def _check_language_files(archive, folder, by_name, limits):
    """A library's translations (``language/*.json``) are parsed by the player: a broken one stops the content."""
    prefix = f"{folder}/language/"
    for name in sorted(by_name):
        if name.startswith(prefix) and name.lower().endswith(".json") and "/" not in name[len(prefix) :]:
            _read_json(archive, by_name, name, limits.max_metadata_json_bytes, limits)


def _check_core_api(path, metadata):
    """Refuse a ``coreApi`` requirement newer than ``PLAYER_CORE_API`` (missing parts default to 1.0)."""
    if "coreApi" not in metadata:
        return
    core_api = metadata["coreApi"]
    if not isinstance(core_api, dict):
        raise _schema_error(path, _("“coreApi” must be an object with majorVersion and minorVersion"))
    required = []
    for key, default in (("majorVersion", 1), ("minorVersion", 0)):
        number = version_number(core_api.get(key, default))
        if number is None:
            raise _schema_error(
                path, _("“coreApi” has an invalid %(key)s (%(value)r)") % {"key": key, "value": core_api[key]}
            )
        required.append(number)
    if tuple(required) > PLAYER_CORE_API:
        raise H5PPackageError(
            _(
                "“%(path)s” needs version %(required)s of the H5P core, but our player implements %(available)s: "
                "the content would not run."
            )
            % {
                "path": path,
                "required": "{}.{}".format(*required),
                "available": "{}.{}".format(*PLAYER_CORE_API),
            },
            path,
        )


def _check_library_json(path, folder, library, by_name):
    title = library.get("title")
    if not isinstance(title, str) or not 1 <= len(title) <= 255:
        raise _schema_error(path, _("“title” must be text of 1 to 255 characters"))
    name = library.get("machineName")
    if not isinstance(name, str) or not MACHINE_NAME.match(name):
        raise _schema_error(path, _("“machineName” is missing or invalid"))
    versions = {}
    for key in ("majorVersion", "minorVersion", "patchVersion"):
        versions[key] = version_number(library.get(key))
        if versions[key] is None:
            raise _schema_error(path, _("“%(key)s” must be a whole number") % {"key": key})
    if library.get("runnable") not in (0, 1, "0", "1", True, False):
        raise _schema_error(path, _("“runnable” must be 0 or 1"))
    if folder not in (name, f"{name}-{versions['majorVersion']}.{versions['minorVersion']}"):
        raise _schema_error(
            path,
            _("it describes %(name)s %(major)s.%(minor)s, which does not match its folder's name")
            % {"name": name, "major": versions["majorVersion"], "minor": versions["minorVersion"]},
        )
    for key in ("preloadedDependencies", "dynamicDependencies", "editorDependencies"):
        _check_dependency_list(path, library, key, required=False)
    _check_core_api(path, library)
    for key in ("preloadedJs", "preloadedCss"):
        files = library.get(key, [])
        if not isinstance(files, list) or not all(
            isinstance(item, dict) and isinstance(item.get("path"), str) for item in files
        ):
            raise _schema_error(path, _("“%(key)s” must be a list of objects with a “path”") % {"key": key})
        for item in files:
            if f"{folder}/{item['path']}" not in by_name:
                raise _schema_error(
                    path, _("it loads “%(file)s”, which is not in its folder") % {"file": item["path"]}
                )


def _check_dependencies(h5p_json, libraries):
    """Every library the content preloads, and every library those preload, must be in the package."""
    available = {}
    for library in libraries.values():
        key = (
            library["machineName"],
            version_number(library["majorVersion"]),
            version_number(library["minorVersion"]),
        )
        available[key] = library
    pending = [(dep, "h5p.json") for dep in dependencies_of(h5p_json)]
    checked = set()
    while pending:
        dep, needed_by = pending.pop()
        key = (dep.machine_name, dep.major, dep.minor)
        if key in checked:
            continue
        checked.add(key)
        library = available.get(key)
        if library is None:
            raise H5PPackageError(
                _(
                    "%(needed_by)s needs the library %(dependency)s, but the package has no folder "
                    "“%(name)s-%(major)s.%(minor)s” (or “%(name)s”) for it."
                )
                % {
                    "needed_by": needed_by,
                    "dependency": dep,
                    "name": dep.machine_name,
                    "major": dep.major,
                    "minor": dep.minor,
                },
                needed_by,
            )
        pending.extend((sub, f"{dep.machine_name} {dep.major}.{dep.minor}") for sub in dependencies_of(library))
