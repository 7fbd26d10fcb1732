"""What the site search holds: every public page, listed expert and accepted teaching resource, in each language.

The index is ours (``SearchDocument`` and its ``Posting`` rows) rather than Wagtail's search backend: Wagtail's
database backend hands text to PostgreSQL's full-text search or SQLite's FTS5, both of which split words on spaces
and so find nothing inside Chinese text, and a query must span pages, snippets and plain models in one ranking.
Terms come from ``search.analysis``; each document's terms are weighed by where they stand (title over summary
over body) and written in one batch. Module pages are left out (their content is for enrolled learners): their
titles count towards their course.
"""

import re
import time
from collections import Counter

from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Count, F
from django.utils.html import strip_tags
from django.utils.translation import override
from wagtail.models import Locale, Page

from community.models import CommunityPage, Expert, ExpertIndexPage
from courses.models import CoursePage, ModulePage, WorkshopPage
from home.models import NewsPage
from resources.models import Resource

from .analysis import terms
from .models import Kind, Posting, SearchDocument, Term

ALL_LANGUAGES = "*"  # a document every language's search finds (a resource is in the language it was written in)
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 100, 4, 1
# What people come to a certification site for ranks first when titles tie: its courses, then its workshops.
KIND_TITLE_WEIGHT = {Kind.COURSE: 150, Kind.WORKSHOP: 120}
MAX_BODY_CHARACTERS = 20000
GENERATION_KEY = "search:generation"
PAGE_KINDS = (
    (CoursePage, Kind.COURSE),
    (WorkshopPage, Kind.WORKSHOP),
    (NewsPage, Kind.NEWS),
    (CommunityPage, Kind.COMMUNITY),
)
SKIPPED_RAW_KEYS = {"id", "type", "package", "quiz", "image", "document", "page", "url", "link_url"}


def _raw_text(value):
    """The words of a StreamField's raw data (every string leaf but ids, types and references), without markup."""
    if isinstance(value, str):
        return [strip_tags(value)]
    if isinstance(value, dict):
        return [text for key, item in value.items() if key not in SKIPPED_RAW_KEYS for text in _raw_text(item)]
    if isinstance(value, list):
        return [text for item in value for text in _raw_text(item)]
    return []


def _page_text(page):
    """A page's own words: its text, rich-text and StreamField fields (those of Wagtail's Page excepted)."""
    pieces = []
    for field in type(page)._meta.concrete_fields:
        if field.model is Page or field.get_internal_type() not in ("TextField", "CharField", "JSONField"):
            continue
        if field.choices or isinstance(field, models.URLField | models.EmailField | models.SlugField):
            continue  # codes and addresses, not words
        value = getattr(page, field.attname)
        if hasattr(value, "raw_data"):
            pieces.extend(_raw_text(list(value.raw_data)))
        elif isinstance(value, str) and field.name not in ("slug", "url_path", "draft_title"):
            pieces.append(strip_tags(value))
    return " ".join(piece for piece in pieces if piece)


def _page_kind(page):
    for model, kind in PAGE_KINDS:
        if isinstance(page, model):
            return kind
    return Kind.PAGE


def _summary(text, length=240):
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def page_document(page):
    """``(fields, body)`` of a public page, or None when search must not show it."""
    if isinstance(page, ModulePage) or page.depth <= 1 or not page.live:
        return None
    if not Page.objects.filter(pk=page.pk).public().exists():
        return None
    text = _page_text(page)
    if isinstance(page, CoursePage):
        modules = ModulePage.objects.child_of(page).live().values_list("title", flat=True)
        text = " ".join([text, *modules])
    summary = page.search_description or _summary(text)
    fields = {
        "key": f"page:{page.pk}",
        "language": page.locale.language_code,
        "kind": _page_kind(page),
        "title": page.title,
        "summary": summary,
        "url": page.url or "",
    }
    return fields, text


def expert_documents(expert):
    """The listed expert's entry in each language that has a live directory page."""
    if not expert.is_listed:
        return []
    documents = []
    for directory in ExpertIndexPage.objects.live().public().select_related("locale"):
        language = directory.locale.language_code
        with override(language):
            summary = " · ".join(part for part in (expert.title, expert.organisation) if part)
            fields = {
                "key": f"expert:{expert.pk}",
                "language": language,
                "kind": Kind.EXPERT,
                "title": expert.name,
                "summary": summary,
                "url": directory.expert_url(expert),
            }
            documents.append(
                (fields, " ".join([expert.name_zh, expert.name_en, expert.bio, expert.expertise_labels()]))
            )
    return documents


def resource_document(resource):
    if not resource.is_public:
        return None
    fields = {
        "key": f"resource:{resource.pk}",
        "language": ALL_LANGUAGES,
        "kind": Kind.RESOURCE,
        "title": resource.title,
        "summary": _summary(resource.summary),
        "url": resource.get_absolute_url(),
        "school_level": resource.school_level,
        "subject_domain": resource.subject_domain,
        "theme": resource.theme,
        "licence": resource.licence,
        "resource_language": resource.language,
    }
    return fields, resource.summary


def weighed_terms(kind, title, summary, body):
    weights = Counter()
    for term in terms(title):
        weights[term] += KIND_TITLE_WEIGHT.get(kind, TITLE_WEIGHT)
    for term in terms(summary):
        weights[term] += SUMMARY_WEIGHT
    for term in terms(body[:MAX_BODY_CHARACTERS]):
        weights[term] += BODY_WEIGHT
    return weights


def _count_terms(before, after):
    """Bring the term table's document counts in line after documents holding ``before`` were replaced by
    documents holding ``after`` (each a Counter of term → documents): one update per distinct change."""
    changes = Counter(after)
    changes.subtract(before)
    changes = {term: change for term, change in changes.items() if change}
    if not changes:
        return
    new_terms = [Term(term=term, documents=0) for term, change in changes.items() if change > 0]
    Term.objects.bulk_create(new_terms, ignore_conflicts=True, batch_size=5000)
    by_change = {}
    for term, change in changes.items():
        by_change.setdefault(change, []).append(term)
    for change, changed in by_change.items():
        Term.objects.filter(term__in=changed).update(documents=F("documents") + change)
    Term.objects.filter(term__in=[term for term, change in changes.items() if change < 0], documents__lte=0).delete()


def bump_generation():
    """Results cached before this change must not be served after it (``search.query`` keys them by generation).
    Called when the change is made (a reader in the same transaction) and again once it is committed (a reader
    that cached the old state in between)."""
    for _attempt in range(2):
        try:
            cache.incr(GENERATION_KEY)
            return
        except ValueError:  # not there (yet, or evicted): start from a value no earlier generation used
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def changed():
    bump_generation()
    transaction.on_commit(bump_generation)


def write(documents, keys_to_drop=(), count_terms=True):
    """Replace the documents of the given keys (and drop ``keys_to_drop``) in one transaction, keeping the term
    table's counts (``count_terms=False`` when the caller counts them all at the end, as ``rebuild`` does)."""
    keys = {fields["key"] for fields, _body in documents} | set(keys_to_drop)
    with transaction.atomic():
        old = SearchDocument.objects.filter(key__in=keys)
        before = Counter()
        if count_terms:
            held = Posting.objects.filter(document__in=old).order_by().values("term").annotate(n=Count("pk"))
            before.update(dict(held.values_list("term", "n")))
        old.delete()
        created = SearchDocument.objects.bulk_create([SearchDocument(**fields) for fields, _body in documents])
        postings = [
            Posting(term=term, document=document, weight=weight)
            for document, (fields, body) in zip(created, documents, strict=True)
            for term, weight in weighed_terms(fields["kind"], fields["title"], fields["summary"], body).items()
        ]
        Posting.objects.bulk_create(postings, batch_size=5000)
        if count_terms:
            _count_terms(before, Counter(posting.term for posting in postings))
        changed()


def count_all_terms():
    """The term table counted again from the postings (after a rebuild)."""
    with transaction.atomic():
        Term.objects.all().delete()
        counted = Posting.objects.order_by().values("term").annotate(documents=Count("pk"))
        Term.objects.bulk_create(
            (Term(term=row["term"], documents=row["documents"]) for row in counted.iterator()), batch_size=5000
        )
        changed()


def index_page(page):
    document = page_document(page.specific)
    write([document] if document else [], keys_to_drop=[f"page:{page.pk}"])


def index_expert(expert):
    write(expert_documents(expert), keys_to_drop=[f"expert:{expert.pk}"])


def index_resource(resource):
    document = resource_document(resource)
    write([document] if document else [], keys_to_drop=[f"resource:{resource.pk}"])


def drop(key):
    write([], keys_to_drop=[key])


def rebuild(batch=500):
    """Index everything again from scratch; returns the number of documents."""
    SearchDocument.objects.all().delete()
    count = 0
    for locale in Locale.objects.all():
        pages = Page.objects.live().public().filter(locale=locale).specific().iterator(chunk_size=200)
        documents = [document for page in pages if (document := page_document(page))]
        write(documents, count_terms=False)
        count += len(documents)
    for expert in Expert.objects.listed():
        documents = expert_documents(expert)
        write(documents, count_terms=False)
        count += len(documents)
    resources = Resource.objects.public().order_by("pk")
    chunk = []
    for resource in resources.iterator(chunk_size=batch):
        chunk.append(resource_document(resource))
        if len(chunk) == batch:
            write(chunk, count_terms=False)
            count += len(chunk)
            chunk = []
    write(chunk, count_terms=False)
    count_all_terms()
    return count + len(chunk)
