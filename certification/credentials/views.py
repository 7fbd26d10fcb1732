"""Public documents that let anyone check our signatures: the CA certificate, the Open Badges issuer and its keys,
and each credential's revocation status.

Stable, language-independent URLs under /credentials/ (``certification/credentials/urls.py``). The CA certificate is
what a reader adds to their trust store to see our PDF signatures as trusted; the issuer profile and the JWKS are
what an Open Badges verifier fetches to check a credential.
"""

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ..documents.pki import ensure_keys_for_use, trust_root_path
from ..registry.lookup import find_by_public_id
from .certificates import credential_status
from .open_badges import issuer_jwks, issuer_profile
from .status_list import signed_status_list, status_list_exists

CA_FILENAME = "ie-academy-ca.pem"


@require_GET
@cache_control(public=True, max_age=3600)
def ca_certificate(request):
    """The trust root's certificate (PEM), as a download."""
    ensure_keys_for_use()
    return FileResponse(
        trust_root_path().open("rb"), as_attachment=True, filename=CA_FILENAME, content_type="application/x-pem-file"
    )


@require_GET
@cache_control(public=True, max_age=3600)
def credential_issuer(request):
    """The Open Badges issuer profile that every credential's ``issuer.id`` points at."""
    return JsonResponse(issuer_profile(), content_type="application/ld+json")


@require_GET
@cache_control(public=True, max_age=3600)
def credential_jwks(request):
    """The public keys that verify our Open Badges credentials."""
    return JsonResponse(issuer_jwks(), content_type="application/jwk-set+json")


@require_GET
@cache_control(public=True, max_age=300)
def status_list(request, number):
    """A W3C Bitstring Status List credential (VC-JWT), which ``credentialStatus.statusListCredential`` names."""
    if not status_list_exists(number):
        raise Http404
    return HttpResponse(signed_status_list(number), content_type="application/vc+jwt")


@require_GET
@cache_control(public=True, max_age=300)
def certificate_status(request, public_id):
    """One credential's status in our own words, with its transparency log proof."""
    certificate = find_by_public_id(public_id)
    if certificate is None:
        raise Http404
    return JsonResponse(credential_status(certificate))
