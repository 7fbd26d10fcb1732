"""`seed_scale` at a thousandth of the national size: the counts, the pages people use render on that data, the
bulk-inserted page tree is sound and editable, and a failed run leaves nothing behind."""

import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.db.models import F
from django.urls import reverse
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from accounts.models import User
from accounts.scale import scale_teachers, teacher_email
from certification.models import Certificate, SerialCounter
from community.models import CommunityPage
from courses.choices import CompetencyArea, CourseLevel
from courses.models import CourseIndexPage, CoursePage, Enrolment, ModulePage, ModuleProgress, XAPIStatement
from lms.management.commands.seed_scale import FULL_SIZE, Sizes

SCALE = 0.001
COURSE_CHOICES = {"competency_area": CompetencyArea.values[0], "level": CourseLevel.BEGINNER, "study_hours": 2}


@pytest.fixture
def seeded(db, home_page):
    out = io.StringIO()
    call_command("seed_scale", scale=SCALE, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sizes_follow_the_scale_and_keep_the_shape():
    assert Sizes.at(1) == Sizes(**FULL_SIZE)
    tiny = Sizes.at(0.00001)
    assert tiny.courses == 2 and tiny.teachers == 10 and tiny.experts == 1
    # Never more than one current certificate per teacher and programme (there are two programmes).
    assert tiny.certificates <= 2 * tiny.teachers


@pytest.mark.parametrize("scale", ["0", "-1", "1.5"])
def test_a_scale_outside_0_to_1_is_refused(db, scale):
    with pytest.raises(CommandError):
        call_command("seed_scale", f"--scale={scale}", stdout=io.StringIO(), stderr=io.StringIO())
    assert not scale_teachers().exists()


def test_counts_at_a_thousandth(seeded):
    sizes = Sizes.at(SCALE)
    assert scale_teachers().count() == sizes.teachers == 200
    assert ModuleProgress.objects.count() == sizes.module_progress == 2000
    assert Enrolment.objects.count() == sizes.enrolments
    assert Certificate.objects.count() == sizes.certificates == 300
    assert "teachers: 200" in seeded and "Seeded at scale 0.001 in" in seeded
    # Every zh-Hant course and module has its English translation.
    assert CoursePage.objects.filter(locale__language_code="en", slug__startswith="scale-").count() == sizes.courses
    assert ModulePage.objects.count() == 2 * sizes.courses * 8
    # The serial counter continues after the seeded certificates, so the next issue does not collide.
    serials = set(Certificate.objects.values_list("serial", flat=True))
    assert len(serials) == 300
    counter = SerialCounter.objects.get()
    assert max(int(serial.rsplit("-", 1)[1]) for serial in serials) == counter.last_number
    # A certificate carries its holder's name as the profile gives it.
    assert not Certificate.objects.exclude(holder_name_zh=F("user__teacher_profile__name_zh")).exists()


def test_a_second_seed_is_refused(seeded):
    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_scale", scale=SCALE, stdout=io.StringIO(), stderr=io.StringIO())
    assert scale_teachers().count() == 200


def test_pages_render_with_the_seeded_data(seeded, client):
    course = CoursePage.objects.filter(slug__startswith="scale-", locale__language_code="zh-hant").first()
    response = client.get(course.url)
    assert response.status_code == 200
    assert course.title in response.text

    module = course.get_children().live().specific().first()
    teacher = scale_teachers().get(email=teacher_email(0))
    client.force_login(teacher)
    assert client.get(module.url).status_code == 200

    dashboard = client.get(reverse("courses:dashboard"))
    assert dashboard.status_code == 200
    titles = {enrolment.course.title for enrolment in Enrolment.objects.filter(user=teacher).select_related("course")}
    assert titles and all(title in dashboard.text for title in titles)

    client.logout()
    certificate = Certificate.objects.filter(status="issued").first()
    verified = client.get(reverse("certification:verify"), {"code": certificate.verification_code})
    assert verified.status_code == 200
    assert certificate.serial in verified.text
    revoked = Certificate.objects.filter(status="revoked").first()
    page = client.get(reverse("certification:verify_certificate", kwargs={"public_id": revoked.public_id}))
    assert page.status_code == 200 and revoked.serial in page.text


def test_the_page_tree_is_sound(seeded, capsys):
    """Bulk-inserted pages hold the paths, depths and child counts treebeard and Wagtail would have given them."""
    assert all(not problems for problems in Page.find_problems())
    call_command("fixtree")
    assert "No problems found" in capsys.readouterr().out
    catalogue = CourseIndexPage.objects.get(locale__language_code="zh-hant")
    courses = CoursePage.objects.child_of(catalogue).filter(slug__startswith="scale-")
    assert courses.count() == Sizes.at(SCALE).courses == catalogue.numchild
    course = courses.first()
    assert course.url_path == f"{catalogue.url_path}{course.slug}/"
    assert [page.slug for page in course.get_children()] == [f"module-{number}" for number in range(8)]
    english = course.get_translation(Locale.objects.get(language_code="en"))
    assert english.title.startswith("International education course")
    assert english.get_children().count() == 8
    # Siblings added the ordinary way land after the seeded ones.
    added = catalogue.add_child(instance=CoursePage(title="新課程", slug="added", summary="s", **COURSE_CHOICES))
    assert added.path > courses.last().path
    assert not any(Page.find_problems())


def test_seeded_pages_are_indexed_for_search_and_references(seeded):
    module = ModulePage.objects.filter(locale__language_code="en").first()
    package = module.body[-1].value["package"]
    references = ReferenceIndex.get_references_to(package)
    assert references.count() == ModulePage.objects.count()
    copied = set(ReferenceIndex.get_references_for_object(module).values_list("content_path", "to_object_id"))
    ReferenceIndex.create_or_update_for_object(module)
    assert set(ReferenceIndex.get_references_for_object(module).values_list("content_path", "to_object_id")) == copied
    # Only the English course pages have "international" in their title.
    assert CoursePage.objects.live().search("international").count() == Sizes.at(SCALE).courses


def test_a_seeded_page_can_be_edited_and_published_in_the_admin(seeded, client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    catalogue = CourseIndexPage.objects.get(locale__language_code="zh-hant")
    explorer = client.get(reverse("wagtailadmin_explore", args=[catalogue.pk]))
    assert explorer.status_code == 200 and "國際教育課程 0" in explorer.text
    module = ModulePage.objects.filter(locale__language_code="zh-hant").first()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).status_code == 200

    community = CommunityPage.objects.filter(slug="scale-community-0", locale__language_code="zh-hant").get()
    data = nested_form_data(
        {
            "title": "改名後的社群",
            "slug": community.slug,
            "description": community.description,
            "region": community.region,
            "school_level": community.school_level,
            "focus_area": community.focus_area,
            "meeting_pattern": community.meeting_pattern,
            "resources": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[community.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    community.refresh_from_db()
    assert community.title == "改名後的社群" and community.live_revision is not None
    assert "改名後的社群" in client.get(community.url).text
    assert not any(Page.find_problems())


def test_loading_keeps_every_index_and_constraint(db, home_page):
    tables = [model._meta.db_table for model in (User, ModuleProgress, Enrolment, XAPIStatement, Certificate)]

    def constraints():
        with connection.cursor() as cursor:
            return {table: connection.introspection.get_constraints(cursor, table) for table in tables}

    before = constraints()
    call_command("seed_scale", scale=SCALE, stdout=io.StringIO(), stderr=io.StringIO())
    assert constraints() == before


def test_a_failed_run_leaves_nothing_and_can_run_again(db, home_page, capsys):
    # An account whose user name is a seeded teacher's, under another e-mail address: the teachers' insert fails
    # after the course pages went in.
    squatter = User.objects.create_user(teacher_email(5), "someone@example.org", "x")
    pages = Page.objects.count()
    with pytest.raises(IntegrityError):
        call_command("seed_scale", scale=SCALE, stdout=io.StringIO(), stderr=io.StringIO())
    assert Page.objects.count() == pages and not scale_teachers().exists()
    assert not Certificate.objects.exists() and not ModuleProgress.objects.exists()

    squatter.delete()
    out = io.StringIO()
    call_command("seed_scale", scale=SCALE, stdout=out, stderr=io.StringIO())
    assert scale_teachers().count() == 200
    assert not any(Page.find_problems())
    table = out.getvalue()
    assert "certificates" in table and "COMMIT" in table and "total" in table
