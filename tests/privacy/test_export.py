"""“Download my data”: the copy holds everything of the person in every area, and nothing of anyone else; the link
is theirs alone and expires; one copy is prepared at a time."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import Action, AuditEntry
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from notifications.models import Notification
from privacy import registry
from privacy.export import MAX_EXPORTS_PER_DAY, download_url, request_export
from privacy.models import DataExport, SignIn
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

EXPECTED_TABLES = [
    "accounts/account",
    "accounts/profile",
    "accounts/email_addresses",
    "accounts/consents",
    "accounts/sign_ins",
    "accounts/authenticators",
    "courses/enrolments",
    "courses/module_progress",
    "courses/h5p_attempts",
    "courses/xapi_statements",
    "courses/h5p_saved_state",
    "courses/scorm_tracks",
    "courses/workshop_registrations",
    "courses/attendance",
    "assessments/quiz_attempts",
    "assessments/quiz_responses",
    "feedback/questionnaires_answered",
    "discussions/threads",
    "discussions/posts",
    "discussions/reports",
    "discussions/subscriptions",
    "resources/resources",
    "resources/favourites",
    "community/memberships",
    "community/expert_entry",
    "community/messages_to_experts",
    "certification/certificates",
    "certification/name_correction_requests",
    "notifications/notifications",
]


def ask_and_download(client, person, capture):
    client.force_login(person.user)
    with capture(execute=True):
        response = client.post(reverse("privacy:ask_for_export"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=person.user)
    assert export.status == DataExport.Status.READY
    (message,) = [m for m in mail.outbox if "A copy of your personal data is ready" in m.subject]
    assert message.to == [person.user.email]
    link = re.search(r"http://testserver(/\S+/download/\S+/)", message.body).group(1)
    assert message.subject == "您的個人資料副本已準備完成 / A copy of your personal data is ready"
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))), link


def everything_in(archive) -> str:
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_the_copy_holds_every_area_of_the_person_and_nothing_of_anyone_else(
    client, alice, bob, django_capture_on_commit_callbacks
):
    # Bob replied to Alice: she was told, and her copy says so without naming him.
    Notification.objects.create(
        recipient=alice.user, kind="reply", event="reply", context={"actor": "Bobmark Chen", "subject": "歡迎討論"}
    )
    mail.outbox.clear()
    archive, _link = ask_and_download(client, alice, django_capture_on_commit_callbacks)
    names = set(archive.namelist())
    for table in EXPECTED_TABLES:
        assert f"{table}.json" in names and f"{table}.csv" in names, table
    assert "README.txt" in names
    pdf_name = f"certification/certificates/{alice.certificate.serial}.pdf"
    assert verify_certificate_pdf(archive.read(pdf_name)).verdict == PdfVerdict.SIGNED_BY_US

    def rows(table):
        return json.loads(archive.read(f"{table}.json"))

    # Each area holds the person's own rows, with their words.
    assert rows("accounts/account")[0]["email"] == alice.user.email and "password" not in rows("accounts/account")[0]
    assert rows("accounts/profile")[0]["name_zh"] == "Alicemark中文名"
    assert rows("accounts/site_preferences")[0]["current_time_zone"] == "Asia/Taipei"
    assert {"subject": "歡迎討論"} in [row["context"] for row in rows("notifications/notifications")]
    assert rows("accounts/consents")[0]["version_number"] == 1
    assert rows("accounts/sign_ins")[0]["user_agent"] == "AlicemarkBrowser/1.0"
    assert rows("courses/enrolments")[0]["course_title"] == "國際教育概論"
    assert rows("courses/xapi_statements")[0]["statement_id"] == alice.statement_id
    assert rows("courses/h5p_saved_state")[0]["data"] == "Alicemark saved state"
    assert rows("courses/scorm_tracks")[0]["suspend_data"] == "Alicemark suspend"
    assert rows("courses/attendance")[0]["session_title"] == "工作坊"
    assert rows("assessments/quiz_responses")[0]["response"] == {"text": "Alicemark essay answer"}
    assert len(rows("feedback/questionnaires_answered")) == 1
    assert {row["text"] for row in rows("discussions/posts")} == {"Alicemark post", "Alicemark opening"}
    assert rows("discussions/threads")[0]["title"] == "Alicemark thread"
    assert {row["title"] for row in rows("resources/resources")} == {"Alicemark public plan", "Alicemark draft plan"}
    assert len(rows("resources/favourites")) == 1
    assert rows("community/expert_entry")[0]["bio_en"] == "Alicemark biography"
    assert rows("community/messages_to_experts")[0]["message"] == "Alicemark message to an expert"
    assert rows("certification/certificates")[0]["serial"] == alice.certificate.serial
    # The CSV twin reads in a spreadsheet: a header and the same rows.
    enrolments = list(csv.DictReader(io.StringIO(archive.read("courses/enrolments.csv").decode("utf-8-sig"))))
    assert enrolments[0]["course_title"] == "國際教育概論" and len(enrolments) == 1

    text = everything_in(archive)
    for word in alice.words:
        assert word in text
    # Nothing of the other person: not a word, an address, a serial, a code, a statement.
    for word in [*bob.words, bob.statement_id, "Bobmark"]:
        assert word not in text, word
    # Nor who recorded, graded or issued anything: people other than the person appear by no reference.
    for table in ("courses/attendance", "certification/certificates"):
        for row in rows(table):
            assert "recorded_by" not in row and "issued_by" not in row


def test_the_request_is_announced_audited_and_the_link_is_the_persons_alone(
    client, alice, bob, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    _archive, link = ask_and_download(client, alice, django_capture_on_commit_callbacks)
    export = DataExport.objects.get(user=alice.user)
    assert Notification.objects.filter(recipient=alice.user, event="data_export_ready").exists()
    entry = AuditEntry.objects.get(action=Action.DATA_EXPORTED)
    assert entry.actor == alice.user and entry.target_id == str(export.pk)

    client.force_login(bob.user)
    assert client.get(link).status_code == 404
    client.logout()
    assert client.get(link).status_code == 302  # to the sign-in page

    client.force_login(alice.user)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    forged = signing.dumps({"export": export.pk, "user": alice.user.pk}, salt="another.salt")
    assert client.get(reverse("privacy:download_export", args=[forged])).status_code == 404
    assert client.get(reverse("privacy:download_export", args=[token[:-2] + "xx"])).status_code == 404

    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    response = client.get(link)
    assert response.status_code == 404 and "此連結無效" in response.content.decode()


def test_a_link_signed_longer_ago_than_the_retention_is_refused(client, alice, monkeypatch):
    export = DataExport.objects.create(
        user=alice.user, status=DataExport.Status.READY, expires_at=timezone.now() + timezone.timedelta(days=1)
    )
    export.file.save("x/copy.zip", io.BytesIO(b"PK"), save=True)
    old = int(timezone.now().timestamp()) - 8 * 24 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    link = download_url(export)
    monkeypatch.undo()
    client.force_login(alice.user)
    assert client.get(link).status_code == 404


def test_one_copy_at_a_time_and_a_few_a_day(client, alice):
    first = request_export(alice.user)  # no on-commit callback: it stays queued
    client.force_login(alice.user)
    response = client.post(reverse("privacy:ask_for_export"), follow=True)
    assert "您的資料副本正在準備中" in response.content.decode()
    assert DataExport.objects.filter(user=alice.user).count() == 1

    DataExport.objects.filter(pk=first.pk).update(status=DataExport.Status.READY)
    for _index in range(MAX_EXPORTS_PER_DAY - 1):
        DataExport.objects.create(user=alice.user, status=DataExport.Status.READY)
    response = client.post(reverse("privacy:ask_for_export"), follow=True)
    assert "請明天再試" in response.content.decode()
    assert DataExport.objects.filter(user=alice.user).count() == MAX_EXPORTS_PER_DAY


def test_the_cleanup_deletes_expired_copies_and_their_files(alice, bob):
    expired = DataExport.objects.create(
        user=alice.user, status=DataExport.Status.READY, expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    expired.file.save("a/copy.zip", io.BytesIO(b"PK"), save=True)
    current = DataExport.objects.create(
        user=bob.user, status=DataExport.Status.READY, expires_at=timezone.now() + timezone.timedelta(days=3)
    )
    current.file.save("b/copy.zip", io.BytesIO(b"PK"), save=True)
    storage, name = expired.file.storage, expired.file.name
    old_sign_in = SignIn.objects.create(user=alice.user, at=timezone.now() - timezone.timedelta(days=366))
    out = io.StringIO()
    call_command("delete_expired_data_exports", stdout=out)
    assert "Deleted 1 expired personal data export(s) and 1 old sign-in(s)" in out.getvalue()
    assert not SignIn.objects.filter(pk=old_sign_in.pk).exists() and SignIn.objects.filter(user=alice.user).exists()
    assert not DataExport.objects.filter(pk=expired.pk).exists() and not storage.exists(name)
    assert DataExport.objects.filter(pk=current.pk).exists() and storage.exists(current.file.name)


def test_the_page_is_bilingual_and_labelled(client):
    user = UserFactory()
    client.force_login(user)
    with translation.override("en"):
        english = client.get(reverse("privacy:personal_data")).content.decode()
    assert "Download a copy of my data" in english
    with translation.override("zh-hant"):
        url = reverse("privacy:personal_data")
    chinese = client.get(url).content.decode()
    assert 'aria-labelledby="copy-heading"' in chinese and "下載我的資料副本" in chinese


def test_a_sign_in_is_noted_with_its_address_and_browser(client):
    user = UserFactory()
    assert client.login(username=user.email, password=PASSWORD)
    client.logout()
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_USER_AGENT="Mozilla/5.0 Test",
        REMOTE_ADDR="198.51.100.4",
    )
    latest = SignIn.objects.filter(user=user).order_by("-pk").first()
    assert SignIn.objects.filter(user=user).count() == 2
    assert latest.ip_address == "198.51.100.4" and latest.user_agent == "Mozilla/5.0 Test"


def test_a_copy_that_cannot_be_built_is_failed_and_the_person_told(
    alice, monkeypatch, django_capture_on_commit_callbacks
):

    def broken(user):
        raise OSError("disk full")
        yield

    monkeypatch.setitem(registry._parts, "broken", registry.Part(app="broken", export=broken, erase=lambda user: {}))
    with django_capture_on_commit_callbacks(execute=True):
        export = request_export(alice.user)
    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED and export.error == "OSError" and not export.file
    assert Notification.objects.filter(recipient=alice.user, event="data_export_failed").exists()
    # A failed copy does not block the next request.
    monkeypatch.delitem(registry._parts, "broken")
    with django_capture_on_commit_callbacks(execute=True):
        again = request_export(alice.user)
    again.refresh_from_db()
    assert again.status == DataExport.Status.READY
