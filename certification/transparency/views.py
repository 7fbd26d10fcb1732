"""The log's public API, for machines, under /transparency/ (language-independent, like /credentials/):
the latest signed tree head, entries by range, a certificate's inclusion proof and consistency proofs."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ..models import Certificate
from . import log


class BadRequest(ValueError):
    """A query parameter that is not a size."""


def _size(request, name: str, default: int | None = None) -> int:
    value = request.GET.get(name)
    if value is None and default is not None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a whole number") from None
    if number < 0:
        raise BadRequest(f"{name} must not be negative")
    return number


def _problem(message: str, status: int = 400) -> JsonResponse:
    # JSON, not the site's 404 page: a client of this API reads the reason; and never a redirect to a language.
    return JsonResponse({"error": message}, status=status)


@require_GET
@cache_control(public=True, max_age=60)
def signed_tree_head(request):
    return JsonResponse(log.head_document(log.latest_head()))


@require_GET
@cache_control(public=True, max_age=60)
def entries(request):
    try:
        start = _size(request, "start", 0)
        end = _size(request, "end", start + log.MAX_ENTRIES_PER_PAGE)
    except BadRequest as error:
        return _problem(str(error))
    return JsonResponse({"entries": log.entries(start, end)})


@require_GET
@cache_control(public=True, max_age=3600)
def consistency(request):
    try:
        first, second = _size(request, "first"), _size(request, "second")
        proof = log.consistency(first, second)
    except ValueError as error:
        return _problem(str(error))
    return JsonResponse({"first": first, "second": second, "consistency": proof})


@require_GET
@cache_control(public=True, max_age=60)
def inclusion(request, public_id):
    """The certificate's current registry row and the proof that the log holds it (in the tree of ``tree_size``,
    or the latest head's); 404 for no certificate, or none the log knows."""
    certificate = Certificate.objects.issued().select_related("supersedes").filter(public_id=public_id[:32]).first()
    try:
        tree_size = _size(request, "tree_size") if "tree_size" in request.GET else None
    except BadRequest as error:
        return _problem(str(error))
    proof = log.inclusion_for(certificate, tree_size) if certificate is not None else None
    if proof is None:
        return _problem("The log holds no such certificate in a tree of that size.", status=404)
    return JsonResponse(proof)
