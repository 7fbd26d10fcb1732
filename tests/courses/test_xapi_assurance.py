"""What a completion proves, on the real packages in ../shared/h5p/: a forged completion is only *reported* and
satisfies no rule that needs more; a forged score of every type the server re-scores is flagged and not counted."""

import pytest
from django.core.exceptions import ValidationError

from courses.choices import Assurance
from courses.h5p.scoring import find_sub_content
from courses.models import H5PAttempt, H5PPackage, ModuleProgress, XAPIStatement

from .factories import EnrolmentFactory, UserFactory
from .h5p_packages import REAL_PACKAGES_DIR
from .test_xapi import client_for, module_with, post, statement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not REAL_PACKAGES_DIR.is_dir(), reason=f"the real H5P packages are not at {REAL_PACKAGES_DIR}"),
]


def real(name):
    with (REAL_PACKAGES_DIR / name).open("rb") as upload:
        return H5PPackage.from_upload(upload)


@pytest.fixture
def learner(course):
    learner = UserFactory()
    EnrolmentFactory(user=learner, course=course)
    return learner


@pytest.fixture
def true_false(db):
    return real("H5P.TrueFalse-h5p-standalone-test.h5p")  # the right answer is "false"


@pytest.fixture
def drag_text(db):
    return real("H5P.DragText.h5p")  # blue, red, orange


@pytest.fixture
def multi_choice(db):
    return real("H5P.MultiChoice.h5p")  # the first of three answers is right


@pytest.fixture
def column(db):
    return real("H5P.Column-interactive-content-2260.h5p")


def forged_completion(package):
    """The issue's forgery: ``completed`` with ``result.completion`` and no score, posted by a script."""
    body = statement(package, "completed", completion=True)
    del body["context"]  # a script sends no more than it must
    return body


def progress_of(learner, module):
    return ModuleProgress.objects.filter(user=learner, module=module).first()


class TestForgedCompletion:
    def test_is_only_reported_and_does_not_pass_a_pass_mark(self, course, learner, true_false):
        module = module_with(course, true_false, rule="h5p_passed", pass_mark=50)
        response = post(client_for(learner), module, true_false, forged_completion(true_false))
        assert response.status_code == 201
        attempt = H5PAttempt.objects.get(user=learner, module=module)
        assert attempt.completed and attempt.assurance == Assurance.REPORTED
        assert XAPIStatement.objects.get().assurance == Assurance.REPORTED
        assert not progress_of(learner, module).is_completed

    def test_completes_a_completion_rule_at_the_reported_level_only(self, course, learner, true_false):
        module = module_with(course, true_false, rule="h5p_completed")
        post(client_for(learner), module, true_false, forged_completion(true_false))
        progress = progress_of(learner, module)
        assert progress.is_completed and progress.assurance == Assurance.REPORTED

    def test_a_checked_answer_raises_the_level(self, course, learner, true_false):
        module = module_with(course, true_false, rule="h5p_completed")
        client = client_for(learner)
        post(client, module, true_false, forged_completion(true_false))
        post(client, module, true_false, statement(true_false, "answered", "", (1, 1), "false", completion=True))
        assert progress_of(learner, module).assurance == Assurance.CHECKED


# (package fixture, sub-content library or "", honest response and score, forged response and claimed score)
SCORED = {
    "TrueFalse": ("true_false", "", ("false", (1, 1)), ("true", (1, 1))),
    "MultiChoice": ("multi_choice", "", ("0", (1, 1)), ("2", (1, 1))),
    "DragText": ("drag_text", "", ("blue[,]red[,]orange", (3, 3)), ("orange[,]red[,]blue", (3, 3))),
    "DragText, two zones empty": ("drag_text", "", ("blue[,][,]", (1, 3)), ("blue[,][,]", (3, 3))),
    "Blanks in a Column": (
        "column",
        "H5P.Blanks",
        ("65[,]5[,]25", (3, 3)),
        ("65[,]6[,]24", (3, 3)),
    ),
}


def target(package, library):
    """The sub-content id of the first ``library`` element of the package ("" for the package itself)."""
    if not library:
        return ""
    blanks = [
        element["content"]
        for element in package.content_json["content"]
        if element["content"]["library"].startswith(library)
    ]
    # The second Blanks of the Column is the one with the answers 65, 5, 25.
    node = blanks[-1]
    assert find_sub_content(package.content_json, node["subContentId"]) is node
    return node["subContentId"]


@pytest.mark.parametrize("case", list(SCORED))
def test_honest_score_is_checked_and_forged_score_is_flagged(request, course, learner, case):
    fixture, library, (honest, honest_score), (forged, forged_score) = SCORED[case]
    package = request.getfixturevalue(fixture)
    module = module_with(course, package, rule="h5p_completed")
    part = target(package, library)
    client = client_for(learner)
    completion = None if part else True
    body = statement(package, "answered", part, honest_score, honest, completion=completion)
    assert post(client, module, package, body).json() == {"stored": True, "flagged": False}
    assert XAPIStatement.objects.get(statement_id=body["id"]).assurance == Assurance.CHECKED
    body = statement(package, "answered", part, forged_score, forged, completion=completion)
    assert post(client, module, package, body).json() == {"stored": True, "flagged": True}
    stored = XAPIStatement.objects.get(statement_id=body["id"])
    assert stored.flagged and stored.assurance == Assurance.REPORTED and "/" in stored.flag_reason
    if not part:
        # The forged attempt is flagged and counts for nothing.
        forged_attempt = H5PAttempt.objects.get(statements__statement_id=body["id"])
        assert forged_attempt.flagged


def test_a_word_the_activity_does_not_offer_is_impossible(course, learner, drag_text):
    module = module_with(course, drag_text, rule="h5p_completed")
    body = statement(drag_text, "answered", "", (3, 3), "blue[,]blue[,]orange", completion=True)
    assert post(client_for(learner), module, drag_text, body).json()["flagged"] is True
    assert "the response places a word the activity does not offer" in XAPIStatement.objects.get().flag_reason


class TestPassMarkNeedsRescoring:
    def test_refused_for_a_type_the_server_cannot_rescore(self, course, column, english):
        module = module_with(course, column, rule="h5p_completed")
        module.completion_rule = "h5p_passed"
        with pytest.raises(ValidationError) as refused:
            module.full_clean()
        message = " ".join(refused.value.message_dict["completion_rule"])
        assert "cannot re-score" in message and "H5P.Column" in message and "H5P.DragText" in message

    @pytest.mark.parametrize("fixture", ["true_false", "multi_choice", "drag_text"])
    def test_allowed_for_a_type_the_server_rescores(self, request, course, fixture):
        module = module_with(course, request.getfixturevalue(fixture), rule="h5p_completed")
        module.completion_rule = "h5p_passed"
        module.full_clean()
