"""Issue 21, point 4: someone who scans a certificate's QR code on a phone sees the verdict on the first screen,
with or without JavaScript, and can go on to check another certificate."""

import pytest

from tests.certification.conftest import platform_pki  # noqa: F401 - fixtures
from tests.e2e.certificates import certification_site, issue_outside_the_browser_loop  # noqa: F401 - fixtures
from tests.e2e.steps import text
from tests.e2e.test_accessibility import PHONE, full_site  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def assert_on_first_screen(page, locator):
    box = locator.bounding_box()
    assert box is not None, "the verdict is not displayed"
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box
    assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], box


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_verdict_is_on_the_first_screen_of_a_phone(browser, live_server, full_site, language, javascript):  # noqa: F811
    certificate = full_site
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, java_script_enabled=javascript
    )
    page = context.new_page()
    try:
        # Where the QR code leads, and the answer to a typed code.
        for path in (
            f"/{language}/verify/{certificate.public_id}",
            f"/{language}/verify/?code={certificate.grouped_verification_code}",
        ):
            page.goto(path)
            verdict = page.locator(".verification-result h2 .badge")
            assert verdict.inner_text() == text("Valid", language)
            assert_on_first_screen(page, verdict)
            assert_on_first_screen(page, page.locator(".verification-result").get_by_text(certificate.serial).first)
            # No empty form above the verdict: the form is one link away.
            assert page.locator("input#id_code").count() == 0
        page.get_by_role("link", name=text("Check another certificate", language)).click()
        page.locator("input#id_code").wait_for()
        assert page.locator(".verification-result").count() == 0
    finally:
        context.close()
