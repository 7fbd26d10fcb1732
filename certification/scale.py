"""The certificates of the national-scale data set (``seed_scale``): two automatic programmes and their
certificates, as rows only: no PDF is rendered or stored (``pdf`` is empty), so the verification page works and the
PDF download answers 404. One in fifty is revoked."""

import datetime
from decimal import Decimal

from accounts.choices import County
from accounts.scale import person_name_zh

from .codes import format_serial, new_public_id, new_verification_code
from .models import Certificate, CertificationProgramme, SerialCounter

PROGRAMME_NAMES = [
    ("全國規模測試認證（初階）", "Scale test (Beginner)"),
    ("全國規模測試認證（進階）", "Scale test (Advanced)"),
]


def seed_programmes(courses) -> list[CertificationProgramme]:
    """The two programmes, the n-th requiring the n-th of ``courses`` (zh-Hant course pages)."""
    programmes = []
    for number, (name_zh, name_en) in enumerate(PROGRAMME_NAMES):
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
        programme.required_courses.set(courses[number : number + 1])
        programme.save()
        programmes.append(programme)
    return programmes


def seed_certificates(seeding, user_ids, courses, count: int) -> None:
    """``count`` certificates: every teacher one of the first programme, then of the second, until ``count``."""
    programmes = seed_programmes(courses)
    year = seeding.now.year
    counter, _created = SerialCounter.objects.select_for_update().get_or_create(year=year)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    course_titles = [[courses[0].title, "International education course 0"]]
    # ``County.values`` builds a new list at each call: a third of this step's CPU when called per row.
    counties = list(County.values)

    def certificates():
        for number in range(count):
            programme = programmes[number // len(user_ids)]
            teacher = number % len(user_ids)
            issued_on = seeding.now.date() - datetime.timedelta(days=number % 700)
            revoked = number % 50 == 49
            signed = seeding.now - datetime.timedelta(days=number % 700)
            yield {
                "user": user_ids[teacher],
                "programme": programme.pk,
                "status": Certificate.Status.REVOKED if revoked else Certificate.Status.ISSUED,
                "origin": Certificate.Origin.AUTOMATIC,
                "public_id": new_public_id(),
                "verification_code": new_verification_code(),
                "serial": format_serial(year, first + number),
                "holder_name_zh": person_name_zh(teacher),
                "holder_name_en": f"Teacher {teacher}",
                "school": f"第{number % 3000 + 1}國民小學",
                "county": counties[number % len(counties)],
                "programme_name_zh": programme.name_zh,
                "programme_name_en": programme.name_en,
                "hours": Decimal(12),
                "score": None,
                "courses": course_titles,
                "issued_on": issued_on,
                "valid_until": issued_on + datetime.timedelta(days=3 * 365),
                "signed_at": signed,
                "revoked_at": signed if revoked else None,
                "revocation_reason": "Issued in error." if revoked else "",
            }

    seeding.rows.insert(Certificate, certificates(), count, "certificates")
