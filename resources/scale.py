"""The teaching resources of the national-scale data set (``seed_scale``): 50,000 at national size, written by the
seeded teachers, nine in ten accepted and public, the rest at every other step of the review."""

import datetime

from accounts.choices import SchoolLevel

from .choices import ResourceKind, ResourceLanguage, Status, SubjectDomain, Theme
from .licences import Licence
from .models import Resource

ADDRESS = "https://resources.scale.ie-academy.tw/"
TOPICS = ["姊妹校視訊交流", "聯合國永續發展目標", "跨文化溝通", "全球公民行動", "國際新聞閱讀", "多元文化節慶"]
TOPICS_EN = ["Sister-school video exchange", "The SDGs", "Intercultural communication", "Global citizenship"]
TOPICS_EN += ["Reading international news", "Festivals of many cultures"]
# The review steps a resource rests at, out of ten: nine accepted, one elsewhere in turn.
UNPUBLISHED = [Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.DRAFT, Status.DECLINED]


def scale_resources():
    return Resource.objects.filter(url__startswith=ADDRESS)


def seed_resources(seeding, user_ids: list[int], count: int) -> None:
    """``count`` resources by the seeded teachers (one in five with a co-author)."""
    kinds, levels, domains = list(ResourceKind.values), list(SchoolLevel.values), list(SubjectDomain.values)
    themes, languages, licences = list(Theme.values), list(ResourceLanguage.values), list(Licence.values)
    teachers = len(user_ids)

    def resources():
        for number in range(count):
            topic = number % len(TOPICS)
            english = languages[number % len(languages)] == ResourceLanguage.ENGLISH
            status = Status.ACCEPTED if number % 10 else UNPUBLISHED[number // 10 % len(UNPUBLISHED)]
            moment = seeding.now - datetime.timedelta(minutes=number)
            yield {
                "title": f"{TOPICS_EN[topic] if english else TOPICS[topic]} {number}",
                "summary": "A two-lesson plan with worksheets." if english else "兩節課的教案，附學習單與評量規準。",
                "kind": kinds[number % len(kinds)],
                "url": f"{ADDRESS}{number}",
                "school_level": levels[number % len(levels)],
                "subject_domain": domains[number % len(domains)],
                "theme": themes[number % len(themes)],
                "language": languages[number % len(languages)],
                "duration_minutes": 45 * (1 + number % 4),
                "licence": licences[number % len(licences)],
                "author": user_ids[number % teachers],
                "status": status,
                "download_count": number % 250 if status == Status.ACCEPTED else 0,
                "submitted_at": None if status == Status.DRAFT else moment,
                "accepted_at": moment if status == Status.ACCEPTED else None,
            }

    seeding.rows.insert(Resource, resources(), count, "resources")
    ids = list(scale_resources().order_by("pk").values_list("pk", flat=True))
    co_authored = ids[::5]

    def co_authors():
        for position, resource_id in enumerate(co_authored):
            yield {"resource": resource_id, "user": user_ids[(position * 5 + 1) % teachers]}

    seeding.rows.insert(Resource.co_authors.through, co_authors(), len(co_authored), "resource co-authors")
