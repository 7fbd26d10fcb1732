"""Searching and filtering the expert directory, in both languages and on any database."""

import hashlib
import json
import re

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from certification.models import Certificate
from core.generations import current_token, replace_token

from .choices import ExpertiseArea
from .forms import ExpertFilterForm
from .models import Expert, ExpertIndexPage

EXPERTS_PER_PAGE = 12
PHOTO_FILTER = "fill-160x160"
# Search hits beyond this many are not ranked; the directory is a few hundred entries at most.
MAX_SEARCH_HITS = 500
DIRECTORY_TOKEN = "community:directory-token"
TOKEN_SECONDS = 7 * 24 * 3600
RESULTS_SECONDS = 10 * 60
RESULTS_TEMPLATE = "community/includes/expert_directory_results.html"
# Programmes whose valid certificate lets a teacher opt in to the directory.
QUALIFYING_PROGRAMME_SLUGS = ["advanced"]
TEXT_FIELDS = [
    "name_zh",
    "name_en",
    "title_zh",
    "title_en",
    "organisation_zh",
    "organisation_en",
    "bio_zh",
    "bio_en",
]


def vocabulary_labels(vocabulary, codes):
    """The labels of `codes` in every site language."""
    labels = []
    choices = dict(vocabulary.choices)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels += [str(choices[code]) for code in codes if code in choices]
    return labels


def codes_matching(vocabulary, query):
    """Codes whose label, in any site language, contains `query`."""
    needle = query.casefold()
    return [
        code
        for code in vocabulary.values
        if any(needle in label.casefold() for label in vocabulary_labels(vocabulary, [code]))
    ]


def search_experts(experts, query):
    """Experts matching `query`, best first.

    Full-text search (Wagtail's database backend: PostgreSQL full-text search on PostgreSQL, FTS on SQLite) ranks
    the hits. Chinese is written without spaces, so a full-text index sees 「姊妹校交流」 as one word and a search
    for 「姊妹」 would miss it: substring matches over names, titles, organisations, biographies and expertise
    labels are added after the ranked hits.
    """
    # Quotes, brackets and operators mean something to SQLite FTS5 and PostgreSQL tsquery; people type words.
    words = " ".join(re.findall(r"\w+", query))
    # The search index can only apply its own filter fields; the directory's filters are applied by the ORM below.
    hits = get_search_backend().search(words, Expert.objects.listed())[:MAX_SEARCH_HITS] if words else []
    ranked_ids = [expert.pk for expert in hits]
    substring = Q()
    for field in TEXT_FIELDS:
        substring |= Q(**{f"{field}__icontains": query})
    for code in codes_matching(ExpertiseArea, query):
        substring |= Q(expertise__contains=f",{code},")
    if not ranked_ids:
        # A constant rank would be ORDER BY 0 once only ids are selected, which PostgreSQL reads as a column number.
        return experts.filter(substring).order_by("name_en")
    rank = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked_ids)],
        default=Value(len(ranked_ids)),
        output_field=IntegerField(),
    )
    return (
        experts.filter(Q(pk__in=ranked_ids) | substring).annotate(search_rank=rank).order_by("search_rank", "name_en")
    )


def certificates_by_user(user_ids):
    """Valid certificates of the given users, read live from the registry so that a revocation shows at once."""
    certificates = {}
    ids = [user_id for user_id in user_ids if user_id]
    if not ids:
        return certificates
    valid = Certificate.objects.valid_on(timezone.localdate()).filter(is_current=True, user_id__in=ids)
    for certificate in valid.order_by("issued_on"):
        certificates.setdefault(certificate.user_id, []).append(certificate)
    return certificates


def qualifying_certificates(user):
    """The user's valid certificates that let them opt in to the directory (Advanced and above)."""
    return list(
        Certificate.objects.valid_on(timezone.localdate()).filter(
            user=user, is_current=True, programme__slug__in=QUALIFYING_PROGRAMME_SLUGS
        )
    )


def expert_directory_url(request, expert=None):
    """The directory page in the reader's language (or the expert's sub-page in it); the home page if none."""
    directory = ExpertIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    if directory is None:
        directory = ExpertIndexPage.objects.live().first()
    if directory is None:
        return "/"
    return directory.expert_url(expert, request) if expert else directory.get_url(request)


def directory_changed(**kwargs):
    """Forget every cached search and rendered result list, now and when the current transaction commits (a search
    reading between the two would otherwise keep the old answer under the new token).

    Connected to saving or deleting an expert, a certificate (issued, revoked, superseded: the cards' badges) and an
    image (the cards' photos)."""
    replace_token(DIRECTORY_TOKEN, TOKEN_SECONDS)


def matching_ids(form) -> list[int]:
    """The ids of the listed experts the form's search and filters find, in the order shown.

    Cached per search and filters (not per language: the order and the matches are the same in both) until an
    expert is saved or deleted; each page then loads only its twelve experts, and the count is the list's length.
    """
    criteria = {name: form.cleaned_data[name] for name in form.fields} if form.is_valid() else {}
    digest = hashlib.sha256(json.dumps(criteria, sort_keys=True).encode()).hexdigest()
    key = f"community:directory-ids:{current_token(DIRECTORY_TOKEN, TOKEN_SECONDS)}:{digest}"
    ids = cache.get(key)
    if ids is None:
        experts = Expert.objects.listed().order_by("name_en")
        if criteria:
            experts = filter_experts(experts, criteria)
        ids = list(experts.values_list("pk", flat=True))
        cache.set(key, ids, RESULTS_SECONDS)
    return ids


def filter_experts(experts, criteria):
    """``experts`` narrowed to the cleaned data of an :class:`~community.forms.ExpertFilterForm`."""
    for field_name, code in [
        ("expertise", criteria["expertise"]),
        ("languages", criteria["language"]),
        ("regions", criteria["region"]),
        ("availability", criteria["availability"]),
    ]:
        if code:
            experts = experts.holding(field_name, code)
    query = criteria["q"].strip()
    if query:
        experts = search_experts(experts, query)
    return experts


def directory_context(page, request):
    """What the result list is rendered from: the form, the page of experts with their photos and valid
    certificates (read now), and the pagination."""
    form = ExpertFilterForm(request.GET or None)
    page_obj = Paginator(matching_ids(form), EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
    photos = get_image_model().objects.prefetch_renditions(PHOTO_FILTER)
    experts = Expert.objects.listed().filter(pk__in=page_obj.object_list)
    by_id = {expert.pk: expert for expert in experts.prefetch_related(Prefetch("photo", queryset=photos))}
    # In the cached order; an expert unlisted since is left out until the token's replacement reaches this page.
    page_obj.object_list = [by_id[pk] for pk in page_obj.object_list if pk in by_id]
    certificates = certificates_by_user([expert.user_id for expert in page_obj])
    for expert in page_obj:
        expert.valid_certificates = certificates.get(expert.user_id, [])
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return {
        "filter_form": form,
        "page_obj": page_obj,
        "experts": page_obj.object_list,
        "query_string": query_string.urlencode(),
        "photo_filter": PHOTO_FILTER,
        "directory_url": page.get_url(request),
    }


def directory_results(page, request):
    """The search form, the count, the cards and the pagination as HTML, with the context they were rendered from
    (empty when they came from the cache).

    Kept per directory page, language, query string and day (a certificate that expires at midnight loses its
    badge) under the directory token, which any expert, certificate or image change replaces: a revocation, an
    edit, an unlisting or a deletion shows on the next request.
    """
    directory_url = page.get_url(request)
    criteria = [
        page.pk,
        directory_url,
        translation.get_language(),
        str(timezone.localdate()),
        sorted(request.GET.lists()),
    ]
    digest = hashlib.sha256(json.dumps(criteria).encode()).hexdigest()
    key = f"community:directory-results:{current_token(DIRECTORY_TOKEN, TOKEN_SECONDS)}:{digest}"
    html = cache.get(key)
    if html is not None:
        return mark_safe(html), {}
    context = directory_context(page, request)
    html = render_to_string(RESULTS_TEMPLATE, context, request)
    cache.set(key, html, RESULTS_SECONDS)
    return mark_safe(html), context
