"""Statements of one learner posted at the same instant, on PostgreSQL (SQLite serialises writers, so it cannot
show a race): none is lost, none is stored twice, and only a real replay is answered as a duplicate.

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_courses .venv/bin/pytest tests/courses``.
"""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client

from courses.h5p.demo import build_quiz_package
from courses.models import H5PAttempt, H5PPackage, XAPIStatement
from tests.certification.registry.test_concurrency_postgres import in_parallel

from .factories import EnrolmentFactory, UserFactory
from .test_xapi import QUIZ, module_with, post, statement

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://…"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

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
