"""Journey 1: a new teacher signs up in zh-Hant, confirms the address, fills the profile and switches to English."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import TeacherProfile
from tests.e2e.steps import field, label, text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "hsu.yating@ms.tcjh.tc.edu.tw"
PASSWORD = "Formosa-Exchange-2026"


def test_sign_up_confirm_profile_and_switch_to_english(page, demo_site):
    page.goto("/zh-hant/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
    page.get_by_role("navigation", name=text("Main")).get_by_role("link", name=text("Sign up")).click()
    page.get_by_role("heading", level=1, name=text("Sign Up")).wait_for()

    # A password that is too short is refused and nothing is created.
    field(page, text("Email")).fill(EMAIL)
    field(page, text("Password")).fill("short1")
    field(page, text("Password (again)")).fill("short1")
    page.locator("main form").get_by_role("button", name=text("Sign Up")).click()
    page.get_by_text(re.compile("10")).first.wait_for()
    assert "/accounts/signup/" in page.url
    assert not EmailAddress.objects.filter(email=EMAIL).exists()
    assert mail.outbox == []

    field(page, text("Password")).fill(PASSWORD)
    field(page, text("Password (again)")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=text("Sign Up")).click()
    page.wait_for_url("**/zh-hant/accounts/confirm-email/")
    assert EmailAddress.objects.get(email=EMAIL).verified is False

    # The confirmation mail is in Chinese too, and its link carries the reader back in the same language.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+/zh-hant/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.locator("main form").get_by_role("button", name=text("Confirm")).click()
    page.wait_for_url("**/zh-hant/accounts/profile/")
    assert EmailAddress.objects.get(email=EMAIL).verified is True

    page.get_by_label(label("name in Chinese")).fill("許雅婷")
    page.get_by_label(label("name in English")).fill("  Ya-Ting   Hsu ")
    field(page, label("school")).fill("臺中市立大墩國民中學")
    page.get_by_label(label("school level")).select_option("junior_high")
    page.get_by_label(label("county/city")).select_option("taichung_city")
    page.get_by_role("button", name=text("Save profile")).click()
    page.get_by_role("status").filter(has_text=text("Your profile has been saved.")).wait_for()

    profile = TeacherProfile.objects.get(user__email=EMAIL)
    assert (profile.name_zh, profile.name_en, profile.school_level, profile.county) == (
        "許雅婷",
        "Ya-Ting Hsu",
        "junior_high",
        "taichung_city",
    )
    assert profile.is_complete

    page.get_by_role("navigation", name=text("Language")).get_by_role("link", name="English").click()
    page.wait_for_url("**/en/accounts/profile/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("heading", level=1, name="My profile").wait_for()
    assert page.get_by_label("Name in English").input_value() == "Ya-Ting Hsu"
    assert page.get_by_label("Name in Chinese").input_value() == "許雅婷"
