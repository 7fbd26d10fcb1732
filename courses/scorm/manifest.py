"""Reading and validating an uploaded SCORM 1.2 or SCORM 2004 (2nd–4th edition) package.

A SCORM package is a zip with ``imsmanifest.xml`` at its root: ``<metadata>`` names the SCORM version,
``<organizations>`` the table of contents (nested ``<item>``s, those with an ``identifierref`` launch a
``<resource>``), ``<resources>`` what is launched (``href``, ``adlcp:scormtype``/``adlcp:scormType`` ``sco`` or
``asset``). ``inspect_package`` reads such a file without writing anything and returns a ``ScormManifest`` or
raises ``ScormPackageError`` whose message names the file inside the package and the problem.

The zip's safety is the one every package passes (``courses.packages.archive``), with the extensions below; the
manifest is parsed by defusedxml (no entities, no external references); every launched resource's file must be
in the package.
"""

import posixpath
import re
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from ..packages.archive import PackageError, PackageLimits, extension_of, read_entry, read_package

MANIFEST = "imsmanifest.xml"
# What SCORM content is made of: pages and their script (they run on the content origin only), media, fonts,
# documents, and the schema files packages carry beside their manifest.
EXTENSIONS = frozenset(
    "html htm js css json png jpg jpeg gif bmp webp ico svg eot ttf woff woff2 otf webm mp4 m4v ogg oga ogv mp3 "
    "m4a wav vtt txt pdf xml xsd dtd csv".split()
)
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
MAX_ITEMS = 2000
IDENTIFIER = re.compile(r"^[\w.:-]{1,255}$")


class ScormVersion:
    SCORM_12 = "1.2"
    SCORM_2004_2 = "2004-2"
    SCORM_2004_3 = "2004-3"
    SCORM_2004_4 = "2004-4"
    LABELS = {
        SCORM_12: "SCORM 1.2",
        SCORM_2004_2: "SCORM 2004 2nd Edition",
        SCORM_2004_3: "SCORM 2004 3rd Edition",
        SCORM_2004_4: "SCORM 2004 4th Edition",
    }


# ``<schemaversion>`` as packages write it.
SCHEMA_VERSIONS = {
    "1.2": ScormVersion.SCORM_12,
    "cam 1.3": ScormVersion.SCORM_2004_2,
    "2004 2nd edition": ScormVersion.SCORM_2004_2,
    "2004 3rd edition": ScormVersion.SCORM_2004_3,
    "2004 4th edition": ScormVersion.SCORM_2004_4,
}
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"


class ScormPackageError(PackageError):
    """An uploaded SCORM package is rejected; the message names the file and the problem."""


@dataclass
class ScormManifest:
    """What a valid package holds: its version, title, table of contents and the entries to extract.

    ``items`` is the default organization's table of contents in order, each a dict with ``identifier``,
    ``title``, ``depth`` (0 at the top), and for a launchable item ``launch`` (the path in the package, with the
    item's parameters), ``scorm_type`` (``sco`` or ``asset``) and ``mastery_score`` (1.2's, or None).
    """

    version: str
    identifier: str
    title: str
    items: list[dict] = field(default_factory=list)
    entries: list = field(default_factory=list)

    @property
    def launchable(self):
        return [item for item in self.items if item.get("launch")]

    @property
    def size_bytes(self):
        return sum(info.file_size for info in self.entries)

    @property
    def file_count(self):
        return len(self.entries)


def inspect_package(upload, limits=None) -> ScormManifest:
    """Validate an uploaded SCORM zip (any seekable binary file object) without writing anything."""
    limits = limits or PackageLimits.from_settings("SCORM_LIMITS")
    try:
        return read_package(
            upload,
            limits,
            kind=_("a SCORM package"),
            extension_problem=_extension_problem,
            read_format=partial(_read_manifest, limits=limits),
        )
    except ScormPackageError:
        raise
    except PackageError as error:
        raise ScormPackageError(error.message, error.path) from error


def _extension_problem(name):
    suffix = extension_of(name)
    if suffix in EXTENSIONS:
        return None
    return _("“%(path)s” has a file type (%(ext)s) that SCORM packages may not hold here.") % {
        "path": name,
        "ext": f".{suffix}" if suffix else _("no extension"),
    }


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag):
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _child(element, name):
    found = _children(element, name)
    return found[0] if found else None


def _text(element, name):
    child = _child(element, name) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


def _attribute(element, name):
    """An attribute by local name, whatever its namespace prefix (``adlcp:scormtype`` / ``scormType``)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _error(problem):
    return ScormPackageError(
        _("“%(path)s” is not a valid SCORM manifest: %(problem)s.") % {"path": MANIFEST, "problem": problem}, MANIFEST
    )


def _read_manifest(archive, entries, by_name, *, limits):
    info = by_name.get(MANIFEST)
    if info is None:
        nested = sorted(name for name in by_name if name.lower().endswith("/" + MANIFEST))
        if nested:
            raise ScormPackageError(
                _(
                    "The manifest is at “%(path)s”, inside a folder: “imsmanifest.xml” must be at the root of the "
                    "zip. Zip the package's contents, not the folder that holds them."
                )
                % {"path": nested[0]},
                nested[0],
            )
        raise ScormPackageError(
            _("The package has no “imsmanifest.xml” at its root, so it is not a SCORM package."), MANIFEST
        )
    data = read_entry(archive, info, min(MAX_MANIFEST_BYTES, limits.max_file_bytes))
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise _error(_("it declares a DTD, entities or external references")) from error
    except (ParseError, ValueError) as error:
        raise _error(_("it is not well-formed XML (%(reason)s)") % {"reason": error}) from error
    if _local(root.tag) != "manifest":
        raise _error(_("its root element is <%(tag)s>, not <manifest>") % {"tag": _local(root.tag)})
    version = _version(root)
    resources = _resources(root, by_name)
    organization = _default_organization(root)
    items = []
    for item in _children(organization, "item"):
        _collect_items(item, 0, resources, version, items)
    if not any(item.get("launch") for item in items):
        raise _error(_("its default organization launches nothing (no item names a resource with a launch file)"))
    return ScormManifest(
        version=version,
        identifier=_attribute(root, "identifier")[:255],
        title=(_text(organization, "title") or _attribute(root, "identifier") or "SCORM")[:255],
        items=items,
        entries=entries,
    )


def _version(root):
    metadata = _child(root, "metadata")
    schema_version = _text(metadata, "schemaversion").lower()
    if schema_version:
        version = SCHEMA_VERSIONS.get(" ".join(schema_version.split()))
        if version is None:
            raise _error(
                _("its schema version “%(version)s” is not SCORM 1.2 or SCORM 2004 (2nd to 4th edition)")
                % {"version": schema_version[:40]}
            )
        return version
    # No <schemaversion>: the namespaces the manifest declares tell the version (2004's edition is then 3rd).
    namespaces = {_namespace(element.tag) for element in root.iter()} | {
        _namespace(key) for element in root.iter() for key in element.attrib
    }
    if ADLCP_12 in namespaces:
        return ScormVersion.SCORM_12
    if ADLCP_2004 in namespaces:
        return ScormVersion.SCORM_2004_3
    raise _error(_("it names no SCORM version (no <schemaversion> and no ADL namespace)"))


def _resources(root, by_name):
    """``identifier → (launch path or "", scorm type)`` of the manifest's resources."""
    resources_element = _child(root, "resources")
    if resources_element is None:
        raise _error(_("it has no <resources>"))
    base = _attribute(resources_element, "base")
    resources = {}
    for resource in _children(resources_element, "resource"):
        identifier = _attribute(resource, "identifier")
        if not identifier:
            raise _error(_("a <resource> has no identifier"))
        href = _attribute(resource, "href")
        launch = ""
        if href:
            launch = _package_path(posixpath.join(base, _attribute(resource, "base"), href), by_name)
        scorm_type = _attribute(resource, "scormtype").lower() or "asset"
        resources[identifier] = (launch, scorm_type if scorm_type in ("sco", "asset") else "asset")
    return resources


def _package_path(href, by_name):
    """The package file an ``href`` launches (its query kept), refused when it leaves the package or is absent."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        raise _error(_("a resource launches “%(href)s”, outside the package") % {"href": href[:200]})
    path = posixpath.normpath(parts.path)
    if path.startswith(("/", "..")) or path not in by_name:
        raise ScormPackageError(
            _("“%(path)s” launches “%(href)s”, which is not in the package.") % {"path": MANIFEST, "href": path[:200]},
            MANIFEST,
        )
    return path + (f"?{parts.query}" if parts.query else "")


def _default_organization(root):
    organizations = _child(root, "organizations")
    found = _children(organizations, "organization") if organizations is not None else []
    if not found:
        raise _error(_("it has no <organization>, so there is nothing to play"))
    default = _attribute(organizations, "default")
    for organization in found:
        if _attribute(organization, "identifier") == default:
            return organization
    if default:
        raise _error(_("its default organization “%(id)s” does not exist") % {"id": default[:100]})
    return found[0]


def _collect_items(element, depth, resources, version, items):
    if len(items) >= MAX_ITEMS:
        raise _error(_("it has more than %(count)s items") % {"count": MAX_ITEMS})
    identifier = _attribute(element, "identifier")
    if not IDENTIFIER.match(identifier):
        raise _error(_("an <item> has a missing or invalid identifier (%(id)r)") % {"id": identifier[:100]})
    entry = {"identifier": identifier, "title": (_text(element, "title") or identifier)[:255], "depth": depth}
    reference = _attribute(element, "identifierref")
    if reference:
        if reference not in resources:
            raise _error(
                _("the item “%(item)s” names the resource “%(ref)s”, which it does not declare")
                % {"item": identifier, "ref": reference[:100]}
            )
        launch, scorm_type = resources[reference]
        if not launch:
            raise _error(_("the resource “%(ref)s” has no launch file (href)") % {"ref": reference})
        parameters = _attribute(element, "parameters")
        if parameters:
            separator = "&" if "?" in launch else "?"
            launch += parameters if parameters.startswith(("?", "#")) else separator + parameters
        mastery = _text(element, "masteryscore") if version == ScormVersion.SCORM_12 else ""
        entry.update(
            launch=launch,
            scorm_type=scorm_type,
            mastery_score=_number(mastery),
            hidden=_attribute(element, "isvisible").lower() == "false",
        )
    items.append(entry)
    for child in _children(element, "item"):
        _collect_items(child, depth + 1, resources, version, items)


def _number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None
