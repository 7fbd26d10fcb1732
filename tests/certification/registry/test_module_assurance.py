"""A programme names modules and what their completion must prove; a completion the browser only reported (the
forged ``completed`` statement of issue 14) does not meet a requirement for a checked score."""

import pytest
from django.urls import reverse
from django.utils import translation

from certification.models import ModuleRequirement
from certification.registry.eligibility import Kind, evaluate_eligibility
from courses.choices import Assurance
from courses.models import ModuleProgress
from tests.certification.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(courses):
    return courses[0].modules().first()


@pytest.fixture
def programme(module):
    programme = ProgrammeFactory()
    ModuleRequirement.objects.create(programme=programme, module=module, assurance=Assurance.CHECKED)
    return programme


def complete(teacher, module, level):
    return ModuleProgress.objects.update_or_create(
        user=teacher,
        module=module,
        defaults={"course": module.get_parent().specific, "status": "completed", "assurance": level},
    )


def module_requirement(teacher, programme):
    with translation.override("en"):
        eligibility = evaluate_eligibility(teacher, programme)
    return next(item for item in eligibility.requirements if item.kind == Kind.MODULE), eligibility


def test_not_completed(teacher, programme, module):
    needed, eligibility = module_requirement(teacher, programme)
    assert not needed.met and not eligibility.eligible
    assert needed.label == f"Module: {module.title}"
    assert needed.detail == "Not completed yet; needs: Score checked by the server"


def test_a_reported_completion_does_not_meet_a_checked_requirement(teacher, programme, module):
    complete(teacher, module, Assurance.REPORTED)
    needed, eligibility = module_requirement(teacher, programme)
    assert not needed.met and not eligibility.eligible
    assert needed.detail == "Completed: Reported by the activity; needs: Score checked by the server"


@pytest.mark.parametrize("level", [Assurance.CHECKED, Assurance.ASSESSED])
def test_a_checked_or_assessed_completion_meets_it(teacher, programme, module, level):
    complete(teacher, module, level)
    needed, eligibility = module_requirement(teacher, programme)
    assert needed.met and eligibility.eligible


def test_the_checklist_shows_the_level(client, home_page, teacher, programme, module):
    complete(teacher, module, Assurance.REPORTED)
    client.force_login(teacher)
    body = client.get(reverse("certification:programme_detail", args=[programme.slug])).content.decode()
    assert module.title in body
    assert "回報" in body or "Reported by the activity" in body
