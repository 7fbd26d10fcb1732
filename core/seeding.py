"""The national-scale data set of issue 8: 200,000 teachers and what they did, for benchmarks and query-count work.

Rows go in with PostgreSQL's COPY (``bulk_create`` in batches on SQLite, for the tests' tiny scales), each table
with its secondary indexes and foreign keys dropped and rebuilt after it; pages are real bilingual Wagtail pages,
because rendering them is what is measured, inserted in bulk with the tree paths computed here (``PageWriter``).
Certificates are rows only: no PDF is rendered or stored (``pdf`` is empty), so the verification page works
and the PDF download answers 404. Every seeded teacher signs in with the password ``SCALE_PASSWORD``.

Everything is derived from the row's number, so two runs at one scale build the same data set (apart from the
random public ids and codes of certificates); the command refuses to seed a database that already holds one.
"""

import datetime
import json
import os
import secrets
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from tqdm import tqdm
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backend

from accounts.choices import County, SchoolLevel
from accounts.models import TeacherProfile, User
from certification.codes import CROCKFORD_ALPHABET, VERIFICATION_CODE_LENGTH, format_serial, new_public_id
from certification.models import Certificate, CertificationProgramme, SerialCounter
from community.choices import Availability, ExpertiseArea, Language
from community.demo import COMMUNITY_INDEX_FIELDS, EXPERT_INDEX_FIELDS
from community.models import CommunityIndexPage, CommunityPage, Expert, ExpertIndexPage
from courses.choices import CompetencyArea, CourseLevel
from courses.demo import CATALOGUE
from courses.h5p.demo import load_demo_packages
from courses.models import CourseIndexPage, CoursePage, Enrolment, ModulePage, ModuleProgress, XAPIStatement
from home.demo import ensure_page, home_pages, locales, paragraphs

EMAIL_DOMAIN = "scale.ie-academy.tw"
SCALE_PASSWORD = "scale-teacher-2026"
MODULES_PER_COURSE = 8
BATCH = 5000

FULL_SIZE = {
    "teachers": 200_000,
    "courses": 100,
    "module_progress": 2_000_000,
    "xapi_statements": 500_000,
    "certificates": 300_000,
    "experts": 2_000,
    "communities": 300,
}
# Fewer than these cannot hold the data set's shape (two enrolments per teacher need two courses).
MINIMUM_SIZE = {"teachers": 10, "courses": 2, "module_progress": 16, "experts": 1, "communities": 1}

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐"
SURNAMES_EN = ["Chen", "Lin", "Huang", "Chang", "Li", "Wang", "Wu", "Liu", "Tsai", "Yang"]
SURNAMES_EN += ["Hsu", "Cheng", "Hsieh", "Hung", "Kuo", "Chiu", "Tseng", "Liao", "Lai", "Hsu"]
GIVEN = ["怡君", "雅婷", "志明", "淑芬", "家豪", "美玲", "建宏", "宜蓁", "冠宇", "佩珊"]
GIVEN_EN = ["Yi-Chun", "Ya-Ting", "Chih-Ming", "Shu-Fen", "Chia-Hao", "Mei-Ling", "Chien-Hung", "Yi-Chen"]
GIVEN_EN += ["Kuan-Yu", "Pei-Shan"]
SUBJECTS = ["英語", "社會", "自然科學", "數學", "國語文", "藝術", "綜合活動", "健康與體育"]


@dataclass
class Sizes:
    teachers: int
    courses: int
    module_progress: int
    xapi_statements: int
    certificates: int
    experts: int
    communities: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        sizes = {name: max(MINIMUM_SIZE.get(name, 0), round(full * scale)) for name, full in FULL_SIZE.items()}
        # Two current certificates per teacher at most (one per programme).
        sizes["certificates"] = min(sizes["certificates"], 2 * sizes["teachers"])
        return cls(**sizes)

    @property
    def enrolments(self) -> int:
        return self.module_progress // MODULES_PER_COURSE


class SeedRefused(Exception):
    """The database already holds a national-scale data set."""


def person_name_zh(number: int) -> str:
    """The name of teacher (or expert) ``number``: the teacher's profile and certificates carry the same one."""
    return SURNAMES[number % 20] + GIVEN[number // 20 % 10]


def person_name_en(number: int) -> str:
    return f"{GIVEN_EN[number // 20 % 10]} {SURNAMES_EN[number % 20]}"


def teacher_email(number: int) -> str:
    return f"teacher{number}@{EMAIL_DOMAIN}"


def scale_teachers():
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


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
    """Inserts plain rows into a model's table: COPY on PostgreSQL, ``bulk_create`` in batches elsewhere."""

    def __init__(self, progress):
        self.progress = progress

    def insert(self, model, names: list[str], rows, total: int, label: str) -> None:
        fields = [model._meta.get_field(name) for name in names]
        bar = tqdm(total=total, desc=label, unit="row", unit_scale=True, file=self.progress, leave=True)
        if connection.vendor == "postgresql":
            with without_indexes(model):
                self._copy(model, fields, rows, bar)
                bar.set_postfix_str("indexing")
        else:
            self._bulk_create(model, fields, rows, bar)
        bar.close()

    @staticmethod
    def _copy(model, fields, rows, bar):
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        as_json = [isinstance(field, models.JSONField) for field in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for count, row in enumerate(rows, 1):
                values = zip(row, as_json, strict=True)
                copy.write_row([json.dumps(value) if is_json else value for value, is_json in values])
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


def _verification_code() -> str:
    bits = secrets.randbits(5 * VERIFICATION_CODE_LENGTH)
    return "".join(CROCKFORD_ALPHABET[(bits >> (5 * index)) & 31] for index in range(VERIFICATION_CODE_LENGTH))


def _with_block_ids(blocks):
    return [{**block, "id": str(uuid.uuid4())} for block in blocks]


def _choice_set(codes) -> str:
    return f",{','.join(codes)},"


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


class Seeder:
    def __init__(self, sizes: Sizes, progress):
        self.sizes = sizes
        self.progress = progress
        self.writer = RowWriter(progress)
        self.pages = PageWriter()
        self.clock = StepClock()
        self.now = timezone.now()

    def run(self) -> dict[str, int]:
        if scale_teachers().exists():
            raise SeedRefused("This database already holds a national-scale data set; seed an empty one.")
        sizes, step = self.sizes, self.clock.step
        # One transaction: a run that fails half way leaves nothing behind, and the next run starts clean.
        with transaction.atomic():
            homes = home_pages()
            self.locales = locales()
            with step("course and module pages, bilingual", 2 * sizes.courses * (1 + MODULES_PER_COURSE)):
                self.courses, self.modules, package = self.course_pages(homes)
            with step("teachers + profiles", 2 * sizes.teachers):
                user_ids = self.teachers()
            with step("enrolments + module progress", sizes.enrolments * (1 + MODULES_PER_COURSE)):
                self.progress_and_enrolments(user_ids)
            with step("xAPI statements", sizes.xapi_statements):
                self.xapi_statements(user_ids, package)
            with step("certificates", sizes.certificates):
                self.certificates(user_ids)
            with step("experts + search index", sizes.experts):
                self.experts()
            with step("community pages, bilingual", 2 * sizes.communities):
                self.communities(homes)
            committing = ExitStack()
            committing.enter_context(step("COMMIT"))
        committing.close()
        with step("ANALYZE + counts"):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            return self.counts()

    def counts(self) -> dict[str, int]:
        return {
            "teachers": scale_teachers().count(),
            "courses": CoursePage.objects.filter(slug__startswith="scale-", locale=self.locales["zh-hant"]).count(),
            "module_progress": ModuleProgress.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}").count(),
            "xapi_statements": XAPIStatement.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}").count(),
            "certificates": Certificate.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}").count(),
            "experts": Expert.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count(),
            "communities": CommunityPage.objects.filter(
                slug__startswith="scale-", locale=self.locales["zh-hant"]
            ).count(),
        }

    def add_page(self, parents, model, slug, fields_by_lang):
        """A live page in zh-Hant and its English translation, placed for the page writer's next flush."""
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

    def course_pages(self, homes):
        package = next(iter(load_demo_packages().values()))
        catalogue = ensure_page(homes, CourseIndexPage, "courses", CATALOGUE)
        areas, levels = list(CompetencyArea.values), list(CourseLevel.values)
        quiz = {"type": "h5p", "value": {"package": package.pk, "title": ""}}
        rule = {"completion_rule": "h5p_completed", "pass_mark": 60, "estimated_minutes": 20}
        # Fixed block ids: every module of a language has the same body, so the page writer can copy the
        # references (to the quiz's package) Wagtail finds in the first one.
        module_fields = {
            "zh-hant": {"body": _with_block_ids([*paragraphs("單元內容。"), quiz]), **rule},
            "en": {"body": _with_block_ids([*paragraphs("What the module teaches."), quiz]), **rule},
        }
        courses, modules = [], []
        for number in range(self.sizes.courses):
            common = {
                "competency_area": areas[number % len(areas)],
                "level": levels[number % len(levels)],
                "study_hours": Decimal(2 + number % 7),
            }
            pages = self.add_page(
                catalogue,
                CoursePage,
                f"scale-course-{number}",
                {
                    "zh-hant": {"title": f"國際教育課程 {number}", "summary": "全國規模測試課程。", **common},
                    "en": {"title": f"International education course {number}", "summary": "A test course.", **common},
                },
            )
            courses.append(pages["zh-hant"])
            course_modules = []
            for module_number in range(MODULES_PER_COURSE):
                titles = {"zh-hant": f"單元 {module_number + 1}", "en": f"Module {module_number + 1}"}
                fields = {language: {"title": titles[language], **module_fields[language]} for language in titles}
                course_modules.append(self.add_page(pages, ModulePage, f"module-{module_number}", fields)["zh-hant"])
            modules.append(course_modules)
        self.pages.flush()
        return courses, modules, package

    def teachers(self) -> list[int]:
        password = make_password(SCALE_PASSWORD)
        joined = self.now - datetime.timedelta(days=400)

        def users():
            for number in range(self.sizes.teachers):
                email = teacher_email(number)
                yield (email, email, password, "", "", False, False, True, joined, None)

        self.writer.insert(
            User,
            [
                "username",
                "email",
                "password",
                "first_name",
                "last_name",
                "is_staff",
                "is_superuser",
                "is_active",
                "date_joined",
                "last_login",
            ],
            users(),
            self.sizes.teachers,
            "teachers",
        )
        user_ids = list(scale_teachers().order_by("pk").values_list("pk", flat=True))
        counties, levels = list(County.values), list(SchoolLevel.values)

        def profiles():
            for number, user_id in enumerate(user_ids):
                yield (
                    user_id,
                    person_name_zh(number),
                    person_name_en(number),
                    f"第{number % 3000 + 1}國民小學",
                    levels[number % len(levels)],
                    counties[number % len(counties)],
                    SUBJECTS[number % len(SUBJECTS)],
                    self.now,
                )

        self.writer.insert(
            TeacherProfile,
            ["user", "name_zh", "name_en", "school", "school_level", "county", "subject_area", "updated_at"],
            profiles(),
            len(user_ids),
            "teacher profiles",
        )
        return user_ids

    def enrolment_plan(self, user_ids):
        """(user id, course number, modules completed) of every enrolment: each teacher in turn, then again."""
        for number in range(self.sizes.enrolments):
            user_index = number % len(user_ids)
            course = (user_index + number // len(user_ids)) % len(self.courses)
            yield user_ids[user_index], course, number % (MODULES_PER_COURSE + 1)

    def progress_and_enrolments(self, user_ids):
        enrolled = self.now - datetime.timedelta(days=200)

        def enrolments():
            for user_id, course, completed in self.enrolment_plan(user_ids):
                done = completed == MODULES_PER_COURSE
                percent = round(100 * completed / MODULES_PER_COURSE)
                finished = enrolled + datetime.timedelta(days=30) if done else None
                yield (user_id, self.courses[course].pk, "active", enrolled, percent, finished)

        self.writer.insert(
            Enrolment,
            ["user", "course", "status", "enrolled_at", "progress_percent", "completed_at"],
            enrolments(),
            self.sizes.enrolments,
            "enrolments",
        )

        def progress():
            for user_id, course, completed in self.enrolment_plan(user_ids):
                for position, module in enumerate(self.modules[course]):
                    if position < completed:
                        score = Decimal(60 + (user_id * 7 + position) % 41)
                        finished = enrolled + datetime.timedelta(days=position + 1)
                        yield (user_id, module.pk, self.courses[course].pk, "completed", score, enrolled, finished)
                    else:
                        yield (user_id, module.pk, self.courses[course].pk, "in_progress", None, enrolled, None)

        self.writer.insert(
            ModuleProgress,
            ["user", "module", "course", "status", "best_score", "first_viewed_at", "completed_at"],
            progress(),
            self.sizes.enrolments * MODULES_PER_COURSE,
            "module progress",
        )

    def xapi_statements(self, user_ids, package):
        plan = list(self.enrolment_plan(user_ids))
        verb_answered = "http://adlnet.gov/expapi/verbs/answered"
        object_id = f"urn:ie-academy:h5p:{package.pk}"

        def statements():
            for number in range(self.sizes.xapi_statements):
                user_id, course, _completed = plan[number % len(plan)]
                module = self.modules[course][number // len(plan) % MODULES_PER_COURSE]
                statement_id = uuid.UUID(int=number + 1, version=4)
                score = Decimal(number % 11)
                payload = {
                    "id": str(statement_id),
                    "verb": {"id": verb_answered},
                    "object": {"id": object_id},
                    "result": {"score": {"raw": number % 11, "max": 10}},
                }
                yield (
                    statement_id,
                    user_id,
                    module.pk,
                    package.pk,
                    verb_answered,
                    object_id,
                    "",
                    score,
                    Decimal(10),
                    "",
                    False,
                    "",
                    payload,
                    self.now,
                )

        self.writer.insert(
            XAPIStatement,
            [
                "statement_id",
                "user",
                "module",
                "package",
                "verb",
                "object_id",
                "sub_content_id",
                "raw_score",
                "max_score",
                "response",
                "flagged",
                "flag_reason",
                "payload",
                "stored_at",
            ],
            statements(),
            self.sizes.xapi_statements,
            "xAPI statements",
        )

    def programmes(self):
        programmes = []
        names = [
            ("全國規模測試認證（初階）", "Scale test (Beginner)"),
            ("全國規模測試認證（進階）", "Scale test (Advanced)"),
        ]
        for number, (name_zh, name_en) in enumerate(names):
            programme, _created = CertificationProgramme.objects.get_or_create(
                slug=f"scale-{number}",
                defaults={
                    "name_zh": name_zh,
                    "name_en": name_en,
                    "certificate_title_zh": name_zh,
                    "certificate_title_en": name_en,
                    "minimum_hours": Decimal(8),
                    "validity_years": 3,
                    "issue_mode": CertificationProgramme.IssueMode.AUTOMATIC,
                    "sort_order": 100 + number,
                },
            )
            programme.required_courses.set(self.courses[number : number + 1])
            programme.save()
            programmes.append(programme)
        return programmes

    def certificates(self, user_ids):
        programmes = self.programmes()
        year = self.now.year
        counter, _created = SerialCounter.objects.select_for_update().get_or_create(year=year)
        first = counter.last_number + 1
        counter.last_number += self.sizes.certificates
        counter.save(update_fields=["last_number"])
        courses = [[self.courses[0].title, f"International education course {0}"]]
        # ``County.values`` builds a new list at each call: a third of this step's CPU when called per row.
        counties = list(County.values)

        def certificates():
            for number in range(self.sizes.certificates):
                programme = programmes[number // len(user_ids)]
                user_id = user_ids[number % len(user_ids)]
                issued_on = self.now.date() - datetime.timedelta(days=number % 700)
                revoked = number % 50 == 49
                signed = self.now - datetime.timedelta(days=number % 700)
                yield (
                    user_id,
                    programme.pk,
                    "revoked" if revoked else "issued",
                    "automatic",
                    True,
                    new_public_id(),
                    _verification_code(),
                    format_serial(year, first + number),
                    person_name_zh(number % len(user_ids)),
                    f"Teacher {number % len(user_ids)}",
                    f"第{number % 3000 + 1}國民小學",
                    counties[number % len(counties)],
                    programme.name_zh,
                    programme.name_en,
                    Decimal(12),
                    None,
                    courses,
                    issued_on,
                    issued_on + datetime.timedelta(days=3 * 365),
                    "",
                    "",
                    "",
                    self.now,
                    signed,
                    signed if revoked else None,
                    "Issued in error." if revoked else "",
                )

        self.writer.insert(
            Certificate,
            [
                "user",
                "programme",
                "status",
                "origin",
                "is_current",
                "public_id",
                "verification_code",
                "serial",
                "holder_name_zh",
                "holder_name_en",
                "school",
                "county",
                "programme_name_zh",
                "programme_name_en",
                "hours",
                "score",
                "courses",
                "issued_on",
                "valid_until",
                "pdf",
                "pdf_sha256",
                "signer_fingerprint",
                "created_at",
                "signed_at",
                "revoked_at",
                "revocation_reason",
            ],
            certificates(),
            self.sizes.certificates,
            "certificates",
        )

    def experts(self):
        areas, languages = list(ExpertiseArea.values), list(Language.values)
        counties, availability = list(County.values), list(Availability.values)

        def experts():
            for number in range(self.sizes.experts):
                yield (
                    person_name_zh(number),
                    f"{person_name_en(number)} {number}",
                    "國際教育輔導委員",
                    "International education mentor",
                    f"第{number % 300 + 1}高級中學",
                    f"Senior High School {number % 300 + 1}",
                    _choice_set([areas[number % len(areas)], areas[(number + 3) % len(areas)]]),
                    _choice_set(["zh", languages[1 + number % (len(languages) - 1)]]),
                    _choice_set([counties[number % len(counties)]]),
                    _choice_set([availability[number % len(availability)]]),
                    "長期推動姊妹校交流與國際教育課程。",
                    "Has led sister-school exchanges and international-education courses for years.",
                    f"expert{number}@{EMAIL_DOMAIN}",
                    "",
                    "",
                    True,
                    self.now,
                    self.now,
                )

        self.writer.insert(
            Expert,
            [
                "name_zh",
                "name_en",
                "title_zh",
                "title_en",
                "organisation_zh",
                "organisation_en",
                "expertise",
                "languages",
                "regions",
                "availability",
                "bio_zh",
                "bio_en",
                "email",
                "phone",
                "website",
                "is_listed",
                "created_at",
                "updated_at",
            ],
            experts(),
            self.sizes.experts,
            "experts",
        )
        ensure_page(home_pages(), ExpertIndexPage, "experts", EXPERT_INDEX_FIELDS)
        # Bulk inserts bypass the search signals: index the experts the directory searches in one go.
        get_search_backend().add_bulk(Expert, list(Expert.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")))

    def communities(self, homes):
        index = ensure_page(homes, CommunityIndexPage, "communities", COMMUNITY_INDEX_FIELDS)
        counties, levels, areas = list(County.values), list(SchoolLevel.values), list(ExpertiseArea.values)
        for number in range(self.sizes.communities):
            shared = {
                "region": counties[number % len(counties)],
                "school_level": levels[number % len(levels)],
                "focus_area": areas[number % len(areas)],
            }
            self.add_page(
                index,
                CommunityPage,
                f"scale-community-{number}",
                {
                    "zh-hant": {
                        "title": f"國際教育社群 {number}",
                        "description": "教師專業社群。",
                        "meeting_pattern": "每月一次",
                        **shared,
                    },
                    "en": {
                        "title": f"International education community {number}",
                        "description": "A professional learning community.",
                        "meeting_pattern": "Monthly",
                        **shared,
                    },
                },
            )
        self.pages.flush()


def seed(scale: float, progress) -> tuple[dict[str, int], list[Step]]:
    """Build the data set at ``scale`` (1 is national size); returns the row counts and the timing of each step."""
    seeder = Seeder(Sizes.at(scale), progress)
    counts = seeder.run()
    return counts, seeder.clock.steps
