"""The privacy notice and terms: consent asked at the next request after a new version, recorded with version and
time, and the two-factor gate still first for privileged accounts."""

import datetime
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import PolicyConsent, PolicyVersion
from lms.roles import TRAINERS

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def publish(number):
    return PolicyVersion.objects.create(
        version=number,
        privacy_zh=f"隱私權聲明第 {number} 版",
        privacy_en=f"Privacy notice, version {number}",
        terms_zh=f"使用條款第 {number} 版",
        terms_en=f"Terms of use, version {number}",
        in_force_from=datetime.date(2026, 12, number),
    )


@pytest.fixture
def teacher():
    return UserFactory(email="teacher@school.example.tw")


def consent_url(next_path):
    return reverse("accounts:consent") + "?" + urlencode({"next": next_path})


def test_without_a_published_version_nothing_is_asked(client, teacher, home_page):
    client.force_login(teacher)
    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 200
    assert client.get(reverse("accounts:privacy")).status_code == 404


def test_consent_is_asked_recorded_and_asked_again_for_a_new_version(client, teacher, home_page):
    first = publish(1)
    client.force_login(teacher)
    dashboard = reverse("courses:dashboard")
    response = client.get(dashboard)
    assert response.status_code == 302 and response["Location"] == consent_url(dashboard)
    page = client.get(response["Location"]).content.decode()
    assert "隱私權聲明第 1 版" in page and "使用條款第 1 版" in page
    # Without ticking the box nothing is recorded and the page says why.
    refused = client.post(reverse("accounts:consent"), {"version": "1", "next": dashboard})
    assert refused.status_code == 400 and not PolicyConsent.objects.exists()
    agreed = client.post(reverse("accounts:consent"), {"version": "1", "agree": "yes", "next": dashboard})
    assert agreed.status_code == 302 and agreed["Location"] == dashboard
    consent = PolicyConsent.objects.get(user=teacher)
    assert consent.version == first and consent.agreed_at is not None
    assert client.get(dashboard).status_code == 200

    second = publish(2)
    response = client.get(dashboard)
    assert response.status_code == 302 and response["Location"] == consent_url(dashboard)
    # Agreeing to an old version (a stale tab) does not count for the new one.
    client.post(reverse("accounts:consent"), {"version": "1", "agree": "yes", "next": dashboard})
    assert not PolicyConsent.objects.filter(version=second).exists()
    client.post(reverse("accounts:consent"), {"version": "2", "agree": "yes", "next": dashboard})
    assert set(PolicyConsent.objects.filter(user=teacher).values_list("version__version", flat=True)) == {1, 2}
    assert client.get(dashboard).status_code == 200


def test_consent_is_asked_at_the_next_sign_in_too(client, teacher, home_page):
    publish(1)
    response = client.post(reverse("account_login"), {"login": teacher.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:consent"))
    # Once given, the consent holds in every later session.
    client.post(reverse("accounts:consent"), {"version": "1", "agree": "yes"})
    client.logout()
    response = client.post(reverse("account_login"), {"login": teacher.email, "password": PASSWORD}, follow=True)
    assert not any(reverse("accounts:consent") in url for url, _status in response.redirect_chain)


def test_an_outside_next_is_not_followed(client, teacher, home_page):
    publish(1)
    client.force_login(teacher)
    response = client.post(
        reverse("accounts:consent"), {"version": "1", "agree": "yes", "next": "https://evil.example.com/"}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_the_notice_is_public_and_bilingual(client, home_page):
    publish(1)
    assert "Privacy notice, version 1" in client.get("/en/accounts/privacy/").content.decode()
    assert "隱私權聲明第 1 版" in client.get("/zh-hant/accounts/privacy/").content.decode()


def test_the_two_factor_gate_comes_first_and_the_consent_page_stays_open_to_it(client, home_page):
    publish(1)
    trainer = UserFactory(email="trainer@school.example.tw")
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    client.force_login(trainer)
    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa_required")
    assert client.get(reverse("accounts:consent")).status_code == 200
    assert client.get(reverse("accounts:mfa_required")).status_code == 403  # its own page, not the consent's
