"""Sign the transparency log's head again (schedule it, e.g. hourly): a fresh signed timestamp shows monitors the
log is alive and unchanged even when no certificate was issued or revoked."""

from django.core.management.base import BaseCommand

from ...transparency.log import sign_tree_head


class Command(BaseCommand):
    help = "Sign the transparency log's current tree head."

    def handle(self, *args, **options):
        head = sign_tree_head()
        self.stdout.write(f"Signed the head of {head.tree_size} entries at {head.timestamp}.")
