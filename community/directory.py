"""Searching and filtering the expert directory, in both languages and on any database."""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone, translation
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from .choices import ExpertiseArea
from .models import Expert, ExpertIndexPage

EXPERTS_PER_PAGE = 12
PHOTO_FILTER = "fill-160x160"
# Search hits beyond this many are not ranked; the directory is a few hundred entries at most.
MAX_SEARCH_HITS = 500
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
    from certification.models import Certificate

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
    from certification.models import Certificate

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


def directory_context(page, request):
    from .forms import ExpertFilterForm

    form = ExpertFilterForm(request.GET or None)
    experts = Expert.objects.listed().order_by("name_en")
    if form.is_valid():
        experts = form.filter(experts)
    photos = get_image_model().objects.prefetch_renditions(PHOTO_FILTER)
    experts = experts.prefetch_related(Prefetch("photo", queryset=photos))
    page_obj = Paginator(experts, EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
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
    }
