from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Index every public page, listed expert and accepted teaching resource again (after bulk loads)."

    def handle(self, *args, **options):
        self.stdout.write(f"Search index: {rebuild()} documents.")
