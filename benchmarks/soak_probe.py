"""gunicorn configuration for ``benchmarks/soak.py --tracemalloc``: looks inside each worker for what grows.

Once the warm-up is over, each worker starts tracemalloc (tracing from the fork would make booting several
times slower) and, from a background thread, writes to SOAK_PROBE_DIR a tracemalloc snapshot and the count of
live objects per type (``gc``): ``<pid>-warm.*`` at that moment, then ``<pid>-last.*`` every minute. Whatever the
last snapshot still holds was allocated after the warm-up and is still alive: the candidates for a leak. soak.py
compares the two at the end. Only the soak loads this file: tracing slows every allocation down.
"""

import gc
import json
import os
import threading
import time
import tracemalloc
from collections import Counter
from pathlib import Path

FRAMES = 8


def post_fork(server, worker):
    folder = Path(os.environ["SOAK_PROBE_DIR"])
    warm_up = float(os.environ["SOAK_WARMUP_SECONDS"])
    threading.Thread(target=probe, args=(folder, warm_up), daemon=True, name="soak-probe").start()


def probe(folder, warm_up):
    time.sleep(warm_up)
    tracemalloc.start(FRAMES)
    record(folder, "warm")
    while True:
        time.sleep(60)
        record(folder, "last")


def record(folder, label):
    """Collect first: cyclic garbage (an exception, its traceback and frames) is not a leak, only late."""
    gc.collect()
    pid = os.getpid()
    counts = Counter(type(thing).__qualname__ for thing in gc.get_objects())
    write(folder / f"{pid}-{label}.json", lambda path: path.write_text(json.dumps(counts)))
    write(folder / f"{pid}-{label}.snapshot", tracemalloc.take_snapshot().dump)


def write(path, writer):
    """Write beside ``path`` and rename, so soak.py never reads half a file."""
    partial = path.with_suffix(path.suffix + ".partial")
    writer(partial)
    partial.replace(path)
