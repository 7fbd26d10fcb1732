"""A staff user reaches the admin only with a second factor, and only through allauth's sign-in."""

import re
import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Permission
from django.core import mail

from tests.accounts.factories import PASSWORD, UserFactory

LOGIN = "/zh-hant/accounts/login/"


def current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def editor(db):
    """Someone allowed into the Wagtail admin who has not set up two-factor authentication."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def sign_in(client, user):
    """Through allauth's form, as a person does: allauth then counts the session as freshly authenticated."""
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_staff_without_mfa_are_sent_to_set_it_up(client, editor, path):
    sign_in(client, editor)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/zh-hant/accounts/mfa-required/")

    response = client.get(response["Location"])
    assert response.status_code == 403
    assert 'href="/zh-hant/accounts/2fa/totp/activate/"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/zh-hant/accounts/2fa/", "/zh-hant/accounts/2fa/totp/activate/", "/en/accounts/2fa/"]
)
def test_the_mfa_pages_stay_reachable_without_mfa(client, editor, path):
    sign_in(client, editor)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert all("mfa-required" not in url for url, _status in response.redirect_chain)
    assert 'href="#main"' in response.content.decode()


@pytest.mark.django_db
def test_setting_up_an_authenticator_app_opens_the_admin_once_confirmed_by_mail(
    client, editor, django_capture_on_commit_callbacks
):
    sign_in(client, editor)
    # allauth asks for the password again before a second factor is added.
    response = client.get("/zh-hant/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/zh-hant/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get("/zh-hant/accounts/2fa/totp/activate/")
    secret = response.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/zh-hant/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()
    # The first authenticator of a privileged account counts once the account's owner confirms it by e-mail:
    # a stolen password is not enough to enrol one's own.
    assert client.get("/admin/")["Location"].startswith("/zh-hant/accounts/mfa-required/")
    (message,) = mail.outbox
    assert message.to == [editor.email]
    link = re.search(r"http://testserver(/\S+/mfa-confirm/\S+/)", message.body).group(1)
    assert client.get(link).status_code == 200  # a mail scanner opening the link confirms nothing
    assert client.get("/admin/").status_code == 302
    assert client.post(link).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.post(link).status_code == 400  # used once


@pytest.mark.django_db
def test_staff_with_mfa_sign_in_with_password_and_code_and_reach_the_admin(client, editor):
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)

    response = client.post(LOGIN, {"login": editor.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/accounts/2fa/authenticate/"
    # The password alone opens no session.
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/zh-hant/accounts/login/")

    response = client.post("/zh-hant/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post("/zh-hant/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    # Staff who can open the admin land there after signing in.
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(editor.pk)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"wagtail" in response.content.lower()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, next_url",
    [
        ("/admin/login/", "/admin/"),
        ("/admin/login/?next=/admin/pages/", "/admin/pages/"),
        ("/admin/login/?next=https://evil.example/", "/admin/"),
        ("/admin/password_reset/", "/admin/"),
        ("/django-admin/login/", "/admin/"),
    ],
)
def test_the_admins_password_only_sign_in_forms_lead_to_allauth(client, editor, path, next_url):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/zh-hant/accounts/login/?next=")
    assert response.url.split("next=", 1)[1].replace("%2F", "/") == next_url

    # Posting a password straight to the admin's own form does not sign anyone in.
    client.post("/admin/login/", {"username": editor.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_anonymous_visitors_of_the_admin_are_asked_to_sign_in_through_allauth(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/zh-hant/accounts/login/")


@pytest.mark.django_db
def test_a_teacher_opening_the_admin_is_refused_by_wagtail_not_sent_to_set_up_mfa(client):
    teacher = UserFactory()
    sign_in(client, teacher)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "mfa-required" not in response["Location"]
    assert not Authenticator.objects.filter(user=teacher).exists()
