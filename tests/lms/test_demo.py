"""The demo as a newcomer meets it: the demo teacher's dashboard agrees with the certificate they hold, and a few
hundred synthetic teachers give the admin's charts a year of activity."""

import io

import pytest
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext

from accounts import demo as accounts_demo
from accounts.models import User
from accounts.scale import scale_teachers
from certification import demo as certification_demo
from certification.models import Certificate, CertificationProgramme
from certification.registry.eligibility import evaluate_eligibility
from community.models import CommunityPage
from courses import demo as courses_demo
from courses.models import CoursePage, Enrolment
from home import demo as home_demo
from lms import demo
from resources.models import Resource
from tests.certification.conftest import platform_pki  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site(locales, django_capture_on_commit_callbacks, platform_pki):  # noqa: F811
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        for module in (accounts_demo, home_demo, courses_demo, certification_demo, demo):
            module.load(out)
    return out.getvalue()


def test_the_demo_teacher_meets_the_requirements_of_the_certificate_they_hold(demo_site, client):
    teacher = User.objects.get(email=accounts_demo.TEACHER_EMAIL)
    beginner = CertificationProgramme.objects.get(slug="beginner")
    assert Certificate.objects.filter(user=teacher, programme=beginner, status="issued", is_current=True).exists()
    eligibility = evaluate_eligibility(teacher, beginner)
    assert eligibility.eligible, [(r.label, r.detail) for r in eligibility.requirements if not r.met]
    client.force_login(teacher)
    html = client.get("/zh-hant/learning/").content.decode()
    beginner_card = html[html.index(beginner.name_zh) : html.index(beginner.name_zh) + 3000].split("</div>")[0]
    assert "證書" in beginner_card and 'class="not-met"' not in beginner_card
    assert "held-under-earlier-rules" not in beginner_card


def test_synthetic_teachers_fill_a_year_and_the_demo_programmes_and_loading_again_adds_nothing(demo_site):
    assert "Synthetic activity: 300 teachers" in demo_site
    assert scale_teachers().count() == 300
    months = set(
        Enrolment.objects.filter(user__in=scale_teachers())
        .annotate(month=TruncMonth("enrolled_at"))
        .values_list("month", flat=True)
    )
    assert len(months) == demo.MONTHS
    # The seeder's test programmes are gone; their certificates count for the demo's own programmes.
    assert set(CertificationProgramme.objects.values_list("slug", flat=True)) == {"beginner", "advanced", "community"}
    synthetic = Certificate.objects.filter(user__in=scale_teachers())
    assert synthetic.filter(programme__slug="beginner").count() == 300
    assert synthetic.filter(programme__slug="advanced").count() == 150
    assert not synthetic.exclude(programme_name_zh__startswith="國際教育專業知能認證").exists()
    counts = (Certificate.objects.count(), Enrolment.objects.count())
    out = io.StringIO()
    demo.load(out)
    assert "already there" in out.getvalue()
    assert (Certificate.objects.count(), Enrolment.objects.count()) == counts


def test_every_synthetic_advanced_holder_meets_the_accepted_resource_requirement(demo_site):
    advanced = CertificationProgramme.objects.get(slug="advanced")
    assert advanced.minimum_accepted_resources == 1
    # Every synthetic teacher with an Advanced certificate, whatever its state (a few were revoked or are pending).
    holders = scale_teachers().filter(certificates__programme=advanced).distinct()
    assert holders.count() == 150
    for holder in holders:
        assert Resource.objects.public().by(holder).exists(), holder.email
    # The requirement as eligibility reads it, for one holder who got a resource as co-author.
    co_author = holders.exclude(authored_resources__status="accepted").first()
    assert co_author is not None
    requirements = evaluate_eligibility(co_author, advanced).requirements
    requirement = next(r for r in requirements if str(r.label) == gettext("Teaching resources accepted"))
    assert requirement.met and requirement.current == 1


def test_the_catalogue_shows_no_test_course_and_the_community_has_a_real_name(demo_site, client):
    catalogue = client.get("/zh-hant/courses/").content.decode()
    assert "全國規模測試課程" not in catalogue and "國際教育課程 0" not in catalogue
    assert "A test course" not in client.get("/en/courses/").content.decode()
    # The seeded courses stay, as past cohorts, for the reports' enrolments.
    past = CoursePage.objects.filter(slug__startswith="scale-course-", locale__language_code="zh-hant")
    assert past.exists() and not past.filter(live=True).exists()
    assert all(page.title.startswith("國際教育線上課程") for page in past)
    assert Enrolment.objects.filter(course__in=past).exists()
    community = CommunityPage.objects.get(slug="scale-community-0", locale__language_code="en")
    assert community.live and community.title.startswith("Cross-school international education community")
