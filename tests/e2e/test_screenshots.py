"""What the product looks like: with SCREENSHOTS=1 (`SCREENSHOTS=1 make test`), full-page screenshots of the home
page, the catalogue, a module, the dashboard, a certificate's verification page and the PDF's first page, in both
languages, at a phone width (390 px) and a desktop width, are saved under screenshots/ (not tracked by git)."""

import os
from pathlib import Path

import pytest

from accounts.demo import TEACHER_EMAIL
from courses.models import CourseIndexPage, ModulePage
from tests.certification.conftest import platform_pki  # noqa: F401 - fixtures
from tests.certification.poppler import pdftoppm_png
from tests.e2e.certificates import certification_site, issue_outside_the_browser_loop  # noqa: F401 - fixtures
from tests.e2e.conftest import DESKTOP
from tests.e2e.steps import sign_in
from tests.e2e.test_accessibility import PHONE, TEACHER_PASSWORD, full_site  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="set SCREENSHOTS=1 to save screenshots"),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


def test_save_screenshots(page, full_site):  # noqa: F811
    SCREENSHOTS.mkdir(exist_ok=True)
    certificate = full_site
    saved = []
    for language in ("zh-hant", "en"):
        catalogue = CourseIndexPage.objects.live().get(locale__language_code=language)
        module = ModulePage.objects.live().get(slug="exchange-quiz", locale__language_code=language)
        public = {
            "home": f"/{language}/",
            "catalogue": catalogue.url,
            "verification": f"/{language}/verify/{certificate.public_id}",
        }
        private = {"module": module.url, "dashboard": f"/{language}/learning/"}
        page.context.clear_cookies()
        for name, path in public.items():
            saved += shoot(page, path, f"{language}-{name}")
        sign_in(page, TEACHER_EMAIL, TEACHER_PASSWORD, language)
        for name, path in private.items():
            saved += shoot(page, path, f"{language}-{name}")
    pdf_page = SCREENSHOTS / "certificate-pdf-page-1.png"
    pdf_page.write_bytes(pdftoppm_png(certificate.pdf.read(), dpi=100))
    saved.append(pdf_page)
    assert all(path.stat().st_size > 10_000 for path in saved)


def shoot(page, path, stem):
    files = []
    for width_name, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        target = SCREENSHOTS / f"{stem}-{width_name}.png"
        page.screenshot(path=target, full_page=True)
        files.append(target)
    return files
