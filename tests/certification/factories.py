import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import TeacherProfile
from certification.models import CertificationProgramme
from courses.models import Attendance, Enrolment, ModuleProgress, TrainingSession
from tests.courses.factories import UserFactory


class TeacherFactory(UserFactory):
    """A teacher whose profile has everything a certificate prints."""

    profile = factory.RelatedFactory(
        "tests.certification.factories.TeacherProfileFactory", factory_related_name="user"
    )

    class Meta:
        skip_postgeneration_save = True


class TeacherProfileFactory(factory.django.DjangoModelFactory):
    name_zh = "王小明"
    name_en = "Hsiao-Ming Wang"
    school = "臺北市立建國高級中學"
    school_level = "senior_high"
    county = "taipei_city"

    class Meta:
        model = TeacherProfile
        django_get_or_create = ("user",)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    name_zh = factory.Sequence(lambda n: f"國際教育專業知能認證 {n}")
    name_en = factory.Sequence(lambda n: f"International Education Competency {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    issue_mode = CertificationProgramme.IssueMode.AUTOMATIC

    class Meta:
        model = CertificationProgramme
        skip_postgeneration_save = True

    @factory.post_generation
    def required_courses(self, create, extracted, **kwargs):
        if create and extracted:
            self.required_courses.set(extracted)
            self.save()


def complete_course(user, course, when=None):
    return Enrolment.objects.create(
        user=user, course=course, completed_at=when or timezone.now(), progress_percent=100
    )


def score_module(user, module, score):
    return ModuleProgress.objects.create(
        user=user, module=module, course=module.get_parent().specific, status="completed", best_score=Decimal(score)
    )


def attend(user, kind="workshop", hours="3", when=None):
    start = when or timezone.now() - datetime.timedelta(days=1)
    session = TrainingSession.objects.create(
        kind=kind, title=f"{kind} session", starts_at=start, ends_at=start + datetime.timedelta(hours=3), hours=hours
    )
    return Attendance.objects.create(session=session, user=user, method="list")
