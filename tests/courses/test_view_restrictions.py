"""A course restricted to a group (a Wagtail view restriction) is closed to everyone else: enrolling by its id,
and posting statements for it, including by a learner enrolled before the restriction was added."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.enrolment import EnrolmentRefused, enrol
from courses.models import Enrolment, XAPIStatement

from .factories import EnrolmentFactory, UserFactory
from .test_xapi import QUIZ, client_for, module_with, post, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return Group.objects.create(name="臺北市國際教育種子教師")


def restrict(page, group):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return restriction


def test_a_teacher_outside_the_group_cannot_enrol_by_id(client, course, group, english):
    restrict(course, group)
    outsider = UserFactory()
    client.force_login(outsider)
    client.post(reverse("courses:enrol", args=[course.pk]))
    assert not Enrolment.objects.filter(user=outsider).exists()
    with pytest.raises(EnrolmentRefused, match="some groups"):
        enrol(outsider, course)


def test_a_member_of_the_group_enrols(course, group):
    restrict(course, group)
    member = UserFactory()
    member.groups.add(group)
    assert enrol(member, course).status == Enrolment.Status.ACTIVE


def test_a_restriction_on_an_ancestor_counts(course, course_index, group):
    restrict(course_index, group)
    with pytest.raises(EnrolmentRefused):
        enrol(UserFactory(), course)


def test_a_shared_password_keeps_out_enrolment_outside_a_browser_session(course):
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.PASSWORD, password="x")
    with pytest.raises(EnrolmentRefused):
        enrol(UserFactory(), course)


def test_statements_are_refused_once_the_course_is_restricted(course, group):
    from django.core.files.base import ContentFile

    from courses.h5p.demo import build_quiz_package
    from courses.models import H5PPackage

    package = H5PPackage.from_upload(ContentFile(build_quiz_package(QUIZ), name="quiz.h5p"))
    module = module_with(course, package)
    learner = UserFactory()
    EnrolmentFactory(user=learner, course=course)
    client = client_for(learner)
    assert post(client, module, package, statement(package, "answered", "q1", (1, 1), "0")).status_code == 201
    restrict(course, group)
    response = post(client, module, package, statement(package, "answered", "q1", (1, 1), "0"))
    assert response.status_code == 403 and XAPIStatement.objects.count() == 1
