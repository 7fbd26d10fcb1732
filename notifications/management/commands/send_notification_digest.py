from django.core.management.base import BaseCommand

from notifications.emails import recipients_awaiting_digest
from notifications.tasks import send_digest


class Command(BaseCommand):
    help = "Queue today's digest e-mail for everyone with notifications waiting for it (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        recipients = recipients_awaiting_digest()
        for user_id in recipients:
            send_digest.enqueue(user_id)
        self.stdout.write(f"{len(recipients)} digests queued.")
