"""Check that every certificate in the database still verifies: its stored PDF is intact (SHA-256 as registered),
our verifier finds our signature over the whole file, poppler's ``pdfsig`` finds it valid, and the registry finds
the certificate by PDF hash, verification code and public id. Prints one line per certificate and a summary;
exits 1 on any failure.

Run against the database and media of an installation (``scripts/upgrade-check.sh`` runs it after migrating a
database built by an older version):

    DATABASE_URL=... MEDIA_ROOT=... PKI_ROOT=... .venv/bin/python scripts/verify_certificates.py
"""

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


def problems_of(certificate) -> list[str]:
    if not certificate.pdf.name or not default_storage.exists(certificate.pdf.name):
        return ["its PDF is missing"]
    with default_storage.open(certificate.pdf.name) as file:
        data = file.read()
    problems = []
    if hashlib.sha256(data).hexdigest() != certificate.pdf_sha256:
        problems.append("the PDF's SHA-256 differs from the registry's")
    check = verify_certificate_pdf(data)
    if check.verdict != PdfVerdict.SIGNED_BY_US:
        problems.append(f"our verifier says {check.verdict}")
    elif check.signer_fingerprint != certificate.signer_fingerprint:
        problems.append("signed by another key than the registry records")
    report = pdfsig_report(data)
    if "Signature is Valid." not in report or "Total document signed" not in report:
        problems.append("pdfsig does not find a valid signature over the whole document")
    for how, found in [
        ("PDF hash", find_by_pdf_hash(certificate.pdf_sha256)),
        ("verification code", find_by_code(certificate.verification_code)),
        ("public id", find_by_public_id(certificate.public_id)),
    ]:
        if found is None or found.pk != certificate.pk:
            problems.append(f"the registry does not find it by {how}")
    return problems


def main() -> int:
    certificates = Certificate.objects.issued().order_by("pk")
    failed = 0
    for certificate in certificates:
        problems = problems_of(certificate)
        failed += bool(problems)
        verdict = "; ".join(problems) if problems else "verifies (our verifier, pdfsig, registry lookups)"
        sys.stdout.write(f"{certificate.serial} {certificate.status:<8} {verdict}\n")
    total = certificates.count()
    sys.stdout.write(f"{total - failed} of {total} issued or revoked certificates verify.\n")
    return 1 if failed or not total else 0


if __name__ == "__main__":
    sys.exit(main())
