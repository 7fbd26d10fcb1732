"""What the PostgreSQL-only tests share: their marks, and threads released together for races.

SQLite serialises writers, so races (and pg_dump) are shown on PostgreSQL only; the rest of the suite skips them
with the reason below.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

ON_POSTGRESQL = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://…"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# PostgreSQL admits 100 clients here, shared by every pytest-xdist worker and whatever else runs on the machine:
# 50 threads of one test took the last ones in CI ("sorry, too many clients already"). Past this many, the work
# queues for a free thread, so fifty statements still race, twenty-four at a time.
MOST_THREADS = 24


def in_parallel(function, arguments, workers=8):
    """Run ``function`` over ``arguments`` from several threads released together, each with its own connection."""
    workers = min(workers, MOST_THREADS)
    barrier = threading.Barrier(min(workers, len(arguments)))

    def run(argument):
        try:
            try:
                barrier.wait(timeout=30)
            except threading.BrokenBarrierError:
                pass
            return function(argument)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, arguments))
