"""Trainers keep the question bank in the Wagtail admin: import, export, authorship and history."""

from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Question, QuestionCategory
from lms.roles import TRAINERS, sync_roles
from tests.assessments import factories
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db
FIXTURE = Path("/work/shared/moodle-xml/nested_categories_with_questions.xml")


@pytest.fixture
def trainer(db):
    sync_roles()
    trainer = UserFactory(email="bank-trainer@school.example.tw")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    # Staff must use a second factor to reach the admin.
    TOTP.activate(trainer, generate_totp_secret())
    return trainer


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def upload(client, data, file_format="moodle_xml", name="questions.xml"):
    return client.post(
        reverse("assessments_import"),
        {"file": SimpleUploadedFile(name, data), "file_format": file_format},
    )


@pytest.mark.skipif(not FIXTURE.exists(), reason="the shared Moodle XML fixture is not on this machine")
def test_a_trainer_imports_the_moodle_file_and_becomes_its_author(trainer_client, trainer):
    response = upload(trainer_client, FIXTURE.read_bytes())
    assert response.status_code == 200
    assert "Kappa Essay Question" in response.content.decode()
    assert Question.objects.count() == 5
    assert set(Question.objects.values_list("author", flat=True)) == {trainer.pk}
    question = Question.objects.get(name="Iota Question")
    assert question.revisions.get().user == trainer


def test_a_hostile_upload_lists_its_problems_and_imports_nothing(trainer_client):
    response = upload(trainer_client, b'<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>')
    assert response.status_code == 200
    assert "DTD" in response.content.decode()
    assert not Question.objects.exists()


def test_gift_upload(trainer_client):
    upload(trainer_client, "::甲::臺灣在亞洲。{T}".encode(), file_format="gift", name="q.gift")
    assert Question.objects.get().true_is_correct is True


def test_export_downloads_moodle_xml_of_a_category_and_its_children(trainer_client):
    parent = factories.CategoryFactory(name_en="Parent")
    child = factories.CategoryFactory(name_en="Child", parent=parent)
    factories.single_choice(parent, name="Top question")
    factories.cloze(child, name="Child cloze")
    response = trainer_client.get(reverse("assessments_export", args=[parent.pk]))
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert "Top question" in body and "Child cloze" in body and "$course$/Parent/Child" in body


def test_teachers_reach_neither_import_nor_export(client):
    client.force_login(UserFactory())
    category = factories.CategoryFactory()
    assert client.get(reverse("assessments_import")).status_code in (302, 403)
    assert client.get(reverse("assessments_export", args=[category.pk])).status_code in (302, 403)


def test_the_bank_listings_and_question_form_open_for_a_trainer(trainer_client):
    factories.matching(name="Listed question")
    for name in ("question", "questioncategory", "quiz"):
        response = trainer_client.get(reverse(f"wagtailsnippets_assessments_{name}:list"))
        assert response.status_code == 200
    assert (
        "Listed question" in trainer_client.get(reverse("wagtailsnippets_assessments_question:list")).content.decode()
    )
    assert trainer_client.get(reverse("wagtailsnippets_assessments_question:add")).status_code == 200
    assert QuestionCategory.objects.exists()
