"""Reading the certificate registry for the public: lookups by code, public id or PDF hash, and the status feed.

Pending certificates (serial taken, PDF not yet signed) are not in the public registry: they answer as unknown.
Each lookup is one query, the certificate with its programme and its successor (a reverse one-to-one).
"""

from .codes import is_public_id, normalise_verification_code
from .models import Certificate


def _public():
    return Certificate.objects.issued().select_related("superseded_by")


def find_by_code(text: str) -> Certificate | None:
    code = normalise_verification_code(text)
    if code is None:
        return None
    return _public().filter(verification_code=code).first()


def find_by_public_id(text: str) -> Certificate | None:
    if not is_public_id(text):
        return None
    return _public().filter(public_id=text).first()


def find_by_pdf_hash(sha256: str) -> Certificate | None:
    return _public().filter(pdf_sha256=sha256).first()
