import factory
from django.utils import timezone

from resources.choices import Status
from resources.models import Resource
from tests.accounts.factories import TeacherProfileFactory, UserFactory


class TeacherFactory(UserFactory):
    profile = factory.RelatedFactory(TeacherProfileFactory, factory_related_name="user")


class ResourceFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"國際教育教案 {n}")
    summary = "以姊妹校交流認識他國文化的兩節課教案。"
    kind = "lesson_plan"
    url = "https://example.org/plan"
    school_level = "junior_high"
    subject_domain = "social_studies"
    theme = "intercultural"
    language = "zh"
    duration_minutes = 90
    licence = "cc-by-sa-4.0"
    author = factory.SubFactory(TeacherFactory)
    status = Status.DRAFT
    accepted_at = factory.LazyAttribute(
        lambda resource: timezone.now() if resource.status == Status.ACCEPTED else None
    )

    class Meta:
        model = Resource
