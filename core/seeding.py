"""Bulk seeding for large data sets (the national-scale one of ``seed_scale``), shared by the apps that seed their
own tables: rows go in with PostgreSQL's COPY (``bulk_create`` in batches on SQLite, for the tests' tiny scales),
each table with its secondary indexes and foreign keys dropped and rebuilt after it; Wagtail pages are inserted in
bulk with the tree paths computed here (``PageWriter``). A row is a dict of field names; the columns come from the
model, so no list of a table's columns is written twice.
"""

import json
import os
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, models
from django.db.models import F
from django.utils import timezone
from tqdm import tqdm
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backend

BATCH = 5000


# Secondary indexes, unique constraints and foreign keys of a table, except the primary key and the unique
# indexes another table's foreign key points at (those cannot be dropped while the foreign key exists).
TABLE_CONSTRAINTS_SQL = """
    SELECT constraint_.conname, pg_get_constraintdef(constraint_.oid)
    FROM pg_constraint constraint_
    WHERE constraint_.conrelid = %s::regclass AND (
        constraint_.contype = 'f' OR constraint_.contype = 'u' AND NOT EXISTS (
            SELECT 1 FROM pg_constraint referring WHERE referring.contype = 'f'
            AND referring.conindid = constraint_.conindid
        )
    )
"""
TABLE_INDEXES_SQL = """
    SELECT index_.relname, pg_get_indexdef(entry.indexrelid)
    FROM pg_index entry JOIN pg_class index_ ON index_.oid = entry.indexrelid
    WHERE entry.indrelid = %s::regclass AND NOT entry.indisprimary
    AND NOT EXISTS (SELECT 1 FROM pg_constraint owner WHERE owner.conindid = entry.indexrelid)
"""


@contextmanager
def without_indexes(model):
    """Load a table with its secondary indexes and foreign keys dropped, then put them back.

    An index built once over the loaded rows is much cheaper than one updated row by row, and a foreign key added
    back is checked in one join, where Django's ``DEFERRABLE INITIALLY DEFERRED`` keys queue one check per COPYed
    row until COMMIT. All of it happens inside the seeding transaction: a failure rolls the drops back too, and a
    duplicate or a dangling id fails the rebuild exactly as it would have failed the insert. The drops lock the
    tables until COMMIT, which is why the command is meant for a database nobody else is using meanwhile.
    """
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A table with pending deferred checks (the pages just inserted) cannot be altered: run them now, and
        # check the few rows inserted row by row from here to COMMIT as they go.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(TABLE_CONSTRAINTS_SQL, [quote(table)])
        constraints = cursor.fetchall()
        cursor.execute(TABLE_INDEXES_SQL, [quote(table)])
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


class RowWriter:
    """Inserts rows (dicts of field names) into a model's table: COPY on PostgreSQL, ``bulk_create`` in batches
    elsewhere. Every concrete field but an automatic primary key is written; a field a row leaves out gets its
    default (``now`` for ``auto_now`` and ``auto_now_add`` fields)."""

    def __init__(self, progress, now):
        self.progress = progress
        self.now = now

    def insert(self, model, rows, total: int, label: str) -> None:
        fields = [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]
        values = self._row_values(fields)
        bar = tqdm(total=total, desc=label, unit="row", unit_scale=True, file=self.progress, leave=True)
        if connection.vendor == "postgresql":
            with without_indexes(model):
                self._copy(model, fields, map(values, rows), bar)
                bar.set_postfix_str("indexing")
        else:
            self._bulk_create(model, fields, map(values, rows), bar)
        bar.close()

    def _row_values(self, fields):
        """A function from a row to its values in ``fields``' order."""
        keys = [model_field.name for model_field in fields]
        known = set(keys)
        pairs = list(zip(keys, [self._fallback(model_field) for model_field in fields], strict=True))

        def values(row):
            unknown = row.keys() - known
            if unknown:
                raise ValueError(f"No such field: {', '.join(sorted(unknown))}")
            return [row[key] if key in row else fallback() for key, fallback in pairs]

        return values

    def _fallback(self, model_field):
        """What a row that leaves ``model_field`` out gets, as a function of no argument."""
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            return lambda: self.now
        if callable(model_field.default):
            return model_field.get_default
        default = model_field.get_default()
        return lambda: default

    @staticmethod
    def _copy(model, fields, rows, bar):
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        preparers = [_copy_preparer(field) for field in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for count, row in enumerate(rows, 1):
                values = zip(row, preparers, strict=True)
                copy.write_row([prepare(value) if prepare else value for value, prepare in values])
                if count % BATCH == 0:
                    bar.update(BATCH)
        bar.update(count % BATCH)

    @staticmethod
    def _bulk_create(model, fields, rows, bar):
        names = [field.attname for field in fields]
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(names, row, strict=True))))
            if len(batch) == BATCH:
                model.objects.bulk_create(batch)
                bar.update(len(batch))
                batch = []
        model.objects.bulk_create(batch)
        bar.update(len(batch))


def _copy_preparer(field):
    """How a value of ``field`` is written by COPY: psycopg adapts the Python values of Django's own fields, JSON
    is written as text, and a field of our own prepares its value itself."""
    if isinstance(field, models.JSONField):
        return json.dumps
    if type(field).__module__.startswith("django."):
        return None
    return field.get_prep_value


def _batches(objects, fields):
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    for start in range(0, len(objects), size):
        yield objects[start : start + size]


class PageWriter:
    """Wagtail pages inserted in bulk, where ``add_child`` costs about fifteen queries a page.

    Tree path, depth, child count and url path are computed here as treebeard and Wagtail would; ``flush`` inserts
    the ``wagtailcore_page`` rows and then each specific table, a few hundred rows a statement, and does what
    saving a page would have done after that: the parents' child counts, the search index, the reference index.
    Pages are live without revisions, as ``add_child`` left them; the first edit in the admin makes one.
    """

    def __init__(self):
        self.pending = []
        self.next_step = {}
        self.children_added = defaultdict(int)

    def place(self, parent, page):
        """Give ``page`` its place as the last child of ``parent`` (saved, or placed before it in this writer)."""
        if parent.path not in self.next_step:
            last = parent.get_last_child() if parent.pk else None
            self.next_step[parent.path] = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        page.path = Page._get_path(parent.path, parent.depth + 1, self.next_step[parent.path])
        self.next_step[parent.path] += 1
        page.depth = parent.depth + 1
        page.numchild = 0
        page.draft_title = page.title
        page.set_url_path(parent)
        if parent.pk:
            self.children_added[parent.pk] += 1
        else:
            parent.numchild += 1
        self.pending.append(page)
        return page

    def flush(self):
        pages, self.pending = self.pending, []
        base_fields = [field for field in Page._meta.local_concrete_fields if not field.primary_key]
        for batch in _batches(pages, base_fields):
            returning = Page._meta.db_returning_fields
            ids = Page._base_manager._insert(batch, fields=base_fields, returning_fields=returning)
            for page, (page_id,) in zip(batch, ids, strict=True):
                page.id = page.page_ptr_id = page_id
                page._state.adding = False
        by_model = defaultdict(list)
        for page in pages:
            by_model[type(page)].append(page)
        for model, specific in by_model.items():
            for batch in _batches(specific, model._meta.local_concrete_fields):
                model._base_manager._insert(batch, fields=model._meta.local_concrete_fields)
        for parent_id, added in self.children_added.items():
            Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + added)
        self.children_added.clear()
        backend = get_search_backend()
        for model, specific in by_model.items():
            backend.add_bulk(model, specific)
        self._index_references(pages)

    @staticmethod
    def _index_references(pages):
        """Pages of one kind and language are made from one template (same blocks, same block ids), so they refer
        to the same objects: Wagtail indexes the first, and its rows are copied for the others."""
        templates = defaultdict(list)
        for page in pages:
            templates[type(page), page.locale_id].append(page)
        names = [field.attname for field in ReferenceIndex._meta.concrete_fields if not field.primary_key]
        for first, *others in templates.values():
            ReferenceIndex.create_or_update_for_object(first)
            references = [
                {name: getattr(reference, name) for name in names}
                for reference in ReferenceIndex.get_references_for_object(first)
            ]
            copies = [
                ReferenceIndex(**{**reference, "object_id": str(page.pk)})
                for page in others
                for reference in references
            ]
            ReferenceIndex.objects.bulk_create(copies, batch_size=BATCH)


@dataclass
class Step:
    label: str
    rows: int
    seconds: float
    cpu_seconds: float
    database_cpu_seconds: float | None


@dataclass
class StepClock:
    """Wall time, this process's CPU time and the PostgreSQL backend's CPU time of each step of the seeding."""

    steps: list[Step] = field(default_factory=list)
    backend_stat: str | None = None

    @contextmanager
    def step(self, label: str, rows: int = 0):
        started, cpu, database_cpu = time.monotonic(), time.process_time(), self.database_cpu()
        yield
        database_spent = None if database_cpu is None else self.database_cpu() - database_cpu
        self.steps.append(Step(label, rows, time.monotonic() - started, time.process_time() - cpu, database_spent))

    def database_cpu(self) -> float | None:
        """CPU seconds of the backend serving this connection, when PostgreSQL runs on this machine and its /proc
        entry is readable (its parallel index-building workers are not counted)."""
        if connection.vendor != "postgresql":
            return None
        if self.backend_stat is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_stat = f"/proc/{cursor.fetchone()[0]}/stat"
        try:
            with open(self.backend_stat) as stat:
                name, _, rest = stat.read().rpartition(")")
        except OSError:
            return None
        if "postgres" not in name:
            return None
        user, system = rest.split()[11:13]
        return (int(user) + int(system)) / os.sysconf("SC_CLK_TCK")


class Seeding:
    """One seeding run: its row and page writers, its step clock, its moment and its locales."""

    def __init__(self, progress, locales):
        self.now = timezone.now()
        self.rows = RowWriter(progress, self.now)
        self.pages = PageWriter()
        self.clock = StepClock()
        self.locales = locales  # {language code: Locale}

    def add_page(self, parents, model, slug, fields_by_lang):
        """A live page in each language of ``fields_by_lang`` (translations of each other), placed under
        ``parents[language]`` for the page writer's next flush; returns them by language."""
        translation_key = uuid.uuid4()
        pages = {}
        for language, fields in fields_by_lang.items():
            page = model(
                slug=slug,
                locale=self.locales[language],
                translation_key=translation_key,
                live=True,
                first_published_at=self.now,
                last_published_at=self.now,
                **fields,
            )
            pages[language] = self.pages.place(parents[language], page)
        return pages


def with_block_ids(blocks):
    """StreamField blocks with fresh ids, so that every page made from them shares the same ones."""
    return [{**block, "id": str(uuid.uuid4())} for block in blocks]
