"""The revocation status of one credential, which an Open Badges verifier fetches from ``credentialStatus.id``."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ..credential_documents import credential_status
from ..registry import find_by_public_id


@require_GET
@cache_control(public=True, max_age=300)
def certificate_status(request, public_id):
    certificate = find_by_public_id(public_id)
    if certificate is None:
        raise Http404
    return JsonResponse(credential_status(certificate))
