"""An answer save racing the submission of the same attempt, on PostgreSQL (SQLite serialises writers, so it cannot
show a race): a submitted attempt is never altered. Either the save is stored before the attempt is scored (and the
score counts it) or it is refused and stores nothing; concurrent saves of one attempt all finish, without deadlock.

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_assessments .venv/bin/pytest tests/assessments``.
"""

import threading
import time
from functools import partial

from django.db import connection, connections, transaction

from assessments.attempts import finish_attempt, save_own_responses, save_responses, start_attempt
from assessments.models import Attempt
from tests.assessments.answers import right_responses
from tests.postgresql import ON_POSTGRESQL, in_parallel

pytestmark = ON_POSTGRESQL

ROUNDS = 12


def started(quiz, module, learner):
    """A new attempt with every answer right and saved."""
    attempt = start_attempt(quiz, module, learner)
    assert save_responses(attempt, right_responses(attempt))
    return attempt


def wrong(attempt):
    return {slot.position: {"answer": "no", "choice": "9"} for slot in attempt.slots.all()}


def stored(attempt):
    return {slot.position: slot.response for slot in attempt.slots.all()}


def wait_for_a_waiting_lock(seconds=10):
    """Until another backend waits for a lock (a row lock waits on its holder's transaction id)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the save never waited for the submission's lock")


def test_a_save_waiting_for_a_submission_stores_nothing(quiz, quiz_module, learner):
    attempt = started(quiz, quiz_module, learner)
    right = stored(attempt)
    locked, outcome = threading.Event(), {}

    def submit():
        try:
            with transaction.atomic():
                # As finishing does: the attempt locked, then scored and closed while the save waits.
                Attempt.objects.select_for_update().get(pk=attempt.pk)
                locked.set()
                wait_for_a_waiting_lock()
                outcome["finished"] = finish_attempt(attempt)
        finally:
            connections.close_all()

    def save():
        try:
            assert locked.wait(10)
            outcome["saved"] = save_own_responses(attempt.pk, learner, wrong(attempt))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome["saved"] is False
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED and attempt.percent == 100
    assert stored(attempt) == right


def test_saves_racing_a_submission_never_alter_it(quiz, quiz_module, learner):
    for _round in range(ROUNDS):
        attempt = started(quiz, quiz_module, learner)
        right, answers = stored(attempt), wrong(attempt)
        jobs = [partial(finish_attempt, attempt), partial(save_own_responses, attempt.pk, learner, answers)]
        _finished, saved = in_parallel(lambda job: job(), jobs, workers=2)
        attempt.refresh_from_db()
        assert attempt.state == Attempt.State.GRADED
        if saved:
            # Stored before the attempt was scored: the score counts it.
            assert stored(attempt) == answers and attempt.percent == 0
        else:
            assert saved is False and stored(attempt) == right and attempt.percent == 100
        # Nothing stored after the submission: a save now is refused and changes nothing.
        assert save_own_responses(attempt.pk, learner, right) is False
        assert stored(attempt) == (answers if saved else right)


def test_saves_of_one_attempt_at_once_all_finish(quiz, quiz_module, learner):
    attempt = started(quiz, quiz_module, learner)
    positions = list(stored(attempt))
    forms = [{positions[0]: {"answer": f"answer {number}"}} for number in range(16)]
    outcomes = in_parallel(lambda form: save_own_responses(attempt.pk, learner, form), forms, workers=16)
    assert outcomes == [True] * 16
    # The row holds one of the answers saved, whole.
    assert stored(attempt)[positions[0]] in [form[positions[0]] for form in forms]
    assert finish_attempt(attempt).state == Attempt.State.GRADED
