"""The national-scale data set of issue 8: 200,000 teachers and what they did, for benchmarks and query-count work.

Each app seeds its own tables (``accounts.scale``, ``courses.scale``, ``certification.scale``,
``community.scale``, ``resources.scale``) with the ground floor's bulk writers (``core.seeding``); this command only
sizes the data set and runs the steps in order, in one transaction. Everything is derived from the row's number,
so two runs at one scale build the same data set (apart from the random public ids and codes of certificates); the
command refuses to seed a database that already holds one.
"""

from contextlib import ExitStack
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.scale import EMAIL_DOMAIN, scale_teachers, seed_teachers
from certification.models import Certificate
from certification.scale import seed_certificates
from community.models import CommunityPage
from community.scale import scale_experts, seed_communities, seed_experts
from core.seeding import Seeding, Step
from courses.models import CoursePage, ModuleProgress, XAPIStatement
from courses.scale import MODULES_PER_COURSE, CourseSeed
from home.demo import home_pages, locales
from resources.scale import scale_resources, seed_resources

FULL_SIZE = {
    "teachers": 200_000,
    "courses": 100,
    "module_progress": 2_000_000,
    "xapi_statements": 500_000,
    "certificates": 300_000,
    "experts": 2_000,
    "communities": 300,
    "resources": 50_000,
}
# Fewer than these cannot hold the data set's shape (two enrolments per teacher need two courses).
MINIMUM_SIZE = {"teachers": 10, "courses": 2, "module_progress": 16, "experts": 1, "communities": 1}


@dataclass
class Sizes:
    teachers: int
    courses: int
    module_progress: int
    xapi_statements: int
    certificates: int
    experts: int
    communities: int
    resources: int

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


def seed(scale: float, progress) -> tuple[dict[str, int], list[Step]]:
    """Build the data set at ``scale`` (1 is national size); returns the row counts and the timing of each step."""
    sizes = Sizes.at(scale)
    if scale_teachers().exists():
        raise SeedRefused("This database already holds a national-scale data set; seed an empty one.")
    # One transaction: a run that fails half way leaves nothing behind, and the next run starts clean.
    with transaction.atomic():
        homes = home_pages()
        seeding = Seeding(progress, locales())
        step = seeding.clock.step
        courses = CourseSeed(seeding)
        with step("course and module pages, bilingual", 2 * sizes.courses * (1 + MODULES_PER_COURSE)):
            courses.pages(homes, sizes.courses)
        with step("teachers + profiles", 2 * sizes.teachers):
            user_ids = seed_teachers(seeding, sizes.teachers)
        with step("enrolments + module progress", sizes.enrolments * (1 + MODULES_PER_COURSE)):
            courses.progress_and_enrolments(user_ids, sizes.enrolments)
        with step("xAPI statements", sizes.xapi_statements):
            courses.xapi_statements(user_ids, sizes.enrolments, sizes.xapi_statements)
        with step("certificates", sizes.certificates):
            seed_certificates(seeding, user_ids, courses.courses, sizes.certificates)
        with step("experts + search index", sizes.experts):
            seed_experts(seeding, homes, sizes.experts)
        with step("community pages, bilingual", 2 * sizes.communities):
            seed_communities(seeding, homes, sizes.communities)
        with step("teaching resources + co-authors", sizes.resources * 6 // 5):
            seed_resources(seeding, user_ids, sizes.resources)
        committing = ExitStack()
        committing.enter_context(step("COMMIT"))
    committing.close()
    with step("ANALYZE + counts"):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        counts = _counts(seeding.locales["zh-hant"])
    return counts, seeding.clock.steps


def _counts(chinese) -> dict[str, int]:
    seeded = f"@{EMAIL_DOMAIN}"
    return {
        "teachers": scale_teachers().count(),
        "courses": CoursePage.objects.filter(slug__startswith="scale-", locale=chinese).count(),
        "module_progress": ModuleProgress.objects.filter(user__email__endswith=seeded).count(),
        "xapi_statements": XAPIStatement.objects.filter(user__email__endswith=seeded).count(),
        "certificates": Certificate.objects.filter(user__email__endswith=seeded).count(),
        "experts": scale_experts().count(),
        "communities": CommunityPage.objects.filter(slug__startswith="scale-", locale=chinese).count(),
        "resources": scale_resources().count(),
    }


class Command(BaseCommand):
    help = (
        "Build the national-scale data set of issue 8 (200,000 teachers, 2,000,000 module-progress rows, "
        "300,000 certificates …) into an empty database; --scale 0.001 builds a thousandth of it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Fraction of the national size (default 1).")

    def handle(self, *args, scale, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale is a fraction between 0 (excluded) and 1.")
        try:
            counts, steps = seed(scale, self.stderr._out)
        except SeedRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        for name in FULL_SIZE:
            self.stdout.write(f"{name}: {counts[name]:,}")
        self.stdout.write(f"\n{'step':<40} {'rows':>10} {'time s':>8} {'rows/s':>8} {'CPU py s':>9} {'CPU pg s':>9}")
        for step in steps:
            rows = f"{step.rows:,}" if step.rows else ""
            rate = f"{step.rows / step.seconds:,.0f}" if step.rows and step.seconds else ""
            database = "" if step.database_cpu_seconds is None else f"{step.database_cpu_seconds:.1f}"
            self.stdout.write(
                f"{step.label:<40} {rows:>10} {step.seconds:>8.1f} {rate:>8} {step.cpu_seconds:>9.1f} {database:>9}"
            )
        seconds = sum(step.seconds for step in steps)
        cpu = sum(step.cpu_seconds for step in steps)
        database_steps = [step.database_cpu_seconds for step in steps if step.database_cpu_seconds is not None]
        database = f"{sum(database_steps):.1f}" if database_steps else ""
        self.stdout.write(f"{'total':<40} {'':>10} {seconds:>8.1f} {'':>8} {cpu:>9.1f} {database:>9}")
        self.stdout.write(self.style.SUCCESS(f"Seeded at scale {scale:g} in {seconds:.1f} s."))
