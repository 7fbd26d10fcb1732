"""Synthetic activity for the demo: a few hundred teachers over the past year, so the admin's dashboards and
reports, the registry and the expert directory look like a working service rather than one teacher's.

The rows come from the national-scale seeder (``seed_scale``) at a small scale, so the demo and the benchmarks
share one description of what teachers do. Two things are then made to fit the demo: the seeder's enrolments all
start on one day and its certificates belong to two test programmes, so the enrolments are spread over twelve
months and the certificates moved to the demo's Beginner and Advanced programmes (the test programmes go).
Its pages are made to fit too: its courses stand for earlier cohorts of an online course (renamed so, and out of the
catalogue, their enrolments kept for the reports) and its community gets a name a teacher would give it.
Idempotent: the seeder refuses a database that already holds its teachers, and that is taken as done.
"""

import datetime

from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Mod
from django.utils import timezone

from accounts.scale import scale_teachers
from certification.models import Certificate, CertificationProgramme
from certification.registry.issuing import ProgrammeFacts
from community.models import CommunityPage
from courses.models import CoursePage, Enrolment
from lms.management.commands.seed_scale import SeedRefused, seed
from resources.models import Resource
from resources.scale import scale_resources

# 300 teachers, 375 enrolments, 3,000 module-progress rows, 450 certificates, 3 experts, 1 community.
DEMO_SCALE = 0.0015
MONTHS = 12
# The seeder's two test programmes, in its order, and the demo programmes their certificates go to.
SEEDED_PROGRAMMES = {"scale-0": "beginner", "scale-1": "advanced"}


class _Quiet:
    """The seeder's progress bars are for a terminal watching a long run; the demo's few seconds need none."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def load(stdout):
    try:
        counts, steps = seed(DEMO_SCALE, _Quiet())
    except SeedRefused:
        stdout.write(f"Synthetic activity: already there ({scale_teachers().count()} teachers).")
        return
    with transaction.atomic():
        _spread_over_a_year()
        _move_certificates_to_demo_programmes()
        _give_advanced_holders_an_accepted_resource()
        _give_seeded_pages_their_demo_names()
    seconds = sum(step.seconds for step in steps)
    stdout.write(
        f"Synthetic activity: {counts['teachers']} teachers, {counts['module_progress']} module-progress rows, "
        f"{counts['certificates']} certificates in {seconds:.1f} s."
    )


def _month_start(months_back: int) -> datetime.datetime:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    return timezone.make_aware(datetime.datetime(year, month + 1, 1, 9))


def _spread_over_a_year():
    """Each enrolment starts in one of the last twelve months (by its id), and completes a month later (or now)."""
    enrolments = Enrolment.objects.filter(user__in=scale_teachers()).annotate(
        month=Mod(F("pk"), Value(MONTHS), output_field=IntegerField())
    )
    for months_back in range(MONTHS):
        enrolled = _month_start(months_back)
        finished = min(enrolled + datetime.timedelta(days=30), timezone.now())
        completed = Case(When(completed_at__isnull=False, then=Value(finished)))
        Enrolment.objects.filter(pk__in=enrolments.filter(month=months_back).values("pk")).update(
            enrolled_at=enrolled, completed_at=completed
        )


def _move_certificates_to_demo_programmes():
    # A queryset update, not save(): these rows never had a PDF, and what they say is rewritten once, here,
    # before anyone could have verified them.
    for seeded_slug, demo_slug in SEEDED_PROGRAMMES.items():
        seeded = CertificationProgramme.objects.filter(slug=seeded_slug).first()
        programme = CertificationProgramme.objects.filter(slug=demo_slug).first()
        if seeded is None or programme is None:
            continue
        Certificate.objects.filter(programme=seeded).update(
            programme=programme,
            programme_name_zh=programme.name_zh,
            programme_name_en=programme.name_en,
            hours=programme.minimum_hours,
            courses=ProgrammeFacts.load(programme).course_titles,
        )
        seeded.delete()


def _give_advanced_holders_an_accepted_resource():
    """The Advanced programme asks for an accepted teaching resource: the seeder's accepted resources go to its
    synthetic holders first (one each, in turn), so that every holder meets the requirement their certificate
    says they met; a holder left over gets one of the others' resources as co-author."""
    holders = list(
        Certificate.objects.filter(user__in=scale_teachers(), programme__slug="advanced")
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    accepted = list(scale_resources().public().order_by("pk"))
    if not holders or not accepted:
        return
    for resource, holder in zip(accepted, holders, strict=False):
        resource.author_id = holder
    Resource.objects.bulk_update(accepted[: len(holders)], ["author"])
    left_over = holders[len(accepted) :]
    Resource.co_authors.through.objects.bulk_create(
        [
            Resource.co_authors.through(resource_id=accepted[position % len(accepted)].pk, user_id=holder)
            for position, holder in enumerate(left_over)
        ],
        ignore_conflicts=True,
    )


# The seeder's pages by slug, and what the demo calls them.
SEEDED_PAGES = {
    "scale-course-": (
        CoursePage,
        {
            "zh-hant": ("國際教育線上課程（{year} 年第 {cohort} 期）", "已結業的線上課程期別，保留學員紀錄供統計。"),
            "en": (
                "Online international education course ({year}, cohort {cohort})",
                "A past cohort, kept for the reports.",
            ),
        },
    ),
    "scale-community-": (
        CommunityPage,
        {
            "zh-hant": (
                "跨校國際教育教師社群（第 {cohort} 群）",
                "各校國際教育承辦教師每月聚會，分享課程與交流經驗。",
            ),
            "en": (
                "Cross-school international education community (group {cohort})",
                "Teachers who run international education at their schools meet monthly to share lessons.",
            ),
        },
    ),
}


def _give_seeded_pages_their_demo_names():
    year = timezone.localdate().year - 1
    for prefix, (model, names) in SEEDED_PAGES.items():
        for page in model.objects.filter(slug__startswith=prefix).select_related("locale"):
            cohort = int(page.slug.removeprefix(prefix)) + 1
            title, text = names[page.locale.language_code]
            page.title = page.draft_title = title.format(year=year, cohort=cohort)
            if model is CoursePage:
                page.summary = text
                page.live = False
            else:
                page.description = text
            page.save(clean=False)
