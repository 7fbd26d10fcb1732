import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone

from accounts.models import User
from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    ModulePage,
    Registration,
    TrainingSession,
    WorkshopIndexPage,
    WorkshopPage,
)


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"teacher{n}@school.example.tw")
    username = factory.Sequence(lambda n: f"teacher{n}")

    class Meta:
        model = User


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    title = "認證課程"
    slug = "courses"

    class Meta:
        model = CourseIndexPage


class CoursePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"國際教育課程 {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "認識國際教育的核心概念。"
    competency_area = "concepts"
    level = "beginner"
    study_hours = Decimal("6")

    class Meta:
        model = CoursePage


class ModulePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"單元 {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    estimated_minutes = 20

    class Meta:
        model = ModulePage


class WorkshopIndexPageFactory(wagtail_factories.PageFactory):
    title = "研習與工作坊"
    slug = "workshops"

    class Meta:
        model = WorkshopIndexPage


class WorkshopPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"國際教育工作坊 {n}")
    slug = factory.Sequence(lambda n: f"workshop-{n}")
    summary = "實作國際教育課程設計。"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    hours = Decimal("3")
    capacity = 2
    place = "臺北市中正區"

    class Meta:
        model = WorkshopPage


class EnrolmentFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    course = None

    class Meta:
        model = Enrolment


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    kind = TrainingSession.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"研習場次 {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    hours = Decimal("2")
    capacity = None

    class Meta:
        model = TrainingSession


class RegistrationFactory(factory.django.DjangoModelFactory):
    session = factory.SubFactory(TrainingSessionFactory)
    user = factory.SubFactory(UserFactory)

    class Meta:
        model = Registration
