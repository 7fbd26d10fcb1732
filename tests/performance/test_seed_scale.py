"""`seed_scale` at a thousandth of the national size: the counts, and the pages people use render on that data."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from certification.models import Certificate, SerialCounter
from courses.models import CoursePage, Enrolment, ModulePage, ModuleProgress
from lms.scale import FULL_SIZE, Sizes, scale_teachers, teacher_email

SCALE = 0.001


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
