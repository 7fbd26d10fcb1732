"""Reading the certificate registry for the public: lookups by code, public id or PDF hash.

Pending certificates (serial taken, PDF not yet signed) are not in the public registry: they answer as unknown.
A lookup is one query (the certificate with its successor, a reverse one-to-one), and found certificates are kept
in the cache, so a verification page that is checked again (the QR code of a certificate on a desk) costs no query
for the certificate itself. :meth:`Certificate.save` forgets a certificate's cached copy (and its predecessor's,
whose successor changed), so a revocation shows at once. Codes and public ids never change, so their mapping to
a certificate is kept as long as the cache keeps it. Unknown codes are never cached: each one costs a query and
counts against the client's rate limit.
"""

from django.core.cache import cache

from ..codes import is_public_id, normalise_verification_code
from ..models import Certificate, certificate_cache_key

CACHE_SECONDS = 3600


def _cached(index_key: str, **lookup) -> Certificate | None:
    pk = cache.get(index_key)
    if pk is not None:
        certificate = cache.get(certificate_cache_key(pk))
        if certificate is not None:
            return certificate
    certificate = Certificate.objects.issued().select_related("superseded_by").filter(**lookup).first()
    if certificate is not None:
        cache.set_many({index_key: certificate.pk, certificate_cache_key(certificate.pk): certificate}, CACHE_SECONDS)
    return certificate


def find_by_code(text: str) -> Certificate | None:
    code = normalise_verification_code(text)
    if code is None:
        return None
    return _cached(f"certification:code:{code}", verification_code=code)


def find_by_public_id(text: str) -> Certificate | None:
    if not is_public_id(text):
        return None
    return _cached(f"certification:public:{text}", public_id=text)


def find_by_pdf_hash(sha256: str) -> Certificate | None:
    """The certificate whose issued PDF, or one of whose archival (timestamped) versions, has this SHA-256."""
    issued = Certificate.objects.issued().select_related("superseded_by")
    return issued.filter(pdf_sha256=sha256).first() or issued.filter(archives__sha256=sha256).first()
