import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Fill every empty msgstr of the English catalogue with its msgid (the source strings are English)."

    def handle(self, *args, **options):
        path = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        filled = 0
        for entry in catalogue:
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                if not all(entry.msgstr_plural.values()):
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                    filled += 1
            elif not entry.msgstr:
                entry.msgstr = entry.msgid
                filled += 1
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalogue.save()
        self.stdout.write(f"English catalogue: {filled} entries filled.")
