"""The experts and communities of the national-scale data set (``seed_scale``)."""

from wagtail.search.backends import get_search_backend

from accounts.choices import County, SchoolLevel
from accounts.scale import EMAIL_DOMAIN, person_name_en, person_name_zh
from home.demo import ensure_page

from .choices import Availability, ExpertiseArea, Language
from .demo import COMMUNITY_INDEX_FIELDS, EXPERT_INDEX_FIELDS
from .models import CommunityIndexPage, CommunityPage, Expert, ExpertIndexPage


def scale_experts():
    return Expert.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def seed_experts(seeding, homes, count: int) -> None:
    """``count`` listed experts, the directory page, and the experts in the search index."""
    areas, languages = list(ExpertiseArea.values), list(Language.values)
    counties, availability = list(County.values), list(Availability.values)

    def experts():
        for number in range(count):
            yield {
                "name_zh": person_name_zh(number),
                "name_en": f"{person_name_en(number)} {number}",
                "title_zh": "國際教育輔導委員",
                "title_en": "International education mentor",
                "organisation_zh": f"第{number % 300 + 1}高級中學",
                "organisation_en": f"Senior High School {number % 300 + 1}",
                "expertise": [areas[number % len(areas)], areas[(number + 3) % len(areas)]],
                "languages": ["zh", languages[1 + number % (len(languages) - 1)]],
                "regions": [counties[number % len(counties)]],
                "availability": [availability[number % len(availability)]],
                "bio_zh": "長期推動姊妹校交流與國際教育課程。",
                "bio_en": "Has led sister-school exchanges and international-education courses for years.",
                "email": f"expert{number}@{EMAIL_DOMAIN}",
            }

    seeding.rows.insert(Expert, experts(), count, "experts")
    ensure_page(homes, ExpertIndexPage, "experts", EXPERT_INDEX_FIELDS)
    # Bulk inserts bypass the search signals: index the experts the directory searches in one go.
    get_search_backend().add_bulk(Expert, list(scale_experts()))


def seed_communities(seeding, homes, count: int) -> None:
    """``count`` communities, in zh-Hant and English."""
    index = ensure_page(homes, CommunityIndexPage, "communities", COMMUNITY_INDEX_FIELDS)
    counties, levels, areas = list(County.values), list(SchoolLevel.values), list(ExpertiseArea.values)
    for number in range(count):
        shared = {
            "region": counties[number % len(counties)],
            "school_level": levels[number % len(levels)],
            "focus_area": areas[number % len(areas)],
        }
        seeding.add_page(
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
    seeding.pages.flush()
