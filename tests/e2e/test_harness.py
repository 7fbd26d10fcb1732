import pytest
from django.core import mail

from tests.e2e.accessibility import assert_accessible, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_browser_reads_what_the_test_wrote_and_the_server_sees_the_outbox(page, bilingual_home):
    response = page.goto("/zh-hant/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == bilingual_home["zh-hant"].hero_title

    page.get_by_role("navigation", name="語言").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == bilingual_home["en"].hero_title

    page.goto("/en/accounts/password/reset/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Reset My Password").click()
    page.wait_for_url("**/password/reset/done/")
    assert [message.to for message in mail.outbox] == [["nobody@example.org"]]


def test_axe_finds_a_planted_violation(page, bilingual_home):
    page.goto("/en/")
    assert_accessible(page)
    page.evaluate("document.querySelector('h1').insertAdjacentHTML('afterend', '<img src=\"/x.png\">')")
    assert [violation["id"] for violation in serious_violations(page)] == ["image-alt"]
