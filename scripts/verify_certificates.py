"""Check that every certificate in the database still verifies: its stored PDF is intact (SHA-256 as registered),
our verifier finds our signature over the whole file, poppler's ``pdfsig`` finds it valid, and the registry finds
the certificate by PDF hash, verification code and public id. Archival (B-LTA) versions are checked the same way,
and each must extend the version before it byte for byte. Prints one line per certificate and a summary; exits 1 on
any failure.

``--at YYYY-MM-DD`` judges the signatures as of that day instead of today: run it with a date after the signing
certificate's expiry to see that the stored certificates (B-LT and B-LTA) will still verify then.

Run against the database and media of an installation (``scripts/upgrade-check.sh`` runs it after migrating a
database built by an older version):

    DATABASE_URL=... MEDIA_ROOT=... PKI_ROOT=... .venv/bin/python scripts/verify_certificates.py
"""

import argparse
import datetime
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.files.storage import default_storage  # noqa: E402

from certification.models import Certificate  # noqa: E402
from certification.registry.lookup import find_by_code, find_by_pdf_hash, find_by_public_id  # noqa: E402
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf  # noqa: E402


def pdfsig_report(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        return subprocess.run(["pdfsig", file.name], capture_output=True, text=True, timeout=60, check=False).stdout


def document_problems(certificate, name: str, sha256: str, moment, *, whole_file: bool) -> tuple[bytes, list[str]]:
    if not name or not default_storage.exists(name):
        return b"", [f"{name or 'its PDF'} is missing"]
    with default_storage.open(name) as file:
        data = file.read()
    problems = []
    if hashlib.sha256(data).hexdigest() != sha256:
        problems.append(f"{name}: the SHA-256 differs from the registry's")
    check = verify_certificate_pdf(data, moment=moment)
    if check.verdict != PdfVerdict.SIGNED_BY_US:
        problems.append(f"{name}: our verifier says {check.verdict}")
    elif check.signer_fingerprint != certificate.signer_fingerprint:
        problems.append(f"{name}: signed by another key than the registry records")
    report = pdfsig_report(data)
    # Validation material and archival timestamps come after the signature: it then covers its revision only.
    covered = "Total document signed" in report or not whole_file
    if "Signature is Valid." not in report or not covered:
        problems.append(f"{name}: pdfsig does not find a valid signature over the document")
    found = find_by_pdf_hash(sha256)
    if found is None or found.pk != certificate.pk:
        problems.append(f"{name}: the registry does not find it by its hash")
    return data, problems


def problems_of(certificate, moment=None) -> list[str]:
    whole_file = certificate.pades_level in ("", "B-B", "B-T")
    data, problems = document_problems(
        certificate, certificate.pdf.name, certificate.pdf_sha256, moment, whole_file=whole_file
    )
    for archive in certificate.archives.order_by("sequence"):
        previous = data
        data, more = document_problems(certificate, archive.pdf.name, archive.sha256, moment, whole_file=False)
        problems += more
        if data[: archive.previous_size] != previous or len(previous) != archive.previous_size:
            problems.append(f"{archive.pdf.name}: does not extend the version before it")
    for how, found in [
        ("verification code", find_by_code(certificate.verification_code)),
        ("public id", find_by_public_id(certificate.public_id)),
    ]:
        if found is None or found.pk != certificate.pk:
            problems.append(f"the registry does not find it by {how}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", type=datetime.date.fromisoformat, help="judge the signatures as of this day")
    arguments = parser.parse_args()
    moment = datetime.datetime.combine(arguments.at, datetime.time(12), tzinfo=datetime.UTC) if arguments.at else None
    certificates = Certificate.objects.issued().order_by("pk")
    failed = 0
    for certificate in certificates:
        problems = problems_of(certificate, moment)
        failed += bool(problems)
        verdict = "; ".join(problems) if problems else "verifies (our verifier, pdfsig, registry lookups)"
        sys.stdout.write(f"{certificate.serial} {certificate.status:<8} {verdict}\n")
    total = certificates.count()
    sys.stdout.write(f"{total - failed} of {total} issued or revoked certificates verify.\n")
    return 1 if failed or not total else 0


if __name__ == "__main__":
    sys.exit(main())
