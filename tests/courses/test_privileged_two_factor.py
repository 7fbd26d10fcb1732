"""Two factors for every role that sees other people's data or acts on certificates, not only staff: trainers,
session organisers, community facilitators and the admin's groups are sent to set up an authenticator before
anything but their account pages; teachers are not; the demo accounts' authenticators count."""

import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import demo
from accounts.demo import ADMIN_EMAIL, TRAINER_EMAIL
from accounts.models import User
from lms.roles import CERTIFICATION_ADMINISTRATORS, TRAINERS
from tests.courses.factories import TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def sent_to_set_up_mfa(client, user, path):
    client.force_login(user)
    response = client.get(path)
    return response.status_code == 302 and "/accounts/mfa-required/" in response["Location"]


def test_a_trainer_of_a_course_without_mfa_cannot_download_its_learners(client, course, home_page):
    trainer = UserFactory()
    course.trainers.add(trainer)
    course.save()
    assert sent_to_set_up_mfa(client, trainer, reverse("courses:trainer_learners_csv", args=[course.pk]))
    assert sent_to_set_up_mfa(client, trainer, reverse("courses:trainer_learners", args=[course.pk]))


def test_an_organiser_without_mfa_cannot_open_the_attendance(client, home_page):
    organiser = UserFactory()
    session = TrainingSessionFactory()
    session.organisers.add(organiser)
    assert sent_to_set_up_mfa(client, organiser, reverse("courses:session_attendance", args=[session.pk]))


@pytest.mark.parametrize("group", [TRAINERS, CERTIFICATION_ADMINISTRATORS])
def test_the_admins_groups_without_mfa_reach_nothing_but_their_account(client, home_page, group):
    member = UserFactory()
    member.groups.add(Group.objects.get(name=group))
    assert sent_to_set_up_mfa(client, member, "/zh-hant/")
    assert sent_to_set_up_mfa(client, member, "/admin/")
    assert client.get("/zh-hant/accounts/2fa/").status_code in (200, 302)
    assert "mfa-required" not in client.get("/zh-hant/accounts/2fa/").get("Location", "")


def test_becoming_an_organiser_takes_effect_at_once(client, home_page):
    person = UserFactory()
    assert not sent_to_set_up_mfa(client, person, "/zh-hant/")
    TrainingSessionFactory().organisers.add(person)
    assert sent_to_set_up_mfa(client, person, "/zh-hant/")


def test_a_teacher_is_not_asked_for_a_second_factor(client, home_page):
    assert not sent_to_set_up_mfa(client, UserFactory(), "/zh-hant/")


def test_a_trainer_with_an_authenticator_works(client, course, home_page):
    trainer = UserFactory()
    course.trainers.add(trainer)
    course.save()
    TOTP.activate(trainer, generate_totp_secret())
    client.force_login(trainer)
    assert client.get(reverse("courses:trainer_learners_csv", args=[course.pk])).status_code == 200


def test_the_demo_trainer_and_administrator_keep_working(client, home_page):
    demo.load(io.StringIO())
    for email in (TRAINER_EMAIL, ADMIN_EMAIL):
        assert not sent_to_set_up_mfa(client, User.objects.get(email=email), "/zh-hant/")
