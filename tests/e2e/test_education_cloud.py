"""Signing in with the education cloud, in Chromium, against a real OpenID Connect provider the test starts.

The provider is django-oauth-toolkit with OpenID Connect on (``tests/oidc_provider``), a separate Django project in
its own process on a port the system picks, signing its ID tokens with an RS256 key made here. The platform finds
it through discovery and runs allauth's authorization code flow with PKCE, as it would against the Ministry's
education cloud.
"""

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.models import TeacherProfile, User
from lms.education_cloud import education_cloud_app, origin_of
from lms.security import content_security_policy
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.steps import text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "ie-academy"
CLIENT_SECRET = "a-client-secret-for-the-test-provider"
PROVIDER_PASSWORD = "Provider-Password-2026"
PROVIDER_ID = "education-cloud"
# Provider accounts: (username, e-mail, full name, school). "unverified-" accounts have an unverified address.
PROVIDER_USERS = [
    ("new-teacher", "chen.meiling@ms.edu.tw", "陳美玲", "臺北市立大安國民中學"),
    ("known-teacher", "known@school.example.tw", "林志明", "臺中市立大墩國民中學"),
    ("unverified-squatter", "victim@school.example.tw", "冒名者", ""),
]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The running provider: its issuer URL. Stopped (by its process id) when the module ends."""
    folder = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    callback = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"
    config = {
        "database": str(folder / "provider.sqlite3"),
        "private_key": pem,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{live_server.url}{prefix}{callback}" for prefix in ("/zh-hant", "/en", "")],
        "users": [
            {"username": username, "email": email, "name": name, "school": school, "password": PROVIDER_PASSWORD}
            for username, email, name, school in PROVIDER_USERS
        ],
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    port_file = folder / "port"
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(folder / "config.json"), str(port_file)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while not port_file.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "provider.log").read_text())
            time.sleep(0.2)
        issuer = f"http://127.0.0.1:{port_file.read_text()}/o"
        with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=10) as response:
            assert json.load(response)["issuer"] == issuer
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def education_cloud(settings, provider):
    """The platform configured as the README says (what OIDC_ISSUER, OIDC_CLIENT_ID and the rest put in place)."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                education_cloud_app(
                    PROVIDER_ID, provider, CLIENT_ID, CLIENT_SECRET, ["openid", "profile", "email"], ""
                )
            ]
        }
    }
    settings.CONTENT_SECURITY_POLICY = content_security_policy(form_targets=[origin_of(provider)])
    return provider


def start_sign_in(page, provider_user):
    """From the platform's sign-in page to the provider's consent screen, as ``provider_user``."""
    page.goto("/zh-hant/accounts/login/")
    page.get_by_role("link", name=text("Education Cloud")).click()
    # allauth asks before it leaves for the provider (a POST, so no page can start a sign-in behind one's back).
    page.locator("main form").get_by_role("button").click()
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/login/"))
    page.get_by_label("Username").fill(provider_user)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.get_by_role("button", name="Authorize").wait_for()
    authorize_url = page.url
    assert "code_challenge=" in authorize_url and "code_challenge_method=S256" in authorize_url  # PKCE
    assert "state=" in authorize_url


def signed_in_user(page):
    """The account the browser's session belongs to, read from the platform's own profile page."""
    response = page.goto("/zh-hant/accounts/email/")
    if "/accounts/login/" in page.url:
        return None
    assert response.ok
    return next(user for user in User.objects.all() if user.email in page.content())


def test_a_new_teacher_signs_in_and_the_claims_fill_the_profile(page, education_cloud, home_page):
    start_sign_in(page, "new-teacher")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"/accounts/(profile|privacy)/"))
    user = User.objects.get(email="chen.meiling@ms.edu.tw")
    account = SocialAccount.objects.get(user=user)
    assert account.provider == PROVIDER_ID and account.uid
    assert EmailAddress.objects.get(user=user).verified
    profile = TeacherProfile.objects.get(user=user)
    assert (profile.name_zh, profile.school) == ("陳美玲", "臺北市立大安國民中學")
    assert signed_in_user(page) == user


def test_an_existing_account_with_the_verified_address_is_linked(page, education_cloud, home_page):
    known = UserFactory(email="known@school.example.tw")
    TeacherProfile.objects.create(user=known, name_zh="林老師")
    start_sign_in(page, "known-teacher")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"/zh-hant/(?!accounts/login)"))
    assert SocialAccount.objects.get(user=known).provider == PROVIDER_ID
    assert User.objects.filter(email__iexact="known@school.example.tw").count() == 1
    profile = TeacherProfile.objects.get(user=known)
    # The name the teacher typed is what certificates print: the provider fills only what was empty.
    assert (profile.name_zh, profile.school) == ("林老師", "臺中市立大墩國民中學")
    assert signed_in_user(page) == known


def test_refusing_consent_signs_nobody_in(page, education_cloud, home_page):
    start_sign_in(page, "new-teacher")
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_url(re.compile(r"/accounts/"))
    page.get_by_role("heading", name=text("Login Cancelled")).wait_for()
    assert not User.objects.filter(email="chen.meiling@ms.edu.tw").exists()
    assert not SocialAccount.objects.exists()
    assert signed_in_user(page) is None


def test_a_tampered_state_is_refused(page, education_cloud, home_page):
    start_sign_in(page, "new-teacher")
    # The state travels through the provider's consent form; whoever changes it must not complete a sign-in.
    state = page.locator("input[name=state]")
    state.evaluate("(input) => { input.value = input.value.slice(0, -4) + 'AAAA'; }")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"/accounts/"))
    page.get_by_role("heading", name=text("Third-Party Login Failure")).wait_for()
    assert not User.objects.filter(email="chen.meiling@ms.edu.tw").exists()
    assert not SocialAccount.objects.exists()
    assert signed_in_user(page) is None


def test_an_unverified_address_matching_an_account_is_not_linked(page, education_cloud, home_page, mailoutbox):
    victim = UserFactory(email="victim@school.example.tw")
    start_sign_in(page, "unverified-squatter")
    page.get_by_role("button", name="Authorize").click()
    # allauth answers as if it had sent a confirmation (so the page tells nobody the address has an account) and
    # tells the address's owner that someone tried to sign up with it; nobody is signed in, nothing is linked.
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"), timeout=60_000)
    assert not SocialAccount.objects.exists()
    victim.refresh_from_db()
    assert victim.has_usable_password() and victim.check_password(PASSWORD)
    assert [message.to for message in mailoutbox] == [["victim@school.example.tw"]]
    assert "/accounts/password/reset/" in mailoutbox[0].body
    assert signed_in_user(page) is None
    assert User.objects.filter(email__iexact="victim@school.example.tw").count() == 1


def test_without_the_provider_configured_the_sign_in_page_is_unchanged(page, home_page, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page.goto("/zh-hant/accounts/login/")
    page.get_by_role("heading", level=1).wait_for()
    assert page.get_by_role("link", name=text("Education Cloud")).count() == 0
    assert page.locator(".provider-list").count() == 0
    assert page.goto(f"/zh-hant/accounts/oidc/{PROVIDER_ID}/login/").status == 404
