import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone

from accounts.models import TeacherProfile, User
from community.models import CommunityIndexPage, CommunityPage, CommunitySession, Expert, ExpertIndexPage
from courses.models import TrainingSession


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"member{n}@school.example.tw")
    username = factory.Sequence(lambda n: f"member{n}")

    class Meta:
        model = User


class TeacherProfileFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    name_zh = factory.Sequence(lambda n: f"林老師{n}")
    name_en = factory.Sequence(lambda n: f"Teacher Lin {n}")
    school = "臺中市立忠明高級中學"
    school_level = "senior_high"
    county = "taichung_city"

    class Meta:
        model = TeacherProfile
        django_get_or_create = ("user",)


class CommunityIndexPageFactory(wagtail_factories.PageFactory):
    title = "專業社群"
    slug = "communities"

    class Meta:
        model = CommunityIndexPage


class CommunityPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"國際教育社群 {n}")
    description = "一起設計國際教育課程。"
    region = "taichung_city"
    school_level = "senior_high"
    focus_area = "curriculum"

    class Meta:
        model = CommunityPage


class ExpertIndexPageFactory(wagtail_factories.PageFactory):
    title = "專家資料庫"
    slug = "experts"

    class Meta:
        model = ExpertIndexPage


class ExpertFactory(factory.django.DjangoModelFactory):
    name_zh = factory.Sequence(lambda n: f"專家{n}")
    name_en = factory.Sequence(lambda n: f"Expert {n}")
    title_zh = "教授"
    title_en = "Professor"
    organisation_zh = "國立示範大學"
    organisation_en = "National Demonstration University"
    expertise = factory.LazyFunction(lambda: ["concepts"])
    languages = factory.LazyFunction(lambda: ["zh"])
    regions = factory.LazyFunction(lambda: ["taipei_city"])
    availability = factory.LazyFunction(lambda: ["speaker"])
    bio_zh = "長期投入國際教育。"
    bio_en = "Works in international education."
    email = factory.Sequence(lambda n: f"expert{n}@university.example.tw")
    phone = "02-2345-6789"

    class Meta:
        model = Expert


def community_session(community, *, days_from_now=7, hours="2", title="社群聚會"):
    starts_at = timezone.now() + datetime.timedelta(days=days_from_now)
    training = TrainingSession.objects.create(
        kind=TrainingSession.Kind.COMMUNITY,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        hours=Decimal(hours),
    )
    return CommunitySession.objects.create(community=community, training_session=training, place="會議室")
