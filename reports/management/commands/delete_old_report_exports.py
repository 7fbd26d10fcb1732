from django.core.management.base import BaseCommand

from reports.export_jobs import RETENTION_DAYS, delete_old_exports


class Command(BaseCommand):
    help = "Delete the Excel exports (their rows and files) asked for more than --days days ago. Run it daily."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=RETENTION_DAYS,
            help="Keep the exports of the last this many days (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            self.stderr.write("--days must not be negative.")
            return
        deleted = delete_old_exports(days)
        self.stdout.write(f"Deleted {deleted} report export(s) older than {days} day(s).")
