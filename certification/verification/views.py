"""Public verification: by typed code, by the QR code's public id, or by uploading the PDF.

An unknown, malformed or pending code all get the same page, status and wording, so the answer says nothing about
which codes exist. Lookups are rate-limited per client address (see :mod:`certification.verification.throttling`).
There is no search by name: the registry is only reachable with something printed on the certificate.
"""

import hashlib

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.page_cache import cached_page, page_cache_key, store_page

from ..registry.lookup import find_by_code, find_by_pdf_hash, find_by_public_id
from ..transparency.log import inclusion_for
from .pdf import PdfVerdict, upload_limit, verify_certificate_pdf
from .throttling import allow_lookup, record_unknown

# Multipart framing around the file; a request larger than the limit plus this is refused without being read.
UPLOAD_OVERHEAD = 64 * 1024


def _too_many(request):
    response = render(request, "certification/verify_throttled.html", status=429)
    response["Retry-After"] = "60"
    return response


def _answer(request, certificate, *, code=""):
    if certificate is None:
        record_unknown(request)
        return render(request, "certification/verify.html", {"code": code, "not_found": True}, status=404)
    context = {"code": code, "certificate": certificate, "inclusion": inclusion_for(certificate)}
    return render(request, "certification/verify.html", context)


@never_cache
@require_GET
def verify(request):
    """The form, and the answer when a code was entered."""
    code = request.GET.get("code", "")
    if "code" not in request.GET:
        return render(request, "certification/verify.html", {})
    if not allow_lookup(request):
        return _too_many(request)
    return _answer(request, find_by_code(code), code=code[:64])


@never_cache
@require_GET
def verify_certificate(request, public_id):
    """Where the QR code leads.

    A found certificate's page is kept whole for anonymous readers; its key holds everything the page shows of the
    certificate and its successor (``Certificate.save`` drops the cached rows, so a revocation or a reissue reads
    new values and misses the old page) and the day, since validity ends with a date.
    """
    if not allow_lookup(request):
        return _too_many(request)
    certificate = find_by_public_id(public_id)
    if certificate is None:
        return _answer(request, None)
    key = page_cache_key(request, f"verification:{_state_of(certificate)}:{timezone.localdate()}")
    response = cached_page(key)
    if response is None:
        response = _answer(request, certificate)
        store_page(key, request, response)
    return response


def _state_of(certificate):
    rows = [certificate, certificate.superseded_by] if hasattr(certificate, "superseded_by") else [certificate]
    values = [[getattr(row, field.attname) for field in row._meta.concrete_fields] for row in rows]
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


@never_cache
@require_http_methods(["GET", "POST"])
def verify_pdf(request):
    """Upload a PDF: genuine (valid or expired), revoked, modified, or not ours; bad files get a clear message."""
    if request.method == "GET":
        return render(request, "certification/verify_pdf.html", {"limit": upload_limit()})
    if not allow_lookup(request):
        return _too_many(request)
    context = {"limit": upload_limit(), "checked": True}
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > upload_limit() + UPLOAD_OVERHEAD:
        context["problem"] = PdfVerdict.TOO_LARGE.label
        return render(request, "certification/verify_pdf.html", context, status=413)
    upload = request.FILES.get("pdf")
    if upload is None:
        context["problem"] = _("Choose the certificate's PDF file to check.")
        return render(request, "certification/verify_pdf.html", context, status=400)
    data = upload.read(upload_limit() + 1)
    check = verify_certificate_pdf(data)
    context["check"] = check
    if not check.signed_by_us:
        context["problem"] = check.message
        return render(request, "certification/verify_pdf.html", context, status=422)
    certificate = find_by_pdf_hash(check.sha256)
    if certificate is None or certificate.signer_fingerprint != check.signer_fingerprint:
        # Signed with our key, yet not a file we issued: never trust it as a certificate.
        record_unknown(request)
        context["problem"] = _("This PDF is signed with our key but is not a certificate in our registry.")
        return render(request, "certification/verify_pdf.html", context, status=422)
    context["certificate"] = certificate
    return render(request, "certification/verify_pdf.html", context)
