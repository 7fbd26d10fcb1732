"""The programmes catalogue under a real concurrent reader, on PostgreSQL (SQLite locks a reader out of a write in
progress, so it cannot show the race)."""

import threading

from django.db import connections, transaction

from certification.registry.eligibility import catalogue
from tests.certification.factories import ProgrammeFactory
from tests.postgresql import ON_POSTGRESQL

pytestmark = ON_POSTGRESQL


def test_a_reader_between_a_programme_change_and_its_commit_does_not_keep_the_old_programme():
    programme = ProgrammeFactory(minimum_community_sessions=0)
    assert catalogue().programmes[0].minimum_community_sessions == 0
    changed, read = threading.Event(), threading.Event()
    failures = []

    def edit_in_a_transaction():
        try:
            with transaction.atomic():
                programme.minimum_community_sessions = 4
                programme.save()
                changed.set()
                read.wait(timeout=30)
        except Exception as error:  # noqa: BLE001 - reported to the test's thread
            failures.append(error)
        finally:
            changed.set()
            connections.close_all()

    editor = threading.Thread(target=edit_in_a_transaction)
    editor.start()
    assert changed.wait(timeout=30)
    # The change is announced but not committed: this request reads the old row, as another one would.
    assert catalogue().programmes[0].minimum_community_sessions == 0
    read.set()
    editor.join(timeout=30)

    assert failures == []
    assert catalogue().programmes[0].minimum_community_sessions == 4
