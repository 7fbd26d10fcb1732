"""The notification centre, per-kind preferences, e-mails with one-click unsubscribe, the daily digest, the bell."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from courses import attendance
from notifications.bell import unread_count
from notifications.delivery import notify
from notifications.kinds import Delivery, Kind
from notifications.models import Notification, Preference
from notifications.preferences import choice_for, choose
from notifications.unsubscribe import EVERY_KIND, read_unsubscribe_token, unsubscribe_token
from tests.accounts.factories import UserFactory
from tests.courses.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher():
    return UserFactory()


def reply(recipient, subject="跨文化教案分享", actor="林老師"):
    return notify(recipient, "reply", url="/community/", context={"subject": subject, "actor": actor})


class TestCentre:
    def test_notify_stores_it_and_it_reads_in_each_language(self, teacher):
        notify(teacher, "certificate_issued", context={"subject": "初階證書", "subject_en": "Beginner certificate"})
        notification = Notification.objects.get(recipient=teacher)
        assert notification.kind == Kind.CERTIFICATE and notification.is_unread
        with translation.override("en"):
            assert notification.message == "Your certificate “Beginner certificate” has been issued."
        with translation.override("zh-hant"):
            assert "初階證書" in notification.message and "Beginner" not in notification.message

    def test_list_shows_only_ones_own(self, client, teacher):
        reply(teacher, subject="我的討論串")
        reply(UserFactory(), subject="別人的討論串")
        client.force_login(teacher)
        page = client.get(reverse("notifications:list")).content.decode()
        assert "我的討論串" in page and "別人的討論串" not in page

    def test_opening_marks_read_and_follows_a_local_link_only(self, client, teacher):
        local = reply(teacher)
        foreign = notify(teacher, "reply", url="https://evil.example/phish", context={"subject": "x"})
        client.force_login(teacher)
        response = client.post(reverse("notifications:open", args=[local.pk]))
        assert response.status_code == 302 and response.url == "/community/"
        local.refresh_from_db()
        assert local.read_at is not None
        response = client.post(reverse("notifications:open", args=[foreign.pk]))
        assert response.url == reverse("notifications:list")

    def test_someone_elses_notification_cannot_be_opened_or_marked(self, client, teacher):
        theirs = reply(UserFactory())
        client.force_login(teacher)
        assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_opening_needs_a_post(self, client, teacher):
        mine = reply(teacher)
        client.force_login(teacher)
        assert client.get(reverse("notifications:open", args=[mine.pk])).status_code == 405
        mine.refresh_from_db()
        assert mine.read_at is None

    def test_mark_all_read_touches_only_ones_own(self, client, teacher):
        other = UserFactory()
        reply(teacher), reply(teacher), reply(other)
        client.force_login(teacher)
        client.post(reverse("notifications:read_all"))
        assert not Notification.objects.filter(recipient=teacher, read_at__isnull=True).exists()
        assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1

    def test_anonymous_visitor_is_sent_to_log_in(self, client):
        response = client.get(reverse("notifications:list"))
        assert response.status_code == 302 and "login" in response.url


class TestBell:
    def test_count_is_cached_and_forgotten_on_change(self, teacher, django_assert_num_queries):
        reply(teacher)
        with django_assert_num_queries(1):
            assert unread_count(teacher) == 1
        with django_assert_num_queries(0):
            assert unread_count(teacher) == 1
        reply(teacher)
        assert unread_count(teacher) == 2

    def test_a_page_view_asks_nothing_of_notifications_when_nothing_changed(self, client, teacher, home_page):
        reply(teacher)
        client.force_login(teacher)
        url = reverse("accounts:profile")
        assert 'data-unread="1"' in client.get(url).content.decode()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert 'data-unread="1"' in page
        assert not [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
        reply(teacher)
        assert 'data-unread="2"' in client.get(url).content.decode(), "a new notification shows on the next page"

    def test_reading_lowers_the_count_on_the_next_page(self, client, teacher, home_page):
        notification = reply(teacher)
        client.force_login(teacher)
        url = reverse("accounts:profile")
        assert 'data-unread="1"' in client.get(url).content.decode()
        client.post(reverse("notifications:open", args=[notification.pk]))
        assert "data-unread" not in client.get(url).content.decode()

    def test_one_persons_count_is_never_shown_to_another(self, teacher, home_page):
        other = UserFactory()
        for _ in range(3):
            reply(teacher)
        reply(other)
        url = reverse("accounts:profile")
        mine, theirs = Client(), Client()
        mine.force_login(teacher)
        theirs.force_login(other)
        assert 'data-unread="3"' in mine.get(url).content.decode()
        page = theirs.get(url).content.decode()
        assert 'data-unread="1"' in page and 'data-unread="3"' not in page
        assert 'data-unread="3"' in mine.get(url).content.decode()

    def test_no_bell_for_anonymous_visitors(self, client, home_page):
        page = client.get(reverse("certification:verify")).content.decode()
        assert reverse("notifications:list") not in page


class TestPreferences:
    def test_defaults_then_a_choice(self, teacher):
        assert choice_for(teacher, Kind.REPLY).email == Delivery.DIGEST
        assert choice_for(teacher, Kind.CERTIFICATE).email == Delivery.IMMEDIATE
        choose(teacher, Kind.REPLY, email=Delivery.OFF)
        assert choice_for(teacher, Kind.REPLY) == choice_for(teacher, Kind.REPLY)
        assert choice_for(teacher, Kind.REPLY).email == Delivery.OFF and choice_for(teacher, Kind.REPLY).in_app

    def test_in_app_off_keeps_it_out_of_the_centre_and_the_count(self, teacher, django_capture_on_commit_callbacks):
        choose(teacher, Kind.MENTION, in_app=False)
        with django_capture_on_commit_callbacks(execute=True):
            notify(teacher, "mention", context={"subject": "s", "actor": "a"})
        assert unread_count(teacher) == 0
        assert len(mail.outbox) == 1, "the e-mail still goes, as chosen"

    def test_nothing_chosen_means_nothing_stored(self, teacher):
        choose(teacher, Kind.REPLY, in_app=False, email=Delivery.OFF)
        assert reply(teacher) is None and not Notification.objects.exists()

    def test_email_at_once_carries_one_click_unsubscribe(self, teacher, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            notification = notify(teacher, "mention", url="/community/", context={"subject": "教案", "actor": "林"})
        message = mail.outbox[-1]
        assert message.to == [teacher.email]
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        token = unsubscribe_token(teacher.pk, Kind.MENTION)
        assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver/notifications/unsubscribe/{token}/>"
        assert "教案" in message.subject and "mentioned you" in message.body
        notification.refresh_from_db()
        assert notification.emailed_at is not None

    def test_email_goes_once_however_often_asked(self, teacher, django_capture_on_commit_callbacks):
        from notifications.emails import send_email_now

        with django_capture_on_commit_callbacks(execute=True):
            notification = notify(teacher, "mention", context={"subject": "s", "actor": "a"})
        assert send_email_now(notification.pk) is False
        assert len(mail.outbox) == 1

    def test_no_email_when_the_transaction_rolls_back(self, teacher, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            notify(teacher, "mention", context={"subject": "s", "actor": "a"})
        assert len(callbacks) >= 1 and mail.outbox == [], "the e-mail waits for the commit"

    def test_preferences_page_saves_every_kind(self, client, teacher):
        client.force_login(teacher)
        data = {f"{kind.value}_email": Delivery.IMMEDIATE for kind in Kind}
        data |= {f"{kind.value}_in_app": "on" for kind in Kind if kind != Kind.REPLY}
        data[f"{Kind.CERTIFICATE.value}_email"] = Delivery.OFF
        response = client.post(reverse("notifications:preferences"), data)
        assert response.status_code == 302
        assert choice_for(teacher, Kind.REPLY).in_app is False
        assert choice_for(teacher, Kind.CERTIFICATE).email == Delivery.OFF
        assert choice_for(teacher, Kind.MENTION).email == Delivery.IMMEDIATE

    def test_preferences_page_refuses_an_unknown_delivery(self, client, teacher):
        client.force_login(teacher)
        data = {f"{kind.value}_email": "carrier-pigeon" for kind in Kind}
        response = client.post(reverse("notifications:preferences"), data)
        assert response.status_code == 200 and not Preference.objects.exists()


class TestUnsubscribe:
    def url(self, token):
        return reverse("notifications_unsubscribe", args=[token])

    def test_one_click_post_works_without_login_or_csrf(self, teacher):
        client = Client(enforce_csrf_checks=True)
        token = unsubscribe_token(teacher.pk, Kind.REPLY)
        response = client.post(self.url(token), {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert choice_for(teacher, Kind.REPLY).email == Delivery.OFF
        assert choice_for(teacher, Kind.REPLY).in_app, "the centre keeps showing them"
        assert choice_for(teacher, Kind.MENTION).email == Delivery.IMMEDIATE, "other kinds are untouched"

    def test_a_get_only_asks(self, client, teacher):
        response = client.get(self.url(unsubscribe_token(teacher.pk, Kind.REPLY)))
        assert response.status_code == 200 and b"<form" in response.content
        assert not Preference.objects.exists()

    def test_every_kind(self, client, teacher):
        client.post(self.url(unsubscribe_token(teacher.pk, EVERY_KIND)))
        assert all(choice_for(teacher, kind).email == Delivery.OFF for kind in Kind)

    @pytest.mark.parametrize(
        "token",
        ["nonsense", "eyJ1IjoxLCJrIjoicmVwbHkifQ:forged:signature"],
    )
    def test_a_forged_token_changes_nothing(self, client, teacher, token):
        assert client.post(self.url(token)).status_code == 400
        assert not Preference.objects.exists()

    def test_a_token_for_another_purpose_is_refused(self, client, teacher):
        from django.core import signing

        token = signing.dumps({"u": teacher.pk, "k": Kind.REPLY.value}, salt="something.else")
        assert client.post(self.url(token)).status_code == 400
        unknown_kind = unsubscribe_token(teacher.pk, "everything-forever")
        assert client.post(self.url(unknown_kind)).status_code == 400
        assert not Preference.objects.exists()


class TestDigest:
    def test_daily_command_sends_one_email_per_person_once(self, teacher):
        other = UserFactory()
        reply(teacher, subject="第一串"), reply(teacher, subject="第二串"), reply(other, subject="第三串")
        assert mail.outbox == [], "replies wait for the digest by default"
        call_command("send_notification_digest", stdout=open("/dev/null", "w"))
        assert sorted(m.to[0] for m in mail.outbox) == sorted([teacher.email, other.email])
        mine = next(m for m in mail.outbox if m.to == [teacher.email])
        assert "第一串" in mine.body and "第二串" in mine.body and "第三串" not in mine.body
        assert "2" in mine.subject
        # The token is signed with a timestamp: read it back rather than sign again (the second may have changed).
        link = re.fullmatch(
            r"<http://testserver/notifications/unsubscribe/([^/]+)/>", mine.extra_headers["List-Unsubscribe"]
        )
        assert link and read_unsubscribe_token(link[1]) == (teacher.pk, EVERY_KIND)
        mail.outbox.clear()
        call_command("send_notification_digest", stdout=open("/dev/null", "w"))
        assert mail.outbox == []
        assert not Notification.objects.filter(awaiting_digest=True).exists()
        assert Notification.objects.filter(recipient=teacher, read_at__isnull=True).count() == 2, "still unread"

    def test_immediate_and_off_do_not_enter_the_digest(self, teacher):
        choose(teacher, Kind.REPLY, email=Delivery.OFF)
        reply(teacher)
        call_command("send_notification_digest", stdout=open("/dev/null", "w"))
        assert mail.outbox == []


class TestEvents:
    def test_registration_waiting_list_and_promotion(self):
        session = TrainingSessionFactory(
            capacity=1, hours=Decimal("3"), title="國際教育研習", starts_at=timezone.now() + datetime.timedelta(days=3)
        )
        first, second = UserFactory(), UserFactory()
        attendance.register(session, first)
        attendance.register(session, second)
        assert Notification.objects.get(recipient=first).event == "registered"
        assert Notification.objects.get(recipient=second).event == "waitlisted"
        attendance.cancel_registration(session, first)
        assert list(Notification.objects.filter(recipient=second).values_list("event", flat=True)) == [
            "waitlist_promoted",
            "waitlisted",
        ]
        with translation.override("en"):
            assert "國際教育研習" in Notification.objects.filter(recipient=second).first().message
