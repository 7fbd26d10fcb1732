"""Issue 22: the transparency log at national scale: append cost per event, proof cost and proof sizes with
200,000 certificates in the log.

Usage (from the repository root):

    .venv/bin/python benchmarks/transparency_log.py                    # 200,000 entries, 200 timed appends
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench_transparency \\
        .venv/bin/python benchmarks/transparency_log.py

The log is filled to ``--size`` entries in bulk (the leaves and perfect subtrees computed in memory with the same
:mod:`certification.transparency.rfc9162` code, then written with ``bulk_create``), then timed through the real
code: :func:`certification.transparency.log.append` (lock, entry, subtrees, size, signed head: one event's whole
cost, without the certificate's own PDF), inclusion proofs of random leaves, a consistency proof from half the
log, and the verification page's proof block. The database is ``DATABASE_URL`` or an SQLite file
``var/benchmark-transparency.sqlite3`` (migrated on the first run); the log tables are emptied at the start.
"""

import argparse
import base64
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def synthetic_certificate(Certificate, number: int):
    """An unsaved registry row with every field the log records, as a real one has them."""
    return Certificate(
        serial=f"IEA-2026-{number:06d}",
        public_id=f"{number:032x}",
        status="issued",
        holder_name_zh="王小明",
        holder_name_en="Hsiao-Ming Wang",
        programme_name_zh="國際教育專業知能認證（初階）",
        programme_name_en="International Education Professional Competency (Beginner)",
        hours=Decimal("18.5"),
        issued_on=date(2026, 11, 28),
        valid_until=date(2031, 11, 27),
        pdf_sha256=f"{number:064x}",
    )


def fill_log(size, Certificate, LogEntry, LogNode, TransparencyLog, log, rfc9162) -> float:
    """Write ``size`` entries and their subtrees in bulk; returns the seconds spent hashing."""
    from django.db import transaction

    started = time.perf_counter()
    store = {}

    def lookup(subtrees):
        return {subtree: store[subtree] for subtree in subtrees}

    entries = []
    for index in range(size):
        certificate = synthetic_certificate(Certificate, index)
        entry = log.entry_for(certificate)
        store.update(rfc9162.new_subtrees(index, rfc9162.leaf_hash(entry), lookup))
        entries.append(
            LogEntry(
                index=index,
                event="issue",
                serial=certificate.serial,
                public_id=certificate.public_id,
                entry=entry.decode(),
            )
        )
    computed = time.perf_counter() - started
    with transaction.atomic():
        LogEntry.objects.bulk_create(entries, batch_size=5000)
        LogNode.objects.bulk_create(
            (LogNode(level=level, position=position, hash=value) for (level, position), value in store.items()),
            batch_size=5000,
        )
        TransparencyLog.objects.create(pk=1, size=size)
    return computed


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def median_ms(samples):
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000, help="entries in the log before timing")
    parser.add_argument("--appends", type=int, default=200, help="appends to time")
    parser.add_argument("--reuse", action="store_true", help="keep a log already filled by an earlier run")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        os.environ["PKI_ROOT"] = str(Path(folder) / "pki")
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'benchmark-transparency.sqlite3'}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
        sys.path.insert(0, str(BASE_DIR))
        (BASE_DIR / "var").mkdir(exist_ok=True)
        import django

        django.setup()
        from django.core.management import call_command
        from django.template.loader import render_to_string

        from certification.documents.pki import ensure_development_pki
        from certification.models import Certificate, LogEntry, LogNode, TransparencyLog, TreeHead
        from certification.transparency import log, rfc9162

        call_command("migrate", verbosity=0)
        ensure_development_pki()
        size = TransparencyLog.objects.values_list("size", flat=True).first() or 0
        if not (arguments.reuse and size >= arguments.size):
            for model in (LogEntry, LogNode, TreeHead, TransparencyLog):
                model.objects.all().delete()
            started = time.perf_counter()
            computed = fill_log(arguments.size, Certificate, LogEntry, LogNode, TransparencyLog, log, rfc9162)
            size = arguments.size
            say(f"Filled {size:,} entries in {time.perf_counter() - started:.1f} s ({computed:.1f} s hashing)")
        else:
            say(f"Reusing the log of {size:,} entries")
        log.sign_tree_head()

        appends = []
        cpu = []
        for number in range(size, size + arguments.appends):
            certificate = synthetic_certificate(Certificate, number)
            wall, process = time.perf_counter(), time.process_time()
            log.append(certificate)
            appends.append(time.perf_counter() - wall)
            cpu.append(time.process_time() - process)
        size += arguments.appends
        appends.sort()
        say(
            f"append (entry + subtrees + signed head), median of {arguments.appends}: {median_ms(appends):.2f} ms "
            f"(p90 {appends[int(len(appends) * 0.9)] * 1000:.2f} ms, CPU {median_ms(cpu):.2f} ms)"
        )

        head = log.latest_head()
        proofs, lengths, payloads = [], [], []
        for index in random.Random(22).sample(range(size), 200):
            certificate = synthetic_certificate(Certificate, index)
            wall = time.perf_counter()
            proof = log.inclusion_for(certificate)
            proofs.append(time.perf_counter() - wall)
            assert rfc9162.verify_inclusion(
                rfc9162.leaf_hash(proof["entry"].encode()),
                proof["leaf_index"],
                size,
                [base64.b64decode(p) for p in proof["audit_path"]],
                bytes(head.root_hash),
            ), "an inclusion proof did not verify"
            lengths.append(len(proof["audit_path"]))
            payloads.append(len(json.dumps(proof).encode()))
        say(
            f"inclusion proof at {size:,}, median of 200: {median_ms(proofs):.2f} ms; "
            f"{min(lengths)}–{max(lengths)} hashes ({max(lengths) * 32} bytes), JSON {max(payloads):,} bytes at most"
        )
        html = render_to_string(
            "certification/includes/transparency_proof.html", {"inclusion": proof, "certificate": certificate}
        )
        say(f"verification page's proof block: {len(html.encode()):,} bytes")

        wall = time.perf_counter()
        consistency = log.consistency(size // 2, size)
        took = time.perf_counter() - wall
        say(
            f"consistency proof {size // 2:,} → {size:,}: {took * 1000:.2f} ms, {len(consistency)} hashes, "
            f"JSON {len(json.dumps({'consistency': consistency}).encode()):,} bytes"
        )
        wall = time.perf_counter()
        log.sign_tree_head()
        say(f"scheduled head signature at {size:,}: {(time.perf_counter() - wall) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
