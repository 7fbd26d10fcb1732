import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from .forms import SearchForm
from .indexing import GENERATION_KEY
from .models import Kind
from .query import PAGE_SIZE, current_generation, search

KEPT_PARAMETERS = {*SearchForm.base_fields, "page"}


def _page_key(request, language):
    """The cache key of a search page: its language and every parameter of its address (the pagination links
    carry them all), in a fixed order; None for an address with parameters the search does not know (each would be
    one more page to keep)."""
    if not set(request.GET) <= KEPT_PARAMETERS:
        return None
    address = repr((language, sorted(request.GET.lists())))
    return "search:page:" + hashlib.sha256(address.encode()).hexdigest()


def results(request):
    """The search page. Below the site chrome it shows public content only (``search.indexing`` indexes nothing
    else) and is rendered without the request, so no reader's data or CSRF token is in it: it is kept whole for
    ``SEARCH_RESULTS_CACHE_SECONDS`` per address and language, with the index's generation it was rendered under,
    and served only while that generation lasts. The generation and the page are read in one cache round trip, so a
    repeated query costs one read and no query."""
    language = get_language()
    seconds = settings.SEARCH_RESULTS_CACHE_SECONDS
    key = _page_key(request, language) if seconds else None
    found = cache.get_many([GENERATION_KEY, key]) if key else {}
    kept = found.get(key)
    if kept is not None and found.get(GENERATION_KEY) is not None and kept[0] == found[GENERATION_KEY]:
        _generation, query, search_page = kept
        status = 200
    else:
        generation = current_generation(found) if key else None
        form = SearchForm(request.GET or None)
        status = 200 if form.is_valid() or not form.is_bound else 400
        query, search_page = _search_page(request, form, language, generation)
        if key and status == 200 and generation is not None:
            cache.set(key, (generation, query, search_page), seconds)
    return render(request, "search/results.html", {"query": query, "search_page": search_page}, status=status)


def _search_page(request, form, language, generation):
    """``(the query searched for or "", the page below the chrome)``, rendered from ``request.GET`` alone."""
    found = None
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 4 else 1
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        facets = form.facets()
        kind = form.cleaned_data["kind"] or (Kind.RESOURCE if facets else "")
        found = search(form.cleaned_data["q"], language, kind=kind, facets=facets, page=page, generation=generation)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "LANGUAGE_CODE": language,
        "form": form,
        "results": found,
        "page": page,
        "has_next": bool(found and found.total > page * PAGE_SIZE),
        "query_string": query_string.urlencode(),
        "first_number": (page - 1) * PAGE_SIZE + 1,
    }
    return (found.query if found else ""), render_to_string("search/includes/search_page.html", context)
