"""Audit the transparency log over HTTP, as an outsider would (the same code as the standalone verifier)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...transparency.verifier import run


class Command(BaseCommand):
    help = "Fetch the log's signed heads, check consistency and every certificate's inclusion, report rewrites."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.WAGTAILADMIN_BASE_URL, help="the site to audit")
        parser.add_argument("--state", help="JSON file with the last head seen and the pinned key")
        parser.add_argument("--public-key", help="the log's public key file (DER or PEM)")

    def handle(self, *args, url, state, public_key, **options):
        argv = [url] + (["--state", state] if state else []) + (["--public-key", public_key] if public_key else [])
        status = run(argv, out=self.stdout)
        if status:
            raise CommandError("The transparency log did not verify." if status == 1 else "The log was unreadable.")
