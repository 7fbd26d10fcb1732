"""Demo certification: the three programmes of the white paper, and certificates the demo teacher already holds.

The demo teacher holds a valid Beginner certificate, and the one it replaced, revoked because the name was
misspelt, so both verification answers can be tried at once (the codes are printed). Idempotent: programmes are
found by slug, and the certificates are made only when the teacher has none of the programme.
"""

import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from accounts.demo import ADMIN_EMAIL, TEACHER_EMAIL
from courses.models import CoursePage

from .documents.rendering import certificate_font_location
from .models import Certificate, CertificationProgramme, ProgrammeSignatory
from .registry.issuing import complete_certificate, issue_and_complete, reissue_certificate, revoke_certificate

PROGRAMMES = [
    {
        "slug": "beginner",
        "name_zh": "國際教育專業知能認證（初階）",
        "name_en": "International Education Professional Competency (Beginner)",
        "description_zh": "完成國際教育基礎概論與課程融入兩門課程，累積十二小時線上與研習時數，即可自動取得初階證書。",
        "description_en": "Complete the foundations and curriculum integration courses and 12 hours of online "
        "study and workshops to receive the Beginner certificate automatically.",
        "required_courses": ["foundations", "curriculum-integration"],
        "minimum_hours": Decimal("12"),
        "validity_years": 3,
        "renewal_rule": CertificationProgramme.RenewalRule.CONTINUING_HOURS,
        "renewal_hours": Decimal("6"),
        "issue_mode": CertificationProgramme.IssueMode.AUTOMATIC,
        "sort_order": 1,
    },
    {
        "slug": "advanced",
        "name_zh": "國際教育專業知能認證（進階）",
        "name_en": "International Education Professional Competency (Advanced)",
        "description_zh": "持有有效初階證書，完成國際交流與學校國際化課程，平均成績八十分以上，"
        "並分享至少一份經審查通過的教學資源，經認證中心審核後核發。",
        "description_en": "Hold a valid Beginner certificate, complete the international exchange and school "
        "internationalisation courses with an average score of 80 or more, and share at least one teaching "
        "resource accepted by review; issued after review by the centre.",
        "required_courses": ["international-exchange", "school-internationalisation"],
        "minimum_hours": Decimal("24"),
        "minimum_score": Decimal("80"),
        "minimum_accepted_resources": 1,
        "prerequisite": "beginner",
        "validity_years": 3,
        "renewal_rule": CertificationProgramme.RenewalRule.ON_REQUEST,
        "issue_mode": CertificationProgramme.IssueMode.APPROVAL,
        "sort_order": 2,
        "certificate_title_zh": "專業知能證書（進階）",
        "certificate_title_en": "Certificate of Professional Competency (Advanced)",
    },
    {
        "slug": "community",
        "name_zh": "專業社群證書",
        "name_en": "Professional Community Certificate",
        "description_zh": "參與國際教育專業社群網絡，出席至少四次社群聚會，即可取得專業社群證書。",
        "description_en": "Take part in an international education professional community and attend at least four "
        "of its sessions to receive the community certificate.",
        "minimum_community_sessions": 4,
        "issue_mode": CertificationProgramme.IssueMode.AUTOMATIC,
        "sort_order": 3,
        "certificate_title_zh": "專業社群證書",
        "certificate_title_en": "Professional Community Certificate",
    },
]

# Who signs every demo certificate: the centre's director, with her seal, and the platform's executive director.
SIGNATORIES = [
    {
        "name_zh": "王美惠",
        "name_en": "Wang Mei-Hui",
        "title_zh": "國際教育認證中心主任",
        "title_en": "Director, Certification Centre",
        "seal": "王美惠印",
    },
    {
        "name_zh": "林大華",
        "name_en": "Lin Ta-Hua",
        "title_zh": "執行長",
        "title_en": "Executive Director",
    },
]

REVOCATION_REASON = "證書姓名誤植，已改發正確證書。 The name was misspelt; a corrected certificate was issued."


def ensure_programmes() -> dict[str, CertificationProgramme]:
    programmes = {}
    for spec in PROGRAMMES:
        spec = dict(spec)
        course_slugs = spec.pop("required_courses", [])
        prerequisite = spec.pop("prerequisite", None)
        if prerequisite:
            spec["prerequisite"] = programmes[prerequisite]
        programme, _created = CertificationProgramme.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)
        courses = CoursePage.objects.filter(slug__in=course_slugs, locale__language_code="zh-hant")
        programme.required_courses.set(courses)
        programme.save()
        if not ProgrammeSignatory.objects.filter(programme=programme).exists():
            for signatory in SIGNATORIES:
                signatory = dict(signatory)
                seal = signatory.pop("seal", None)
                image = ContentFile(seal_image(seal), name=f"seal-{programme.slug}.png") if seal else None
                ProgrammeSignatory.objects.create(programme=programme, image=image, **signatory)
        programmes[programme.slug] = programme
    return programmes


def seal_image(characters: str) -> bytes:
    """A square red seal of four characters, read right to left in columns as Taiwanese seals are."""
    path, subfont = certificate_font_location()
    font = ImageFont.truetype(path, 86, index=subfont)
    seal = Image.new("RGBA", (220, 220), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    red = (178, 34, 34, 235)
    draw.rectangle((6, 6, 213, 213), outline=red, width=10)
    for index, character in enumerate(characters):
        column, row = divmod(index, 2)
        draw.text((155 - column * 92, 60 + row * 96), character, font=font, fill=red, anchor="mm")
    buffer = io.BytesIO()
    seal.save(buffer, "PNG")
    return buffer.getvalue()


def ensure_demo_certificates(teacher, admin, programme) -> tuple[Certificate, Certificate]:
    """A revoked certificate and the valid one that superseded it, made once."""
    existing = Certificate.objects.filter(user=teacher, programme=programme).order_by("pk")
    if not existing.exists():
        first = issue_and_complete(teacher, programme, origin=Certificate.Origin.MANUAL, by=admin)
        revoke_certificate(first, reason=REVOCATION_REASON, by=admin)
        complete_certificate(reissue_certificate(first, by=admin).pk)
    for pending in existing.filter(status=Certificate.Status.PENDING):
        complete_certificate(pending.pk)
    revoked = existing.filter(status=Certificate.Status.REVOKED).first()
    valid = existing.filter(status=Certificate.Status.ISSUED, is_current=True).first()
    return valid, revoked


def load(stdout):
    programmes = ensure_programmes()
    users = get_user_model().objects
    teacher = users.filter(email=TEACHER_EMAIL).first()
    admin = users.filter(email=ADMIN_EMAIL).first()
    stdout.write(f"Certification: {len(programmes)} programmes.")
    if teacher is None:
        return
    valid, revoked = ensure_demo_certificates(teacher, admin, programmes["beginner"])
    for label, certificate in (("valid", valid), ("revoked", revoked)):
        if certificate is not None:
            stdout.write(
                f"  {TEACHER_EMAIL} holds a {label} certificate {certificate.serial}: "
                f"verification code {certificate.grouped_verification_code}, /verify/{certificate.public_id}"
            )
