"""A programme may ask for accepted teaching resources (the Advanced certificate asks for one, for example)."""

import pytest
from django.urls import reverse
from django.utils import translation

from certification.models import Certificate
from certification.registry.eligibility import Kind, evaluate_eligibility
from resources.choices import Status
from tests.certification.conftest import platform_pki  # noqa: F401
from tests.certification.factories import ProgrammeFactory

from .factories import ResourceFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def resources_requirement(teacher, programme):
    return next(item for item in evaluate_eligibility(teacher, programme).requirements if item.kind == Kind.RESOURCES)


@translation.override("en")
def test_accepted_resources_count_for_authors_and_co_authors(teacher):
    programme = ProgrammeFactory(minimum_accepted_resources=2)
    assert resources_requirement(teacher, programme).detail == "0 of 2 resources"
    ResourceFactory(author=teacher, status=Status.ACCEPTED)
    for status in (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.DECLINED):
        ResourceFactory(author=teacher, status=status)
    requirement = resources_requirement(teacher, programme)
    assert (requirement.current, requirement.met) == (1, False)
    shared = ResourceFactory(author=TeacherFactory(), status=Status.ACCEPTED)
    shared.co_authors.add(teacher)
    requirement = resources_requirement(teacher, programme)
    assert (requirement.current, requirement.met, requirement.detail) == (2, True, "2 of 2 resources")
    assert evaluate_eligibility(teacher, programme).eligible


def test_a_programme_without_the_requirement_does_not_list_it(teacher):
    programme = ProgrammeFactory()
    assert all(item.kind != Kind.RESOURCES for item in evaluate_eligibility(teacher, programme).requirements)


def test_acceptance_issues_an_automatic_certificate(client, teacher, reviewer, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(minimum_accepted_resources=1)
    resource = ResourceFactory(author=teacher, status=Status.SUBMITTED)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("resources:review", args=[resource.pk]), {"action": "accept"})
    certificate = Certificate.objects.get(user=teacher, programme=programme)
    assert certificate.origin == Certificate.Origin.AUTOMATIC


def test_the_programme_page_states_the_requirement(client, home_page):
    programme = ProgrammeFactory(minimum_accepted_resources=1)
    with translation.override("en"):
        url = reverse("certification:programme_detail", args=[programme.slug])
    page = client.get(url).content.decode()
    assert "Share at least 1 teaching resource that reviewers accept" in page
    assert 'href="/en/resources/new/"' in page
