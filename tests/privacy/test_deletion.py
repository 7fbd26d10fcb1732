"""Account deletion: confirmed through the e-mailed link, it erases what it says in every table, keeps the
certificate so that it still verifies by code and by PDF, signs the person out for good; a forged, foreign or
expired link and a privileged account change nothing."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from accounts.models import PolicyConsent, TeacherProfile, User
from assessments.models import Attempt, AttemptSlot
from audit.models import Action, AuditEntry
from certification.models import Certificate, NameCorrectionRequest
from certification.transparency.log import entry_for, inclusion_for
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from community.models import ContactRequest, Expert, Membership
from courses.models import (
    Attendance,
    ContentUserData,
    Enrolment,
    H5PAttempt,
    ModuleProgress,
    Registration,
    ScormTrack,
    XAPIStatement,
)
from discussions.models import Post, Report, Subscription, Thread
from feedback.models import Submission
from notifications.models import Notification
from privacy.deletion import confirmation_token
from privacy.models import SignIn
from resources.models import Favourite, Resource
from tests.accounts.factories import PASSWORD, UserFactory
from tests.certification.poppler import pdfsig

pytestmark = pytest.mark.django_db

# Every table that holds the person, and how many of their rows each must keep after the deletion.
ERASED = {
    TeacherProfile: "user",
    UserProfile: "user",
    EmailAddress: "user",
    PolicyConsent: "user",
    SignIn: "user",
    Enrolment: "user",
    ModuleProgress: "user",
    H5PAttempt: "user",
    XAPIStatement: "user",
    ContentUserData: "user",
    ScormTrack: "user",
    Registration: "user",
    Attendance: "user",
    Attempt: "user",
    AttemptSlot: "attempt__user",
    Submission: "user",
    Report: "reporter",
    Subscription: "user",
    Favourite: "user",
    Membership: "user",
    ContactRequest: "sender",
    Expert: "user",
    Notification: "recipient",
    Thread: "author",
    Post: "author",
    NameCorrectionRequest: "user",
}


def counts(user):
    return {model.__name__: model.objects.filter(**{lookup: user}).count() for model, lookup in ERASED.items()}


def rows_still_referring_to(user):
    """Every relation to the user model, in every installed app: the rows that still point at ``user``."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for relation in model._meta.get_fields():
            if relation.is_relation and relation.concrete and relation.related_model is User:
                count = model._base_manager.filter(**{relation.name: user}).count()
                if count:
                    found[f"{model._meta.label}.{relation.name}"] = count
    return found


def ask_for_the_link(client, user):
    client.force_login(user)
    mail.outbox.clear()
    response = client.post(reverse("privacy:delete_account"))
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "確認刪除您的帳號 / Confirm the deletion of your account"
    return re.search(r"http://testserver(/\S+/delete/confirm/\S+/)", message.body).group(1)


def test_the_page_says_what_is_kept_before_anything_happens(client, alice):
    client.force_login(alice.user)
    with translation.override("en"):
        body = client.get(reverse("privacy:delete_account")).content.decode()
    assert "serial number and verification code" in body and "signed PDF with its hash" in body
    link = ask_for_the_link(client, alice.user)
    body = client.get(link).content.decode()
    assert "證書字號與查驗碼" in body and "經數位簽章的 PDF 與其雜湊值" in body and 'name="confirm"' in body
    # Opening the link (a mail scanner does) deletes nothing.
    assert User.objects.get(pk=alice.user.pk).is_active and counts(alice.user)["Enrolment"] == 1


def test_deletion_erases_what_it_says_and_the_certificate_still_verifies(client, alice, bob, home_page):
    before_bob = counts(bob.user)
    certificate = alice.certificate
    pdf = certificate.pdf.read()
    logged = inclusion_for(certificate)
    assert logged is not None

    link = ask_for_the_link(client, alice.user)
    response = client.post(link, {"confirm": "delete"})
    assert response.status_code == 302 and response["Location"].endswith(reverse("privacy:account_deleted"))

    remains = User.objects.get(pk=alice.user.pk)
    assert not remains.is_active and not remains.has_usable_password() and remains.is_erased
    assert remains.first_name == remains.last_name == "" and "alice" not in remains.email + remains.username
    left = counts(remains)
    assert left == dict.fromkeys(left, 0), left
    # Posts stay, without their author; the public resource stays, the draft is gone.
    assert Post.objects.filter(text="Alicemark post", author__isnull=True).exists()
    assert Resource.objects.filter(pk=alice.public_resource.pk, author=remains).exists()
    assert not Resource.objects.filter(pk=alice.draft_resource.pk).exists()
    assert remains.display_name == "已刪除的使用者"
    # The other person is untouched.
    assert counts(bob.user) == before_bob
    # Across every table of the project that refers to an account, only what the page says is kept still does.
    assert rows_still_referring_to(remains) == {
        "audit.AuditEntry.actor": AuditEntry.objects.filter(actor=remains).count(),
        "certification.Certificate.user": 1,
        "resources.Resource.author": 1,
    }

    # Signed out, and never in again.
    assert "_auth_user_id" not in client.session
    assert not client.login(username=alice.user.email, password=PASSWORD)
    response = client.post(reverse("account_login"), {"login": "alice@school.example.tw", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    entry = AuditEntry.objects.get(action=Action.ACCOUNT_DELETED)
    assert entry.target_id == str(remains.pk) and "alice" not in entry.actor_label
    assert entry.changes["erased"]["courses.Enrolment"] == 1

    # The certificate still verifies: by its code, by its PDF with our verifier and with poppler, and in the log.
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.status == Certificate.Status.ISSUED and certificate.holder_name_zh == "Alicemark中文名"
    body = client.get(reverse("certification:verify"), {"code": certificate.verification_code}).content.decode()
    assert "verification-valid" in body and certificate.serial in body
    stored = certificate.pdf.read()
    assert stored == pdf
    assert verify_certificate_pdf(stored).verdict == PdfVerdict.SIGNED_BY_US
    report = pdfsig(stored)
    assert "Signature is Valid." in report and "Total document signed" in report
    upload = client.post(reverse("certification:verify_pdf"), {"pdf": SimpleUploadedFile("c.pdf", stored)})
    assert "verification-valid" in upload.content.decode()
    assert inclusion_for(certificate) == logged and entry_for(certificate) == entry_for(alice.certificate)


def forged_links(user):
    real = confirmation_token(user)
    return [
        real[:-3] + "abc",
        signing.dumps({"user": user.pk, "fingerprint": "0" * 32}, salt="privacy.account-deletion.confirm"),
        signing.dumps({"user": user.pk}, salt="another.salt"),
        "not-a-token",
    ]


def test_forged_foreign_and_expired_links_change_nothing(client, alice, bob, monkeypatch):
    client.force_login(alice.user)
    before = counts(alice.user)
    for token in forged_links(alice.user):
        response = client.post(reverse("privacy:confirm_deletion", args=[token]), {"confirm": "delete"})
        assert response.status_code == 404
    # Bob's genuine link, used in Alice's session, is not hers.
    response = client.post(
        reverse("privacy:confirm_deletion", args=[confirmation_token(bob.user)]), {"confirm": "delete"}
    )
    assert response.status_code == 404
    # A link older than a day.
    old = int(timezone.now().timestamp()) - 25 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    expired = confirmation_token(alice.user)
    monkeypatch.undo()
    response = client.post(reverse("privacy:confirm_deletion", args=[expired]), {"confirm": "delete"})
    assert response.status_code == 404
    # A link sent before the address changed.
    token = confirmation_token(alice.user)
    User.objects.filter(pk=alice.user.pk).update(email="alice.new@school.example.tw")
    response = client.post(reverse("privacy:confirm_deletion", args=[token]), {"confirm": "delete"})
    assert response.status_code == 404
    # Signed out, the genuine link leads to the sign-in page and deletes nothing.
    client.logout()
    response = client.post(
        reverse("privacy:confirm_deletion", args=[confirmation_token(User.objects.get(pk=alice.user.pk))]),
        {"confirm": "delete"},
    )
    assert response.status_code == 302 and "login" in response["Location"]

    assert User.objects.get(pk=alice.user.pk).is_active and counts(alice.user) == before
    assert not AuditEntry.objects.filter(action=Action.ACCOUNT_DELETED).exists()


@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_a_privileged_account_is_not_deleted_by_itself(client, role):
    user = UserFactory(is_staff=True, is_superuser=role == "superuser")
    TeacherProfile.objects.create(user=user, name_zh="管理員")
    client.force_login(user)
    mail.outbox.clear()
    with translation.override("en"):
        response = client.post(reverse("privacy:delete_account"))
    assert response.status_code == 403 and "Ask an administrator" in response.content.decode()
    assert not mail.outbox
    response = client.post(reverse("privacy:confirm_deletion", args=[confirmation_token(user)]), {"confirm": "delete"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active and user.has_usable_password() and TeacherProfile.objects.filter(user=user).exists()
    assert not AuditEntry.objects.filter(action=Action.ACCOUNT_DELETED).exists()


def test_the_confirmation_link_is_not_sent_again_within_minutes(client, alice):
    ask_for_the_link(client, alice.user)
    mail.outbox.clear()
    response = client.post(reverse("privacy:delete_account"))
    assert response.status_code == 200 and not mail.outbox
    assert "幾分鐘前" in response.content.decode() or "a few minutes ago" in response.content.decode()
