"""The checklist panel on *My learning* is cached per teacher: it follows their certificates and every programme
edit, and never shows one teacher's checklist to another."""

from tests.certification.factories import TeacherFactory


def dashboard(client, user):
    client.force_login(user)
    return client.get("/zh-hant/learning/").content.decode()


def test_panel_follows_a_certificate_issued_after_it_was_cached(client, teacher, programme, issue, home_page):
    before = dashboard(client, teacher)
    assert programme.name_zh in before
    certificate = issue(teacher, programme)
    after = dashboard(client, teacher)
    assert certificate.serial in after and certificate.serial not in before


def test_panel_follows_programme_edits(client, teacher, programme, home_page):
    old_name = programme.name_zh
    assert old_name in dashboard(client, teacher)
    programme.name_zh = "國際教育進階認證（修訂）"
    programme.save()
    html = dashboard(client, teacher)
    assert "國際教育進階認證（修訂）" in html and old_name not in html


def test_panel_is_the_teachers_own(client, certificate, programme, home_page):
    assert certificate.serial in dashboard(client, certificate.user)
    stranger = TeacherFactory()
    assert certificate.serial not in dashboard(client, stranger)


def test_a_holder_whose_programme_now_asks_more_is_told_why_the_checklist_is_not_met(
    client, teacher, programme, issue, home_page
):
    certificate = issue(teacher, programme)
    html = dashboard(client, teacher)
    # Issued under rules with nothing to meet: no explanation is owed.
    assert certificate.serial in html and "held-under-earlier-rules" not in html
    programme.minimum_hours = 40
    programme.save()
    html = dashboard(client, teacher)
    assert 'class="not-met"' in html
    assert "held-under-earlier-rules" in html and "在當時的規定下核發" in html
    client.force_login(teacher)
    english = client.get("/en/learning/").content.decode()
    assert "issued under the requirements in force at the time" in english


def test_a_teacher_without_a_certificate_sees_the_checklist_without_the_holders_note(
    client, teacher, programme, home_page
):
    programme.minimum_hours = 40
    programme.save()
    html = dashboard(client, teacher)
    assert 'class="not-met"' in html and "held-under-earlier-rules" not in html
