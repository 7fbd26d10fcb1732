"""SCORM packages built in memory for the validator tests, and the real ones in shared/scorm/."""

import io
import zipfile
from pathlib import Path

import pytest

# ../shared/scorm beside the repository, or beside the folder of worktrees a worktree sits in.
REAL_SCORM_DIR = next(
    (
        folder / "shared" / "scorm"
        for folder in Path(__file__).resolve().parents[3:]
        if (folder / "shared" / "scorm").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "scorm",
)

needs_real_scorm = pytest.mark.skipif(
    not REAL_SCORM_DIR.is_dir(), reason=f"the shared SCORM packages are not here ({REAL_SCORM_DIR})"
)

MANIFEST_12 = """<?xml version="1.0"?>
<manifest identifier="test" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>{version}</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Test</title>
    <item identifier="one" identifierref="r1"><title>One</title></item>
    <item identifier="two" identifierref="r2" parameters="?page=2"><title>Two</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="one.html"/>
    <resource identifier="r2" type="webcontent" adlcp:scormtype="sco" href="{second}"/>
  </resources>
</manifest>
"""


def build_scorm(files=None, *, version="1.2", second="two.html", extra_entries=()):
    """A two-SCO package; ``files`` overrides or (with None) removes entries by name."""
    contents = {
        "imsmanifest.xml": MANIFEST_12.format(version=version, second=second).encode(),
        "one.html": b"<!DOCTYPE html><title>One</title><p>One</p>",
        "two.html": b"<!DOCTYPE html><title>Two</title><p>Two</p>",
    }
    contents.update(files or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            if data is not None:
                archive.writestr(name, data)
        for info, data in extra_entries:
            archive.writestr(info, data)
    return buffer.getvalue()
