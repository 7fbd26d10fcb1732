from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from certification.issuing import complete_certificate
from certification.models import Certificate


class Command(BaseCommand):
    help = "Render and sign certificates left pending by a crash (older than --minutes), completing their issue."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=10, help="Only those pending for at least this long.")

    def handle(self, *args, minutes, **options):
        cutoff = timezone.now() - timedelta(minutes=minutes)
        pending = Certificate.objects.filter(status=Certificate.Status.PENDING, created_at__lte=cutoff)
        completed = failed = 0
        for pk in pending.values_list("pk", flat=True):
            try:
                complete_certificate(pk)
            except Exception as error:  # noqa: BLE001 - one broken certificate must not stop the others
                failed += 1
                self.stderr.write(f"certificate {pk}: {error}")
            else:
                completed += 1
        self.stdout.write(f"{completed} completed, {failed} failed.")
