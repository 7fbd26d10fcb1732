"""Statements of one learner posted at the same instant, on PostgreSQL (SQLite serialises writers, so it cannot
show a race): none is lost, none is stored twice, and only a real replay is answered as a duplicate.

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_courses .venv/bin/pytest tests/courses``.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from courses.h5p.demo import build_quiz_package
from courses.models import H5PAttempt, H5PPackage, ModuleProgress, XAPIStatement
from courses.progress import record_view
from tests.postgresql import ON_POSTGRESQL, in_parallel

from .factories import EnrolmentFactory, UserFactory
from .test_xapi import QUIZ, module_with, post, quiz_answers, statement

pytestmark = ON_POSTGRESQL

AT_ONCE = 50


@pytest.fixture
def quiz_package(db):
    return H5PPackage.from_upload(ContentFile(build_quiz_package(QUIZ), name="quiz.h5p"))


@pytest.fixture
def quiz_module(course, quiz_package):
    return module_with(course, quiz_package)


@pytest.fixture
def learner(course):
    learner = UserFactory()
    EnrolmentFactory(user=learner, course=course)
    return learner


def clients_for(user, count):
    """One signed-in client per thread, as many browsers (or tabs) of one learner would be."""
    clients = []
    for _number in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_fifty_statements_at_once_make_fifty_rows(quiz_module, quiz_package, learner):
    # The top-level statements open and close attempts: the ones that raced for the next attempt number.
    verbs = ["attempted", "answered", "completed"]
    bodies = [
        statement(quiz_package, verbs[number % 3], "", (2, 2), "q1[.]0[;]q2[.]0[,]1", completion=True)
        if verbs[number % 3] != "attempted"
        else statement(quiz_package, "attempted")
        for number in range(AT_ONCE)
    ]
    for body in bodies[::2]:
        del body["id"]  # H5P's own statements carry no id
    work = list(zip(clients_for(learner, AT_ONCE), bodies, strict=True))
    answers = in_parallel(lambda item: post(item[0], quiz_module, quiz_package, item[1]).json(), work, workers=AT_ONCE)
    assert [answer.get("stored") for answer in answers] == [True] * AT_ONCE
    assert XAPIStatement.objects.filter(user=learner).count() == AT_ONCE
    numbers = list(H5PAttempt.objects.filter(user=learner).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def test_one_statement_replayed_fifty_times_is_stored_once(quiz_module, quiz_package, learner):
    body = statement(quiz_package, "completed", "", (2, 2), "q1[.]0[;]q2[.]0[,]1", completion=True)
    work = [(client, body) for client in clients_for(learner, AT_ONCE)]
    answers = in_parallel(lambda item: post(item[0], quiz_module, quiz_package, item[1]).json(), work, workers=AT_ONCE)
    assert XAPIStatement.objects.filter(statement_id=body["id"]).count() == 1
    assert sorted(answer.get("duplicate", False) for answer in answers) == [False] + [True] * (AT_ONCE - 1)
    # The replays' attempts were undone with them.
    assert H5PAttempt.objects.filter(user=learner).count() == 1


# With the learner's progress row in place (they opened the module), a statement is stored by two SQL statements
# sent together (``courses.xapi._record_in_one_round_trip``): the lock is held only inside the server.
ONE_ROUND_TRIP = 2  # the session's user, then the lock, the attempt and the statement


def test_an_answer_is_stored_in_one_round_trip(quiz_module, quiz_package, learner, django_assert_max_num_queries):
    record_view(learner, quiz_module)
    client = clients_for(learner, 1)[0]
    first, second, closing = quiz_answers(quiz_package)
    assert post(client, quiz_module, quiz_package, first).status_code == 201  # caches the access check
    with django_assert_max_num_queries(ONE_ROUND_TRIP):
        assert post(client, quiz_module, quiz_package, second).status_code == 201
    assert post(client, quiz_module, quiz_package, closing).status_code == 201
    attempt = H5PAttempt.objects.get(user=learner)
    assert (attempt.number, attempt.raw_score, attempt.completed, attempt.flagged) == (1, 2, True, False)
    assert set(XAPIStatement.objects.filter(user=learner).values_list("attempt", flat=True)) == {attempt.pk}
    progress = ModuleProgress.objects.get(user=learner, module=quiz_module)
    assert progress.is_completed and progress.best_score == 100


def test_a_forged_score_is_flagged_and_counts_for_nothing(quiz_module, quiz_package, learner):
    record_view(learner, quiz_module)
    client = clients_for(learner, 1)[0]
    forged = statement(quiz_package, "completed", "", (2, 2), "q1[.]1[;]q2[.]2", completion=True)
    answer = post(client, quiz_module, quiz_package, forged).json()
    assert answer == {"stored": True, "flagged": True}
    assert H5PAttempt.objects.get(user=learner).flagged
    assert not ModuleProgress.objects.get(user=learner, module=quiz_module).is_completed
    # A replay of it is still recognised, and undoes the attempt it would have opened.
    assert post(client, quiz_module, quiz_package, forged).json()["duplicate"] is True
    assert H5PAttempt.objects.filter(user=learner).count() == 1


def test_answers_racing_the_statements_that_open_and_close_attempts(quiz_module, quiz_package, learner):
    """Sub-content answers attach to whatever attempt is current when they are stored; ``attempted`` opens one,
    a top-level answer closes the current one (or opens and closes its own): all at once, every statement stored
    once, every one on an attempt, attempts numbered 1…n, each closing statement closing one attempt."""
    record_view(learner, quiz_module)
    bodies = []
    for number in range(AT_ONCE):
        if number % 5 == 0:
            bodies.append(statement(quiz_package, "attempted"))
        elif number % 5 == 1:
            bodies.append(statement(quiz_package, "completed", "", (2, 2), "q1[.]0[;]q2[.]0[,]1", completion=True))
        else:
            bodies.append(statement(quiz_package, "answered", "q1", (1, 1), "0"))
    work = list(zip(clients_for(learner, AT_ONCE), bodies, strict=True))
    answers = in_parallel(lambda item: post(item[0], quiz_module, quiz_package, item[1]).json(), work, workers=AT_ONCE)
    assert [answer.get("stored") for answer in answers] == [True] * AT_ONCE
    stored = XAPIStatement.objects.filter(user=learner)
    assert stored.count() == AT_ONCE and not stored.filter(attempt=None).exists()
    attempts = list(H5PAttempt.objects.filter(user=learner).order_by("number"))
    assert [attempt.number for attempt in attempts] == list(range(1, len(attempts) + 1))
    # Every closing statement closed exactly one attempt, and no attempt was closed twice.
    closed = [attempt for attempt in attempts if attempt.finished_at]
    assert len(closed) == sum(1 for body in bodies if body["verb"]["id"].endswith("completed"))
    assert ModuleProgress.objects.get(user=learner, module=quiz_module).is_completed
