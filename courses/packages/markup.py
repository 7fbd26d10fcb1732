"""Keeping script out of SVG and XML files.

An SVG or XML file served from our origin and opened on its own runs its scripts with the site's cookies (an XML
file whose elements are in the XHTML or SVG namespace is rendered as a document by browsers), so a package whose
SVG or XML carries script is rejected rather than sanitised: rewriting a trainer's file behind their back would
be surprising, and a file that needs script has no place in a quiz.
"""

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

# Elements that run script or embed another document (which could itself run script).
SCRIPTING_ELEMENTS = frozenset({"script", "foreignobject", "handler", "iframe", "embed", "object"})
LINK_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "values", "from", "to", "by"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application/xhtml", "data:image/svg")
# A browser renders elements of these namespaces as a page, whatever the file's root element.
DOCUMENT_NAMESPACES = ("{http://www.w3.org/1999/xhtml}",)
# An XSLT stylesheet turns an XML file into a page with whatever script the stylesheet writes; ElementTree drops
# processing instructions while parsing, so they are looked for in the bytes.
STYLESHEET_INSTRUCTION = re.compile(rb"<\?xml-stylesheet", re.IGNORECASE)


class UnsafeSVG(ValueError):
    """The SVG or XML file cannot be shown safely; the message says why."""


def _local_name(qualified):
    return qualified.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _parse(data):
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise UnsafeSVG(_("declares XML entities or external references")) from error
    except (ParseError, ValueError) as error:
        raise UnsafeSVG(_("is not well-formed XML")) from error


def _check_elements(root):
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local_name(element.tag)
        if tag in SCRIPTING_ELEMENTS:
            raise UnsafeSVG(_("contains a <%(tag)s> element") % {"tag": tag})
        for attribute, value in element.attrib.items():
            name = _local_name(attribute)
            if name.startswith("on"):
                raise UnsafeSVG(_("has an event handler attribute (%(name)s)") % {"name": name})
            if name in LINK_ATTRIBUTES or (tag in {"animate", "set"} and name == "attributename"):
                compact = "".join(value.split()).lower()
                if any(scheme in compact for scheme in SCRIPT_SCHEMES) or (
                    name == "attributename" and compact == "href"
                ):
                    raise UnsafeSVG(_("links to script (%(name)s)") % {"name": name})


def check_svg(data: bytes) -> None:
    """Raise ``UnsafeSVG`` when ``data`` is not well-formed XML or carries script in any form.

    Rejected: ``<script>``, ``<foreignObject>`` and other embedding elements, ``on*`` event attributes,
    ``javascript:``/``data:text/html`` links (also through ``<animate>``/``<set>`` values), entity
    declarations and external references (through defusedxml).
    """
    root = _parse(data)
    if _local_name(root.tag) != "svg":
        raise UnsafeSVG(_("has no <svg> root element"))
    _check_elements(root)


def check_xml(data: bytes) -> None:
    """Raise ``UnsafeSVG`` when an XML file is not well-formed or could run script once opened on its own.

    The rules of ``check_svg`` apply to every element, whatever its root; an XSLT stylesheet instruction and
    XHTML elements are refused as well.
    """
    if STYLESHEET_INSTRUCTION.search(data):
        raise UnsafeSVG(_("names an XSLT stylesheet"))
    root = _parse(data)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(DOCUMENT_NAMESPACES):
            raise UnsafeSVG(_("contains XHTML, which a browser shows as a page"))
    _check_elements(root)
