"""allauth's flows as a teacher meets them: sign-up, e-mail verification, sign-in, password reset, rate limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

SIGNUP = "/zh-hant/accounts/signup/"
LOGIN = "/zh-hant/accounts/login/"
LOGOUT = "/zh-hant/accounts/logout/"


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.django_db
def test_sign_up_verify_by_mail_then_sign_in(client):
    response = client.post(
        SIGNUP, {"email": "new.teacher@school.example.tw", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/accounts/confirm-email/"
    user = User.objects.get(email="new.teacher@school.example.tw")
    assert not EmailAddress.objects.get(user=user).verified
    # Mandatory verification: no session for an unverified address.
    assert "_auth_user_id" not in client.session

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.teacher@school.example.tw"]
    confirm_url = link_in(mail.outbox[0])
    assert confirm_url.startswith("/zh-hant/accounts/confirm-email/")

    # Opening the link only shows a button (mail scanners follow links); confirming is a POST.
    response = client.get(confirm_url)
    assert response.status_code == 200
    assert not EmailAddress.objects.get(user=user).verified
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.post(LOGOUT)
    assert "_auth_user_id" not in client.session
    response = client.post(LOGIN, {"login": "New.Teacher@school.example.tw", "password": PASSWORD})
    assert response.status_code == 302
    # Signing in again lands on My learning; only the first sign-in, from the confirmation, goes to the profile.
    assert response["Location"] == "/zh-hant/learning/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_an_unverified_address_cannot_sign_in(client):
    client.post(SIGNUP, {"email": "late@school.example.tw", "password1": PASSWORD, "password2": PASSWORD})
    client.post(LOGOUT)
    response = client.post(LOGIN, {"login": "late@school.example.tw", "password": PASSWORD})
    assert response["Location"] == "/zh-hant/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    # The verification mail is not sent again within allauth's cool-down: sign-in attempts cannot flood a mailbox.
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": "weak@school.example.tw", "password1": "12345678", "password2": "12345678"}, "password1"),
        ({"email": "weak@school.example.tw", "password1": "password123", "password2": "password123"}, "password1"),
        ({"email": "not-an-address", "password1": PASSWORD, "password2": PASSWORD}, "email"),
        ({"email": "twice@school.example.tw", "password1": PASSWORD, "password2": PASSWORD + "x"}, "password2"),
    ],
)
def test_sign_up_refuses_weak_passwords_and_bad_addresses(client, data, field):
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'aria-invalid="true"' in body
    assert not User.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_sign_up_with_an_address_that_exists_creates_nothing(client):
    UserFactory(email="taken@school.example.tw")
    client.post(SIGNUP, {"email": "TAKEN@school.example.tw", "password1": PASSWORD, "password2": PASSWORD})
    assert User.objects.filter(email__iexact="taken@school.example.tw").count() == 1


@pytest.mark.django_db
def test_password_reset_by_mail(client):
    user = UserFactory()
    response = client.post("/zh-hant/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_url = link_in(mail.outbox[0])

    # allauth moves the key out of the URL into the session before showing the form.
    response = client.get(reset_url, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new_password = "A-new-password-for-2026"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert not user.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/zh-hant/accounts/password/reset/", {"email": "nobody@school.example.tw"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/accounts/password/reset/done/"
    assert all("nobody" not in message.subject for message in mail.outbox)


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_rate_limited(client):
    user = UserFactory()
    for _attempt in range(5):
        response = client.post(LOGIN, {"login": user.email, "password": "wrong"})
        assert "too_many_login_attempts" not in str(response.context["form"].errors.as_data())
    response = client.post(LOGIN, {"login": user.email, "password": "wrong"})
    assert response.context["form"].has_error("__all__", "too_many_login_attempts")
    # Even the right password is refused until the window passes.
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.context["form"].has_error("__all__", "too_many_login_attempts")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize("page", ["login", "signup", "password/reset"])
def test_account_pages_use_the_site_layout(client, language, page):
    response = client.get(f"/{language}/accounts/{page}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#main"' in body
    assert '<main id="main"' in body
    assert "<label for=" in body
    assert 'class="button' in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_a_teacher_signing_in_lands_on_my_learning(client, language):
    teacher = UserFactory()
    response = client.post(f"/{language}/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    assert response["Location"] == f"/{language}/learning/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_next_given_to_the_sign_in_wins_over_my_learning(client):
    teacher = UserFactory()
    response = client.post(f"{LOGIN}?next=/zh-hant/certificates/", {"login": teacher.email, "password": PASSWORD})
    assert response["Location"] == "/zh-hant/certificates/"
    # A next pointing off the site is ignored, and the teacher still lands on My learning.
    client.post(LOGOUT)
    response = client.post(f"{LOGIN}?next=https://evil.example/", {"login": teacher.email, "password": PASSWORD})
    assert response["Location"] == "/zh-hant/learning/"


@pytest.mark.django_db
def test_staff_without_a_second_factor_land_on_my_learning_not_the_admin(client):
    staff = UserFactory(is_staff=True)
    response = client.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == "/zh-hant/learning/"
