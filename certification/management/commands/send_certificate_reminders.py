from django.core.management.base import BaseCommand

from certification.registry.notifications import REMINDER_DAYS_BEFORE_EXPIRY, send_expiry_reminders


class Command(BaseCommand):
    help = f"E-mail the holders of certificates that expire within {REMINDER_DAYS_BEFORE_EXPIRY} days (once each)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_expiry_reminders()} reminders sent.")
