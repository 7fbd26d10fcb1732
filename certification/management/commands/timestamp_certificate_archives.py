"""Bring issued certificates to PAdES B-LTA and keep them there (schedule it daily).

Each run adds an archival document timestamp to every certificate that has none yet, and a new one to every
certificate whose newest timestamp's authority certificate expires within ``CERTIFICATE_ARCHIVE_RENEW_BEFORE``
days (see :mod:`certification.registry.archiving`). It works in batches and commits each certificate on its own:
interrupted, it resumes where it stopped; run twice, the second run finds nothing to do. A certificate that fails
(TSA or OCSP unreachable, stored file missing or altered) is reported and skipped; the exit status is then 1.
"""

from django.core.management.base import BaseCommand, CommandError

from ...documents.long_term import tsa_url
from ...registry.archiving import archive_certificate, certificates_due

DEFAULT_BATCH_SIZE = 200


class Command(BaseCommand):
    help = "Add or renew the archival timestamp (PAdES B-LTA) of issued certificates."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="Certificates per query.")
        parser.add_argument("--limit", type=int, default=None, help="Stop after this many certificates.")

    def handle(self, *args, batch_size, limit, **options):
        if not tsa_url():
            raise CommandError("CERTIFICATE_TSA_URL is not set: archival timestamps need a time-stamping authority.")
        if batch_size < 1 or (limit is not None and limit < 1):
            raise CommandError("--batch-size and --limit must be positive.")
        stamped = failed = 0
        last_pk = 0
        while limit is None or stamped + failed < limit:
            batch = list(
                certificates_due().filter(pk__gt=last_pk).order_by("pk").values_list("pk", "serial")[:batch_size]
            )
            if not batch:
                break
            for pk, serial in batch:
                last_pk = pk
                if limit is not None and stamped + failed >= limit:
                    break
                try:
                    archive = archive_certificate(pk)
                except Exception as error:  # noqa: BLE001 - one certificate's failure must not stop the run
                    failed += 1
                    self.stderr.write(f"{serial}: not timestamped: {error}")
                    continue
                if archive is not None:
                    stamped += 1
                    self.stdout.write(f"{serial}: archival timestamp v{archive.sequence}", ending="\n")
        self.stdout.write(f"Timestamped {stamped} certificate(s); {failed} failed.")
        if failed:
            raise SystemExit(1)
