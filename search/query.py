"""Answering a search: the documents holding every asked term, best first, with the matches marked.

A document's score is the sum of its asked terms' weights, so a title that holds the words ranks above a page that
only mentions them. The work a query does is bounded, whatever the size of the index (one statement, then one
query to read the page's documents):

1. the term table says how many documents hold each asked term (an indexed read); a term no document holds
   means nothing matches, without touching a posting;
2. the *rarest* asked term's heaviest postings are read, at most ``SCAN_FACTOR`` × the window (an index-only read
   of ``search_posting_by_weight``), and the first window of them whose documents pass the language, type and
   facet filters (one primary-key probe each) are the candidates: ``WINDOW`` for the first five pages,
   ``CANDIDATES`` for deeper ones;
3. the candidates are checked for the other asked terms and scored in the same statement (a probe of the
   postings of each candidate), so the cost grows with the window, not with how common the words are.

The ranking is exact whenever the rarest term's postings fit in the window; beyond that, the documents where that
term weighs most (its title matches) are the ones considered, and the total is shown as "the best N, there are
more" (``Results.more``). A query's ranked list is cached per language, type and facets for
``SEARCH_RESULTS_CACHE_SECONDS`` and keyed by the index's generation (``search.indexing.changed``), so it never
outlives a change of the index; only public content is indexed, so one cached list serves every visitor. With
nothing found, a correction is suggested: English from the term table's commonest words, Chinese from the closest
title among the documents where the rarest asked term the index knows weighs most.
"""

import difflib
import hashlib
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .analysis import fold, highlight, query_terms
from .indexing import ALL_LANGUAGES, GENERATION_KEY
from .models import Kind, Posting, SearchDocument, Term

PAGE_SIZE = 20
MAX_PAGES = 50
CANDIDATES = PAGE_SIZE * MAX_PAGES  # the most documents of the rarest term a query considers, heaviest first
WINDOW = 100  # ... and how many the first five pages consider
SCAN_FACTOR = 5  # postings of the rarest term read for each candidate wanted, before the filters
RESOURCE_FACETS = {  # the form's facet → the document's column
    "school_level": "school_level",
    "subject_domain": "subject_domain",
    "theme": "theme",
    "licence": "licence",
    "language": "resource_language",
}
VOCABULARY_SECONDS = 600
VOCABULARY_WORDS = 20000
TITLES_FOR_CORRECTION = 100


@dataclass
class Hit:
    document: SearchDocument
    title: str
    summary: str

    @property
    def kind_label(self):
        return Kind(self.document.kind).label


@dataclass
class Results:
    query: str
    asked: list[str]
    total: int = 0
    more: bool = False  # more documents may match than the ``total`` considered
    hits: list[Hit] = field(default_factory=list)
    suggestion: str = ""


def current_generation(found=None):
    """The index's generation (``search.indexing.bump_generation``), started when the cache holds none (never set,
    or evicted): a value no earlier generation used, so nothing cached before comes back. None when the cache keeps
    nothing. ``found``: what a read of more keys, this one among them, already returned."""
    generation = cache.get(GENERATION_KEY) if found is None else found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _cached(parts, compute, generation=None):
    """``compute()``, kept for ``SEARCH_RESULTS_CACHE_SECONDS`` under ``parts`` and the index's generation
    (``generation``, when the caller read it already)."""
    seconds = settings.SEARCH_RESULTS_CACHE_SECONDS
    generation = generation if generation is not None or not seconds else current_generation()
    if generation is None:
        return compute()
    key = "search:results:" + hashlib.sha256(repr((generation, parts)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


def ranked(asked, language, kind="", facets=None, page=1, generation=None):
    """``(document ids best first, more)`` for the asked terms: at most ``window(page)`` ids, and whether more
    documents could match than those considered. Two queries at most; cached per index generation."""
    facets = {RESOURCE_FACETS[name]: value for name, value in (facets or {}).items() if name in RESOURCE_FACETS}
    size = window(page)
    return _cached(
        ("ranked", language, kind, sorted(facets.items()), asked, size),
        lambda: _rank(asked, language, kind, facets, size),
        generation,
    )


def window(page):
    """How many of the rarest term's postings a request for ``page`` considers: ``WINDOW`` for the first pages
    (the same candidates, so they page consistently), ``CANDIDATES`` beyond them."""
    return WINDOW if page * PAGE_SIZE <= WINDOW else CANDIDATES


def _rank(asked, language, kind, facets, size):
    posting, document, term = Posting._meta.db_table, SearchDocument._meta.db_table, Term._meta.db_table
    where, filters = ["d.language IN (%s, %s)"], [language, ALL_LANGUAGES]
    if kind:
        where.append("d.kind = %s")
        filters.append(kind)
    if facets:
        where.append("d.kind = %s")
        filters.append(Kind.RESOURCE)
        for column, value in sorted(facets.items()):
            where.append(f"d.{column} = %s")  # a column name from RESOURCE_FACETS, never from the request
            filters.append(value)
    scan = size * SCAN_FACTOR
    asked_list = ", ".join(["%s"] * len(asked))
    # f: the asked terms' document counts; r: the rarest of them, none when a term is held by no document;
    # s: r's heaviest postings, at most ``scan`` of them (an index-only read of search_posting_by_weight);
    # c: those the filters allow, at most ``size``. The filters are a scalar subquery so that each posting is one
    # primary-key probe, in order: as a join, PostgreSQL would hash the whole document table.
    candidates = f"""
        WITH f AS (
            SELECT term, documents FROM {term} WHERE term IN ({asked_list})
        ), r AS (
            SELECT term FROM f WHERE (SELECT COUNT(*) FROM f) = %s ORDER BY documents, term LIMIT 1
        ), s AS (
            SELECT document_id, weight FROM {posting} WHERE term = (SELECT term FROM r)
            ORDER BY weight DESC, document_id LIMIT %s
        ), c AS (
            SELECT document_id, weight FROM s
            WHERE (SELECT 1 FROM {document} d WHERE d.id = s.document_id AND {" AND ".join(where)}) = 1
            ORDER BY weight DESC, document_id LIMIT %s
        )"""
    parameters = [*asked, len(asked), scan, *filters, size]
    if len(asked) > 1:
        # Each candidate is checked for the other terms in one join, probing the (term, document) index.
        sql = f"""{candidates}
            SELECT c.document_id, c.weight + SUM(o.weight) AS score, (SELECT COUNT(*) FROM s), (SELECT COUNT(*) FROM c)
            FROM c JOIN {posting} o ON o.document_id = c.document_id
                AND o.term IN ({asked_list}) AND o.term <> (SELECT term FROM r)
            GROUP BY c.document_id, c.weight HAVING COUNT(*) = %s ORDER BY score DESC, c.document_id"""
        parameters += [*asked, len(asked) - 1]
    else:
        sql = f"""{candidates}
            SELECT c.document_id, c.weight, (SELECT COUNT(*) FROM s), (SELECT COUNT(*) FROM c)
            FROM c ORDER BY c.weight DESC, c.document_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    more = bool(rows) and (rows[0][2] == scan or rows[0][3] == size)
    return [row[0] for row in rows], more


def search(query, language, kind="", facets=None, page=1, generation=None):
    """The ``page`` of results for ``query``; ``generation``: the index's, when the caller read it already."""
    asked = query_terms(query)
    results = Results(query=query, asked=asked)
    if not asked:
        return results
    page = min(max(page, 1), MAX_PAGES)
    ids, results.more = ranked(asked, language, kind, facets, page, generation)
    if not ids:
        results.suggestion = _suggestion(query, language, generation) if page == 1 else ""
        return results
    results.total = len(ids)
    shown = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    documents = SearchDocument.objects.in_bulk(shown)
    for document_id in shown:
        if document := documents.get(document_id):
            results.hits.append(Hit(document, highlight(document.title, asked), highlight(document.summary, asked)))
    return results


def _suggestion(query, language, generation=None):
    """``suggestion``, cached like a ranked list: per index generation, language and folded query."""
    return _cached(("suggestion", language, fold(query).strip()), lambda: suggestion(query, language), generation)


def _english_words():
    """The index's commonest English words (no digits, three letters or more), by length, kept for a while."""
    key = f"search:vocabulary:{current_generation()}"
    words = cache.get(key)
    if words is None:
        rows = (
            Term.objects.filter(term__regex=r"^[a-z]{3,}$")
            .order_by("-documents", "term")
            .values_list("term", flat=True)[:VOCABULARY_WORDS]
        )
        words = {}
        for word in rows:
            words.setdefault(len(word), []).append(word)
        cache.set(key, words, VOCABULARY_SECONDS)
    return words


def _closest_title(folded, language):
    """The title closest to a Chinese query, among the documents where its rarest known term weighs most."""
    known = dict(Term.objects.filter(term__in=query_terms(folded)).values_list("term", "documents"))
    if not known:
        return ""
    rarest = min(known, key=lambda term: (known[term], term))
    titles = (
        Posting.objects.filter(term=rarest, document__language__in=[language, ALL_LANGUAGES])
        .order_by("-weight", "document_id")
        .values_list("document__title", flat=True)[:TITLES_FOR_CORRECTION]
    )
    close = difflib.get_close_matches(folded, {fold(title) for title in titles}, n=1, cutoff=0.5)
    return close[0] if close else ""


def suggestion(query, language):
    """A query like ``query`` that would find something, or ``""``."""
    folded = fold(query).strip()
    if not folded.isascii():
        return _closest_title(folded, language)
    words = _english_words()
    corrected = []
    for word in folded.split():
        near = [known for length in range(len(word) - 2, len(word) + 3) for known in words.get(length, [])]
        corrected.append(word if word in near else next(iter(difflib.get_close_matches(word, near, n=1)), word))
    guess = " ".join(corrected)
    return guess if guess != folded else ""
