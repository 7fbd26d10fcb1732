"""The xAPI intake: real statements for real packages count; forged, foreign, malformed or excessive ones do not."""

import json
import uuid

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses import xapi
from courses.enrolment import unenrol
from courses.h5p.demo import build_quiz_package
from courses.h5p.player import ACTIVITY_PATH
from courses.models import Enrolment, H5PAttempt, H5PPackage, ModuleProgress, XAPIStatement
from courses.signals import progress_changed

from .factories import CoursePageFactory, EnrolmentFactory, ModulePageFactory, UserFactory
from .h5p_packages import REAL_PACKAGES_DIR

MULTICHOICE = REAL_PACKAGES_DIR / "H5P.MultiChoice.h5p"
ADL = "http://adlnet.gov/expapi/verbs/"
URL = "/zh-hant/learning/xapi/"

QUIZ = {
    "title": "國際教育小測驗",
    "passPercentage": 60,
    "questions": [
        {
            "id": "q1",
            "text": "白皮書 2.0 的願景？",
            "answers": [{"text": "接軌國際", "correct": True}, {"text": "升學", "correct": False}],
        },
        {
            "id": "q2",
            "text": "國際教育的對象？",
            "answers": [
                {"text": "學生", "correct": True},
                {"text": "教師", "correct": True},
                {"text": "無", "correct": False},
            ],
        },
    ],
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def module_with(course, package, rule="h5p_passed", pass_mark=100):
    module = ModulePageFactory(parent=course, pass_mark=pass_mark)
    module.body = [("h5p", {"package": package, "title": ""})]
    module.completion_rule = rule
    module.save_revision().publish()
    module.refresh_from_db()
    return module


@pytest.fixture
def quiz_package(db):
    return H5PPackage.from_upload(ContentFile(build_quiz_package(QUIZ), name="quiz.h5p"))


@pytest.fixture
def quiz_module(course, quiz_package):
    return module_with(course, quiz_package)


@pytest.fixture
def learner(course):
    learner = UserFactory(email="learner@school.example.tw")
    EnrolmentFactory(user=learner, course=course)
    return learner


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def iri(package, sub_content=""):
    base = f"http://testserver{ACTIVITY_PATH}{package.content_hash}"
    return f"{base}?subContentId={sub_content}" if sub_content else base


def statement(package, verb="answered", sub_content="", score=None, response=None, completion=None, **extra):
    """A statement shaped as H5P's XAPIEvent builds it, with the id our player adds."""
    result = {}
    if score is not None:
        raw, maximum = score
        result["score"] = {"min": 0, "raw": raw, "max": maximum, "scaled": raw / maximum if maximum else 0}
    if response is not None:
        result["response"] = response
    if completion is not None:
        result["completion"] = completion
        result["duration"] = "PT4.2S"
    body = {
        "id": str(uuid.uuid4()),
        "actor": {"name": "learner", "mbox": "mailto:learner@users.invalid", "objectType": "Agent"},
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {
            "id": iri(package, sub_content),
            "objectType": "Activity",
            "definition": {"extensions": {"http://h5p.org/x-api/h5p-local-content-id": "1"}},
        },
        "context": {
            "contextActivities": {
                "category": [{"id": f"http://h5p.org/libraries/{package.main_library}-1.0", "objectType": "Activity"}]
            }
        },
    }
    if result:
        body["result"] = result
    body.update(extra)
    return body


def post(client, module, package, body, **kwargs):
    payload = {"module_id": module.pk, "package_id": package.pk, "statement": body}
    return client.post(URL, json.dumps(payload), content_type="application/json", **kwargs)


def quiz_answers(package, right=True):
    """The statements our IEA.Quiz sends for a whole quiz: "answered" per question, then the quiz's "completed"."""
    q2 = "0[,]1" if right else "0"
    return [
        statement(package, "answered", "q1", (1, 1), "0"),
        statement(package, "answered", "q2", (1 if right else 0, 1), q2),
        statement(package, "completed", "", (2 if right else 1, 2), f"q1[.]0[;]q2[.]{q2}", completion=True),
    ]


@pytest.mark.django_db
class TestQuizIntake:
    def test_correct_answers_complete_the_module(
        self, quiz_module, quiz_package, learner, course, django_capture_on_commit_callbacks
    ):
        client = client_for(learner)
        received = []
        progress_changed.connect(lambda sender, user, **kw: received.append(user), weak=False, dispatch_uid="t1")
        try:
            with django_capture_on_commit_callbacks(execute=True):
                for body in quiz_answers(quiz_package):
                    assert post(client, quiz_module, quiz_package, body).status_code == 201
        finally:
            progress_changed.disconnect(dispatch_uid="t1")
        attempt = H5PAttempt.objects.get(user=learner, module=quiz_module)
        assert (attempt.raw_score, attempt.max_score, attempt.completed, attempt.flagged) == (2, 2, True, False)
        assert attempt.statements.count() == 3
        progress = ModuleProgress.objects.get(user=learner, module=quiz_module)
        assert progress.is_completed and progress.best_score == 100
        assert Enrolment.objects.get(user=learner, course=course).progress_percent == 25
        assert learner in received

    def test_claimed_score_above_the_answers_is_flagged_and_not_counted(self, quiz_module, quiz_package, learner):
        client = client_for(learner)
        forged = statement(quiz_package, "answered", "", (2, 2), "q1[.]1[;]q2[.]2", completion=True)
        response = post(client, quiz_module, quiz_package, forged)
        assert response.status_code == 201 and response.json()["flagged"] is True
        attempt = H5PAttempt.objects.get(user=learner, module=quiz_module)
        assert attempt.flagged and "0/2" in attempt.flag_reason
        assert not ModuleProgress.objects.filter(user=learner, module=quiz_module, status="completed").exists()

    def test_impossible_response_is_flagged(self, quiz_module, quiz_package, learner):
        forged = statement(quiz_package, "answered", "", (2, 2), "q9[.]0", completion=True)
        assert post(client_for(learner), quiz_module, quiz_package, forged).json()["flagged"] is True

    def test_attempts_open_and_close_like_moodle(self, quiz_module, quiz_package, learner):
        client = client_for(learner)
        for body in quiz_answers(quiz_package, right=False):
            post(client, quiz_module, quiz_package, body)
        post(client, quiz_module, quiz_package, statement(quiz_package, "attempted"))
        for body in quiz_answers(quiz_package):
            post(client, quiz_module, quiz_package, body)
        attempts = list(H5PAttempt.objects.filter(user=learner, module=quiz_module).order_by("number"))
        assert [a.number for a in attempts] == [1, 2]
        assert [a.statements.count() for a in attempts] == [3, 4]
        assert attempts[0].raw_score == 1 and attempts[1].raw_score == 2
        progress = ModuleProgress.objects.get(user=learner, module=quiz_module)
        assert progress.best_score == 100 and progress.is_completed

    def test_failing_score_does_not_complete_a_pass_mark_module(self, quiz_module, quiz_package, learner):
        for body in quiz_answers(quiz_package, right=False):
            post(client_for(learner), quiz_module, quiz_package, body)
        progress = ModuleProgress.objects.get(user=learner, module=quiz_module)
        assert progress.best_score == 50 and not progress.is_completed

    def test_query_count(self, quiz_module, quiz_package, learner, django_assert_max_num_queries):
        client = client_for(learner)
        post(client, quiz_module, quiz_package, statement(quiz_package, "answered", "q1", (1, 1), "0"))
        with django_assert_max_num_queries(8):
            response = post(
                client, quiz_module, quiz_package, statement(quiz_package, "answered", "q2", (1, 1), "0[,]1")
            )
        assert response.status_code == 201


@pytest.mark.django_db
@pytest.mark.skipif(not MULTICHOICE.exists(), reason=f"the real H5P packages are not at {REAL_PACKAGES_DIR}")
class TestRealMultiChoice:
    """The statements h5p-standalone sends for H5P.MultiChoice 1.14 (the real package in ../shared/h5p/)."""

    @pytest.fixture
    def package(self, db):
        with MULTICHOICE.open("rb") as upload:
            return H5PPackage.from_upload(upload)

    def answered(self, package, response, raw):
        body = statement(package, "answered", "", (raw, 1), response, completion=True, success=raw == 1)
        body["context"]["contextActivities"]["category"][0]["id"] = "http://h5p.org/libraries/H5P.MultiChoice-1.14"
        body["object"]["definition"].update(
            {
                "interactionType": "choice",
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "correctResponsesPattern": ["0"],
                "choices": [{"id": str(i), "description": {"en-US": text}} for i, text in enumerate(["a", "b", "c"])],
            }
        )
        body["result"]["success"] = raw == 1
        return body

    def test_correct_answer_completes(self, course, package, learner):
        module = module_with(course, package)
        response = post(client_for(learner), module, package, self.answered(package, "0", 1))
        assert response.status_code == 201 and response.json()["flagged"] is False
        assert ModuleProgress.objects.get(user=learner, module=module).is_completed

    def test_forged_score_is_flagged(self, course, package, learner):
        module = module_with(course, package)
        response = post(client_for(learner), module, package, self.answered(package, "2", 1))
        assert response.json()["flagged"] is True
        assert H5PAttempt.objects.get(user=learner, module=module).flagged
        assert not ModuleProgress.objects.filter(user=learner, module=module, status="completed").exists()


@pytest.mark.django_db
class TestHostileStatements:
    def stored(self):
        return XAPIStatement.objects.count()

    def test_claimed_actor_is_ignored(self, quiz_module, quiz_package, learner):
        victim = UserFactory(email="victim@school.example.tw")
        body = statement(quiz_package, "answered", "q1", (1, 1), "0")
        body["actor"] = {"mbox": f"mailto:{victim.email}", "objectType": "Agent"}
        assert post(client_for(learner), quiz_module, quiz_package, body).status_code == 201
        stored = XAPIStatement.objects.get()
        assert stored.user == learner and victim.email not in json.dumps(stored.payload)

    def test_module_of_a_course_not_enrolled(self, course_index, quiz_package, learner):
        other_course = CoursePageFactory(parent=course_index)
        module = module_with(other_course, quiz_package)
        response = post(
            client_for(learner), module, quiz_package, statement(quiz_package, "answered", "q1", (1, 1), "0")
        )
        assert response.status_code == 403 and self.stored() == 0

    def test_withdrawn_learner(self, quiz_module, quiz_package, learner):
        Enrolment.objects.filter(user=learner).update(status=Enrolment.Status.WITHDRAWN)
        body = statement(quiz_package, "answered", "q1", (1, 1), "0")
        assert post(client_for(learner), quiz_module, quiz_package, body).status_code == 403

    def test_cached_access_ends_with_the_enrolment(self, course, quiz_module, quiz_package, learner):
        client = client_for(learner)
        assert (
            post(client, quiz_module, quiz_package, statement(quiz_package, "answered", "q1", (1, 1), "0")).status_code
            == 201
        )
        unenrol(learner, course)  # an UPDATE, with no post_save
        body = statement(quiz_package, "answered", "q1", (1, 1), "0")
        assert post(client, quiz_module, quiz_package, body).status_code == 403
        enrolment = Enrolment.objects.get(user=learner)
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.save()
        assert post(client, quiz_module, quiz_package, body).status_code == 201
        enrolment.delete()
        body = statement(quiz_package, "answered", "q1", (1, 1), "0")
        assert post(client, quiz_module, quiz_package, body).status_code == 403

    def test_cached_access_ends_when_the_module_drops_the_package(self, quiz_module, quiz_package, learner):
        client = client_for(learner)
        assert (
            post(client, quiz_module, quiz_package, statement(quiz_package, "answered", "q1", (1, 1), "0")).status_code
            == 201
        )
        quiz_module.body = []
        quiz_module.completion_rule = "viewed"
        quiz_module.save_revision().publish()
        response = post(client, quiz_module, quiz_package, statement(quiz_package, "answered", "q1", (1, 1), "0"))
        assert response.status_code == 404
        quiz_module.unpublish()
        assert post(client, quiz_module, quiz_package, statement(quiz_package)).status_code == 404

    def test_cached_access_is_per_learner(self, course, quiz_module, quiz_package, learner):
        assert (
            post(
                client_for(learner), quiz_module, quiz_package, statement(quiz_package, "answered", "q1", (1, 1), "0")
            ).status_code
            == 201
        )
        stranger = UserFactory(email="stranger@school.example.tw")
        response = post(
            client_for(stranger), quiz_module, quiz_package, statement(quiz_package, "answered", "q1", (1, 1), "0")
        )
        assert response.status_code == 403
        assert not XAPIStatement.objects.filter(user=stranger).exists()

    def test_package_not_in_the_module(self, course, quiz_module, learner):
        other = H5PPackage.from_upload(ContentFile(build_quiz_package({**QUIZ, "title": "另一個"}), name="o.h5p"))
        response = post(client_for(learner), quiz_module, other, statement(other, "answered", "q1", (1, 1), "0"))
        assert response.status_code == 404 and self.stored() == 0

    def test_another_users_module_and_object(self, course, quiz_module, quiz_package, learner):
        other = H5PPackage.from_upload(ContentFile(build_quiz_package({**QUIZ, "title": "另一個"}), name="o.h5p"))
        body = statement(other, "answered", "q1", (1, 1), "0")
        assert post(client_for(learner), quiz_module, quiz_package, body).status_code == 400
        body = statement(quiz_package, "answered", "q404", (1, 1), "0")
        assert post(client_for(learner), quiz_module, quiz_package, body).status_code == 400
        assert self.stored() == 0

    @pytest.mark.parametrize(
        "score",
        [
            {"raw": 3, "max": 2},
            {"raw": -1, "max": 2},
            {"raw": 1},
            {"raw": "1", "max": 2},
            {"raw": 1e308, "max": 1e309},
        ],
    )
    def test_impossible_scores(self, quiz_module, quiz_package, learner, score):
        body = statement(quiz_package, "answered", "", (1, 2), "q1[.]0", completion=True)
        body["result"]["score"] = score
        assert post(client_for(learner), quiz_module, quiz_package, body).status_code == 400
        assert self.stored() == 0

    @pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "1" * 400])
    def test_nan_and_huge_numbers(self, quiz_module, quiz_package, learner, number):
        body = statement(quiz_package, "answered", "", (1, 2), "q1[.]0", completion=True)
        raw = json.dumps({"module_id": quiz_module.pk, "package_id": quiz_package.pk, "statement": body})
        raw = raw.replace('"raw": 1,', f'"raw": {number},')
        response = client_for(learner).post(URL, raw, content_type="application/json")
        assert response.status_code == 400 and self.stored() == 0

    def test_unknown_verb(self, quiz_module, quiz_package, learner):
        body = statement(quiz_package, "answered", "q1", (1, 1), "0")
        body["verb"]["id"] = "http://example.com/verbs/certified"
        assert post(client_for(learner), quiz_module, quiz_package, body).status_code == 400

    def test_replayed_statement_id(self, quiz_module, quiz_package, learner):
        client = client_for(learner)
        body = statement(quiz_package, "answered", "q1", (1, 1), "0")
        assert post(client, quiz_module, quiz_package, body).status_code == 201
        replay = post(client, quiz_module, quiz_package, body)
        assert replay.status_code == 200 and replay.json()["duplicate"] is True
        assert self.stored() == 1

    def test_oversize_body(self, quiz_module, quiz_package, learner):
        body = statement(quiz_package, "answered", "q1", (1, 1), "0", padding="x" * (xapi.MAX_BODY_BYTES + 1))
        assert post(client_for(learner), quiz_module, quiz_package, body).status_code == 413
        assert self.stored() == 0

    @pytest.mark.parametrize(
        "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
    )
    def test_wrong_content_type(self, quiz_module, quiz_package, learner, content_type):
        body = {"module_id": quiz_module.pk, "package_id": quiz_package.pk, "statement": statement(quiz_package)}
        if content_type == "multipart/form-data":
            response = client_for(learner).post(URL, {"statement": json.dumps(body)})
        else:
            response = client_for(learner).post(URL, json.dumps(body), content_type=content_type)
        assert response.status_code == 415 and self.stored() == 0

    @pytest.mark.parametrize("raw", [b"null", b"not json", b"[]", b'{"statement": 1}', b"{" * 5000])
    def test_malformed_bodies(self, quiz_module, learner, raw):
        response = client_for(learner).post(URL, raw, content_type="application/json")
        assert response.status_code == 400 and self.stored() == 0

    def test_no_csrf_token(self, quiz_module, quiz_package, learner):
        client = client_for(learner, enforce_csrf_checks=True)
        response = post(client, quiz_module, quiz_package, statement(quiz_package, "answered", "q1", (1, 1), "0"))
        assert response.status_code == 403 and self.stored() == 0

    def test_with_csrf_token(self, quiz_module, quiz_package, learner):
        client = client_for(learner, enforce_csrf_checks=True)
        client.get(reverse("courses:dashboard"))
        token = client.cookies["csrftoken"].value
        body = statement(quiz_package, "answered", "q1", (1, 1), "0")
        assert post(client, quiz_module, quiz_package, body, HTTP_X_CSRFTOKEN=token).status_code == 201

    def test_anonymous(self, quiz_module, quiz_package):
        assert post(Client(), quiz_module, quiz_package, statement(quiz_package)).status_code == 401

    def test_burst_is_rate_limited_and_nothing_accepted_is_lost(self, quiz_module, quiz_package, learner, monkeypatch):
        # "A few seconds" in production; this slow test machine may cross a window boundary, so time stands still.
        monkeypatch.setattr(xapi, "current_window", lambda: 1)
        client = client_for(learner)
        bodies = [statement(quiz_package, "answered", "q1", (1, 1), "0") for _ in range(1000)]
        statuses = [post(client, quiz_module, quiz_package, body).status_code for body in bodies]
        accepted = [body["id"] for body, status in zip(bodies, statuses, strict=True) if status == 201]
        assert len(accepted) == xapi.rate_limit()
        assert set(statuses) == {201, 429}
        stored = set(XAPIStatement.objects.values_list("statement_id", flat=True))
        assert {uuid.UUID(i) for i in accepted} == stored
        # The player retries refused statements after Retry-After; once the window has passed all are kept.
        cache.clear()
        refused = [body for body, status in zip(bodies, statuses, strict=True) if status == 429][:50]
        assert all(post(client, quiz_module, quiz_package, body).status_code == 201 for body in refused)
        assert XAPIStatement.objects.count() == xapi.rate_limit() + 50


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@pytest.mark.django_db
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.fixed_dictionaries(
        {},
        optional={
            "id": json_values | st.uuids().map(str),
            "verb": json_values | st.just({"id": ADL + "answered"}),
            "object": json_values,
            "result": json_values | st.just({"score": {"raw": 1, "max": 1}, "response": "0"}),
            "context": json_values,
            "actor": json_values,
        },
    ),
    module_id=json_values,
    real_module=st.booleans(),
)
def test_no_statement_crashes_the_intake(quiz_module, quiz_package, learner, parts, module_id, real_module):
    """Whatever the shape of a statement, it is recorded or refused with a reason: never an error."""
    module_id = quiz_module.pk if real_module else module_id
    payload = {"module_id": module_id, "package_id": quiz_package.pk, "statement": parts}
    try:
        xapi.receive(learner, payload)
    except xapi.StatementRejected as rejection:
        assert str(rejection) and rejection.status in (400, 403, 404, 413)


class TestProgressAfterTheCommit:
    """The module's progress is re-derived after the statement's transaction, and only when the closed attempt may
    prove more than the progress shows (``courses.progress.settle_module``): skipping must never leave it wrong."""

    def test_a_worse_attempt_after_passing_changes_nothing(self, quiz_module, quiz_package, learner):
        client = client_for(learner)
        for right in (True, False):
            for body in quiz_answers(quiz_package, right=right):
                assert post(client, quiz_module, quiz_package, body).status_code == 201
        progress = ModuleProgress.objects.get(user=learner, module=quiz_module)
        assert progress.is_completed and progress.best_score == 100
        assert H5PAttempt.objects.filter(user=learner, module=quiz_module).count() == 2

    def test_the_lowest_package_raised_after_completion_raises_the_score(self, course, quiz_package, learner):
        second = H5PPackage.from_upload(ContentFile(build_quiz_package(QUIZ, title="Second quiz"), name="second.h5p"))
        module = module_with(course, quiz_package, pass_mark=50)
        module.body = [("h5p", {"package": quiz_package, "title": ""}), ("h5p", {"package": second, "title": ""})]
        module.save_revision().publish()
        client = client_for(learner)

        def play(package, right):
            for body in quiz_answers(package, right=right):
                assert post(client, module, package, body).status_code == 201
            return ModuleProgress.objects.get(user=learner, module=module)

        assert not play(quiz_package, True).is_completed  # the second package not done yet
        progress = play(second, False)
        assert progress.is_completed and progress.best_score == 50  # the lowest package's best
        # 100 on the lower package is more than the module's 50: re-derived, the score rises.
        assert play(second, True).best_score == 100
        # 50 on either package now proves nothing more: skipped, and the score rightly stays.
        assert play(quiz_package, False).best_score == 100
        assert play(second, False).best_score == 100


@pytest.mark.django_db
def test_a_rate_window_counts_its_first_request_and_each_learner_apart(learner):
    other = UserFactory()
    assert [xapi.within_rate_limit(learner, scope="test", limit=2) for _request in range(3)] == [True, True, False]
    assert xapi.within_rate_limit(other, scope="test", limit=2)
    cache.clear()  # the window's key gone (expired): the next request opens a fresh count
    assert xapi.within_rate_limit(learner, scope="test", limit=1)
    assert not xapi.within_rate_limit(learner, scope="test", limit=1)
