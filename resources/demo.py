"""Demo teaching resources: the demo teacher's lesson plan, accepted by review and public.

It is what the Advanced programme's "one accepted resource" asks of the demo teacher (met, while the programme's
courses are still to do), and what the exchange's list, the teacher's profile and the site search show first.
Idempotent: found by its author and title.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.choices import SchoolLevel
from accounts.demo import TEACHER_EMAIL

from .choices import ResourceKind, ResourceLanguage, Status, SubjectDomain, Theme
from .licences import Licence
from .models import Resource

LESSON_PLAN = {
    "title": "姊妹校視訊交流：介紹臺灣的節慶",
    "summary": "國小五、六年級兩節課的教案：學生分組準備臺灣節慶的簡報，與日本姊妹校視訊交流，"
    "再以學習單整理兩地節慶的異同。附評量規準。",
    "kind": ResourceKind.LINK,
    "url": "https://www.ietw.moe.gov.tw/",
    "school_level": SchoolLevel.ELEMENTARY,
    "subject_domain": SubjectDomain.SOCIAL_STUDIES,
    "theme": Theme.EXCHANGE,
    "language": ResourceLanguage.MANDARIN,
    "duration_minutes": 80,
    "licence": Licence.CC_BY_SA,
}


def load(stdout):
    teacher = get_user_model().objects.filter(email=TEACHER_EMAIL).first()
    if teacher is None:
        return
    now = timezone.now()
    resource, created = Resource.objects.get_or_create(
        author=teacher,
        title=LESSON_PLAN["title"],
        defaults={**LESSON_PLAN, "status": Status.ACCEPTED, "submitted_at": now, "accepted_at": now},
    )
    stdout.write(
        f"Resources: {TEACHER_EMAIL}'s accepted lesson plan “{resource.title}” ({'made' if created else 'there'})."
    )
