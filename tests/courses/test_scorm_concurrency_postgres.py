"""Commits of one learner's SCO arriving at the same instant, on PostgreSQL (SQLite serialises writers, so it cannot
show a race): one tracking row per SCO and attempt, every commit counted, each stored state whole (never the
columns of one commit mixed with another's), completion recorded once, and a replayed commit harmless.

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorm_t .venv/bin/pytest tests/courses``.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from courses.models import Enrolment, ModuleProgress, ScormPackage, ScormTrack
from courses.scorm.demo import build_demo_package
from tests.postgresql import ON_POSTGRESQL, in_parallel

from .factories import EnrolmentFactory, UserFactory
from .test_scorm_tracking import cmi12, commit, content_origin, module_with  # noqa: F401 - content_origin: a fixture

pytestmark = ON_POSTGRESQL

AT_ONCE = 24


@pytest.fixture
def package(db):
    return ScormPackage.from_upload(ContentFile(build_demo_package(), name="demo.zip"))


@pytest.fixture
def module(course, package):
    return module_with(course, package, rule="scorm_passed")


@pytest.fixture
def learner(course):
    learner = UserFactory()
    EnrolmentFactory(user=learner, course=course)
    return learner


def clients_for(user, count):
    """One signed-in client per thread, as many tabs of one learner would be."""
    clients = []
    for _number in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def numbered_commit(number):
    """Commit ``number``: its location, suspend data and score all say which commit it was; every fourth passes."""
    passed = number % 4 == 0
    return cmi12(
        status="passed" if passed else "incomplete",
        raw=str(90 if passed else number),
        location=str(number),
        suspend=f"state-{number}",
    )


def test_first_commits_at_once_make_one_row_and_lose_none(module, package, learner, course):
    work = [(client, number) for number, client in enumerate(clients_for(learner, AT_ONCE), start=1)]
    answers = in_parallel(
        lambda item: commit(learner, module, package, numbered_commit(item[1]), client=item[0]), work, workers=AT_ONCE
    )
    assert [answer.status_code for answer in answers] == [200] * AT_ONCE
    assert all(answer.json()["stored"] and answer.json()["attempt"] == 1 for answer in answers)
    track = ScormTrack.objects.get(user=learner, module=module, package=package)
    assert (track.attempt, track.commits) == (1, AT_ONCE)
    # The row is one commit's state, whole: the last one written.
    number = int(track.location)
    assert track.suspend_data == f"state-{number}" and track.cmi == numbered_commit(number)
    assert track.score_raw == (90 if number % 4 == 0 else number)
    # Every fourth commit passed: the module is completed once, at the reported level, with the best score reported.
    progress = ModuleProgress.objects.get(user=learner, module=module)
    assert progress.is_completed and progress.best_score == 90
    assert Enrolment.objects.get(user=learner, course=course).progress_percent == 25


def test_one_commit_replayed_at_once_is_one_state(module, package, learner, course):
    body = cmi12(status="passed", raw="85", location="2", suspend="answer=4")
    work = clients_for(learner, AT_ONCE)
    answers = in_parallel(lambda client: commit(learner, module, package, body, client=client), work, workers=AT_ONCE)
    assert [answer.status_code for answer in answers] == [200] * AT_ONCE
    track = ScormTrack.objects.get(user=learner)
    assert (track.commits, track.location, track.suspend_data, track.score_raw) == (AT_ONCE, "2", "answer=4", 85)
    assert ModuleProgress.objects.filter(user=learner).count() == 1
    progress = ModuleProgress.objects.get(user=learner, module=module)
    assert progress.is_completed and progress.best_score == 85
    assert Enrolment.objects.get(user=learner, course=course).progress_percent == 25
    # Replayed again later, the same commit changes nothing but the count.
    commit(learner, module, package, body)
    assert ScormTrack.objects.get(user=learner).commits == AT_ONCE + 1
    assert ModuleProgress.objects.get(pk=progress.pk).completed_at == progress.completed_at


def test_two_learners_committing_at_once_keep_their_own_rows(module, package, course):
    learners = [UserFactory() for _number in range(2)]
    for learner in learners:
        EnrolmentFactory(user=learner, course=course)
    work = [(learner, client) for learner in learners for client in clients_for(learner, AT_ONCE // 2)]
    body = cmi12(status="passed", raw="100", location="2")
    answers = in_parallel(lambda item: commit(item[0], module, package, body, client=item[1]), work, workers=AT_ONCE)
    assert [answer.status_code for answer in answers] == [200] * AT_ONCE
    rows = ScormTrack.objects.filter(module=module).order_by("user_id").values_list("user_id", "commits")
    assert list(rows) == [(learner.pk, AT_ONCE // 2) for learner in learners]
    assert ModuleProgress.objects.filter(module=module, status="completed").count() == 2
