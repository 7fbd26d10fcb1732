"""The demo site: idempotent, bilingual, every page renders in both languages."""

import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils.html import escape
from wagtail.models import Page, Revision, Site

from accounts.models import TeacherProfile, User
from home.demo import ensure_page, home_pages
from home.models import HomePage, NewsPage, StandardPage

# The demo issues certificates: they are signed with the test run's development PKI, as in certification's tests.
from tests.certification.conftest import platform_pki  # noqa: F401


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Page, Revision, User, TeacherProfile, EmailAddress, Group, Authenticator, Site)
    }


@pytest.fixture
def demo_site(db):
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


def test_load_demo_is_idempotent(demo_site):
    before = counts()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert counts() == before
    assert "teacher@demo.ie-academy.tw" in output.getvalue()


def test_load_demo_leaves_a_usable_site(demo_site):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert site.root_page.specific.__class__ is HomePage
    assert site.root_page.locale.language_code == "zh-hant"
    assert not Page.objects.filter(depth=2, content_type__model="page").exists(), "Wagtail's welcome page is gone"
    assert NewsPage.objects.filter(locale__language_code="zh-hant").count() >= 5

    for email in ("teacher@demo.ie-academy.tw", "trainer@demo.ie-academy.tw", "admin@demo.ie-academy.tw"):
        assert email in demo_site
        user = User.objects.get(email=email)
        assert EmailAddress.objects.get(user=user).verified
    assert User.objects.get(email="teacher@demo.ie-academy.tw").teacher_profile.is_complete
    assert User.objects.get(email="trainer@demo.ie-academy.tw").groups.filter(name="Trainers").exists()
    admin = User.objects.get(email="admin@demo.ie-academy.tw")
    assert admin.is_staff
    assert admin.groups.filter(name="Certification administrators").exists()
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    assert "otpauth://totp/" in demo_site


def test_every_page_exists_in_both_languages_and_renders(demo_site, client):
    live = Page.objects.live().filter(depth__gt=1).specific()
    zh = {page.translation_key for page in live if page.locale.language_code == "zh-hant"}
    en = {page.translation_key for page in live if page.locale.language_code == "en"}
    assert zh == en, "every demo page has an English translation"

    failures = []
    for page in live:
        url = page.get_url()
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
        # As the template prints it: "The white paper's four goals" is "The white paper&#x27;s four goals".
        elif escape(page.title) not in response.content.decode():
            failures.append((url, "title missing"))
    assert not failures
    assert len(live) >= 2 * 11


def test_the_demo_admin_passes_the_mfa_gate_only_with_the_printed_secret(demo_site, client):
    admin = User.objects.get(email="admin@demo.ie-academy.tw")
    response = client.post(
        "/zh-hant/accounts/login/", {"login": admin.email, "password": "Admin-demo-2026"}, follow=False
    )
    assert response["Location"] == "/zh-hant/accounts/2fa/authenticate/"


@pytest.mark.django_db
def test_ensure_page_creates_a_published_translation_pair_and_updates_it(locales):
    homes = home_pages()
    fields = {"zh-hant": {"title": "關於", "introduction": "簡介"}, "en": {"title": "About", "introduction": "Intro"}}
    pages = ensure_page(homes, StandardPage, "about", fields)
    assert pages["zh-hant"].translation_key == pages["en"].translation_key
    assert pages["zh-hant"].get_parent().pk == homes["zh-hant"].pk
    assert pages["en"].get_parent().pk == homes["en"].pk
    assert pages["en"].locale.language_code == "en"
    assert all(page.live and not page.has_unpublished_changes for page in pages.values())
    revisions = Revision.objects.count()

    again = ensure_page(homes, StandardPage, "about", fields)
    assert {code: page.pk for code, page in again.items()} == {code: page.pk for code, page in pages.items()}
    assert Revision.objects.count() == revisions, "unchanged content is not published again"

    ensure_page(homes, StandardPage, "about", {**fields, "en": {"title": "About us", "introduction": "Intro"}})
    assert StandardPage.objects.get(pk=pages["en"].pk).title == "About us"
    assert Revision.objects.count() == revisions + 1
