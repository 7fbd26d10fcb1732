from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from certification.admin.bulk import issue_item
from certification.models import BulkIssueItem, Certificate
from certification.registry.issuing import complete_certificate


class Command(BaseCommand):
    help = (
        "Finish what a crash or a killed worker left undone (older than --minutes): render and sign pending "
        "certificates, and issue the waiting items of bulk issues. Safe to run at any time: nothing is issued twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=10, help="Only work left for at least this long.")

    def handle(self, *args, minutes, **options):
        cutoff = timezone.now() - timedelta(minutes=minutes)
        completed = failed = 0
        pending = Certificate.objects.filter(status=Certificate.Status.PENDING, created_at__lte=cutoff)
        for pk in pending.values_list("pk", flat=True):
            try:
                complete_certificate(pk)
            except Exception as error:  # noqa: BLE001 - one broken certificate must not stop the others
                failed += 1
                self.stderr.write(f"certificate {pk}: {error}")
            else:
                completed += 1
        waiting = BulkIssueItem.objects.filter(status=BulkIssueItem.Status.WAITING, batch__created_at__lte=cutoff)
        items = 0
        for item in waiting.select_related("batch__programme", "batch__created_by", "user").iterator():
            try:
                issue_item(item)
            except Exception as error:  # noqa: BLE001
                failed += 1
                self.stderr.write(f"bulk item {item.pk}: {error}")
            else:
                items += 1
        self.stdout.write(f"{completed} certificates completed, {items} bulk items issued, {failed} failed.")
