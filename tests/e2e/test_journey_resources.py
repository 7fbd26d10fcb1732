"""Journey: a teacher shares a lesson plan, a reviewer asks for a change, the teacher makes it, the reviewer accepts
it, and it appears on the public list with its preview, licence and citation, and the site search finds it."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from lms.roles import RESOURCE_REVIEWERS
from resources.choices import Status
from resources.models import Resource
from tests.accounts.factories import PASSWORD
from tests.e2e.steps import field, label, sign_in, sign_in_with_two_factors, text
from tests.resources.documents import pdf_bytes
from tests.resources.factories import TeacherFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "姊妹校視訊交流：認識日本的學校生活"
COMMENT = "請補上學習目標。"


def decide(page, title, decision, comment=""):
    page.goto("/zh-hant/resources/review/")
    page.get_by_role("link", name=title).click()
    page.get_by_label(text(decision)).check()
    if comment:
        field(page, text("Comments to the author")).fill(comment)
    page.get_by_role("button", name=text("Send the decision")).click()
    page.get_by_role("status").filter(has_text=title).wait_for()


def test_submit_review_fix_accept_publish(page, browser, live_server, home_page, tmp_path):
    teacher = TeacherFactory(email="author@school.example.tw")
    reviewer = TeacherFactory(email="reviewer@moe.example.tw")
    reviewer.groups.add(Group.objects.get(name=RESOURCE_REVIEWERS))
    secret = generate_totp_secret()
    TOTP.activate(reviewer, secret)
    plan = tmp_path / "lesson-plan.pdf"
    plan.write_bytes(pdf_bytes())

    sign_in(page, teacher.email, PASSWORD)
    page.goto("/zh-hant/resources/new/")
    field(page, label("title")).fill(TITLE)
    field(page, label("summary")).fill("與日本姊妹校視訊，比較兩地的學校生活。")
    field(page, label("kind")).select_option(label=text("Lesson plan"))
    field(page, label("file")).set_input_files(plan)
    field(page, label("school level")).select_option(label=text("Junior high school"))
    field(page, label("subject domain")).select_option(label=text("Social studies"))
    field(page, label("international-education theme")).select_option(
        label=text("International exchange and sister schools")
    )
    # Within the form: the header's language switcher is a navigation named 語言 too.
    field(page.locator("main form"), label("language")).select_option(label=text("Mandarin Chinese"))
    field(page, label("duration (minutes)")).fill("90")
    page.get_by_label(text("Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)")).check()
    page.get_by_role("button", name=text("Submit for review")).click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    resource = Resource.objects.get(title=TITLE)
    assert resource.status == Status.SUBMITTED

    reviewing = browser.new_context(base_url=live_server.url, locale="zh-TW")
    try:
        desk = reviewing.new_page()
        sign_in_with_two_factors(desk, reviewer.email, PASSWORD, secret)
        decide(desk, TITLE, "Ask for changes", COMMENT)
        assert Resource.objects.get(pk=resource.pk).status == Status.CHANGES_REQUESTED

        # The teacher hears of it through the bell and fixes the resource.
        page.goto("/zh-hant/resources/")
        bell = page.locator("a.bell")
        assert bell.locator(".bell-count").inner_text() == "1"
        bell.click()
        notice = page.locator(".notification-unread").first
        assert COMMENT in notice.inner_text()
        notice.get_by_role("button").click()
        page.get_by_role("heading", level=1, name=TITLE).wait_for()
        page.get_by_role("link", name=text("Edit")).click()
        assert COMMENT in page.locator("main").inner_text()
        field(page, label("summary")).fill("學習目標：能比較臺灣與日本的學校生活。與日本姊妹校視訊。")
        page.get_by_role("button", name=text("Submit for review")).click()
        page.get_by_role("heading", level=1, name=TITLE).wait_for()

        decide(desk, TITLE, "Accept and publish")
    finally:
        reviewing.close()

    # Public: anyone finds it on the list, with its first page, its licence and how to cite it.
    page.context.clear_cookies()
    page.goto("/zh-hant/resources/?school_level=junior_high")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    main = page.locator("main")
    assert "學習目標" in main.inner_text()
    assert main.get_by_role("link", name="CC BY-SA 4.0").count() == 1 or "CC BY-SA 4.0" in main.inner_text()
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in main.locator(".citation").inner_text()
    preview = main.locator(".resource-preview img")
    assert preview.evaluate("image => image.complete && image.naturalWidth > 0")
    with page.expect_download() as download:
        main.get_by_role("link", name=text("Download")).click()
    assert download.value.suggested_filename == "lesson-plan.pdf"
    assert Resource.objects.get(pk=resource.pk).download_count == 1

    # Found by search: the header's search box finds it by words of its corrected summary, 台灣 typed for 臺灣.
    box = page.get_by_role("search", name=text("Search the site"), exact=True).get_by_label(
        text("Search the site"), exact=True
    )
    box.fill("台灣 姊妹校")
    box.press("Enter")
    found = page.locator("main ol.search-results > li").filter(has=page.get_by_role("link", name=TITLE))
    found.wait_for()
    assert "臺灣" in found.locator("mark").all_inner_texts()
    found.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
