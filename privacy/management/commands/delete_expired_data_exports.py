from django.core.management.base import BaseCommand

from privacy.export import SIGN_IN_HISTORY_DAYS, delete_expired_exports, forget_old_sign_ins


class Command(BaseCommand):
    help = (
        "Delete the copies of personal data (files and rows) whose download link has expired, and sign-ins older "
        f"than {SIGN_IN_HISTORY_DAYS} days. Run it daily."
    )

    def handle(self, *args, **options):
        deleted = delete_expired_exports()
        forgotten = forget_old_sign_ins()
        self.stdout.write(f"Deleted {deleted} expired personal data export(s) and {forgotten} old sign-in(s).")
