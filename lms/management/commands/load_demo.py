import importlib
import importlib.util

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail.models import Locale, Site

from accounts.demo import credentials
from home.demo import home_pages

# Each app's demo module builds on the ones before it: pages need the home pages, certificates need courses.
DEMO_MODULES = [
    "accounts.demo",
    "home.demo",
    "competencies.demo",
    "courses.demo",
    "assessments.demo",
    "certification.demo",
    "community.demo",
    "resources.demo",
    "feedback.demo",
    # Last: the synthetic teachers build on every app's demo content.
    "lms.demo",
]

DEMO_HOSTNAME = "127.0.0.1"
DEMO_PORT = 8000


class Command(BaseCommand):
    help = "Build the bilingual demo site: accounts, pages, courses, certificates and communities. Idempotent."

    def handle(self, *args, **options):
        for code, _name in settings.LANGUAGES:
            Locale.objects.get_or_create(language_code=code)
        for name in DEMO_MODULES:
            if importlib.util.find_spec(name) is None:
                self.stdout.write(f"{name}: not written yet, skipped.")
                continue
            importlib.import_module(name).load(self.stdout)
            if name == "home.demo":
                self.fix_site()
        call_command("update_index", verbosity=0)
        call_command("rebuild_search_index", verbosity=0)

        self.stdout.write(self.style.SUCCESS(f"Demo site ready at http://{DEMO_HOSTNAME}:{DEMO_PORT}/"))
        self.stdout.write("Demo accounts:")
        for line in credentials():
            self.stdout.write(f"  {line}")

    def fix_site(self):
        """The default site answers on the development server's address, rooted at the zh-Hant home page."""
        home = home_pages()["zh-hant"]
        Site.objects.filter(is_default_site=False, hostname=DEMO_HOSTNAME, port=DEMO_PORT).delete()
        site = Site.objects.get(is_default_site=True)
        site.hostname = DEMO_HOSTNAME
        site.port = DEMO_PORT
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.root_page = home
        site.save()
