"""Journey 4: an administrator signs in with a second factor, revokes a certificate with a reason, and the public
verification page then shows it revoked."""

import time

import pytest
from django.core import mail

from accounts.demo import ADMIN_EMAIL, DEMO_ACCOUNTS, ensure_authenticator
from accounts.models import User
from certification.models import Certificate
from tests.accounts.factories import TeacherProfileFactory
from tests.certification.conftest import platform_pki  # noqa: F401 - fixtures
from tests.e2e.certificates import certification_site, issue_outside_the_browser_loop  # noqa: F401 - fixture
from tests.e2e.steps import code_with_time_to_use, field, label, sign_in, text, totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADMIN_PASSWORD = next(spec["password"] for spec in DEMO_ACCOUNTS if spec["email"] == ADMIN_EMAIL)
REASON = "研習時數紀錄經查證不實。 The workshop attendance records were found to be false."


@pytest.fixture
def certificate(certification_site):  # noqa: F811
    teacher = TeacherProfileFactory(user__email="kuo.chiahui@ms.ttjh.tt.edu.tw", name_zh="郭佳慧").user
    administrator = User.objects.get(email=ADMIN_EMAIL)
    return issue_outside_the_browser_loop(
        teacher, certification_site["beginner"], origin=Certificate.Origin.MANUAL, by=administrator
    )


def verification_result(page, certificate):
    page.goto("/zh-hant/verify/")
    field(page, text("Verification code")).fill(certificate.grouped_verification_code.lower())
    page.get_by_role("button", name=text("Verify"), exact=True).click()
    return page.locator(".verification-result")


def test_administrator_with_mfa_revokes_and_verification_shows_it(page, certificate):
    assert "郭佳慧" in verification_result(page, certificate).inner_text()
    assert page.locator(".verification-result").get_by_text(text("This certificate is genuine and valid.")).count()

    administrator = User.objects.get(email=ADMIN_EMAIL)
    secret = ensure_authenticator(administrator)
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    code_field = field(page, text("Code"))
    # A code from an hour ago is refused; the one the authenticator shows now is accepted.
    code_field.fill(totp(secret, at=time.time() - 3600))
    page.locator("main form").get_by_role("button", name=text("Sign In")).click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    field(page, text("Code")).fill(code_with_time_to_use(secret))
    page.locator("main form").get_by_role("button", name=text("Sign In")).click()
    page.wait_for_url(lambda url: "/2fa/" not in url)

    page.goto("/admin/")
    admin_language = page.locator("html").get_attribute("lang").lower().replace("zh-hant-tw", "zh-hant")
    page.get_by_role("button", name=text("Certification", admin_language)).click()
    page.get_by_role("link", name=text("Registry", admin_language)).click()
    row = page.get_by_role("row").filter(has_text=certificate.serial)
    row.get_by_role("button").click()
    page.get_by_role("link", name=text("Revoke", admin_language), exact=True).click()

    # Without the confirmation nothing is revoked.
    reason = field(page, label("Reason for revocation", admin_language))
    reason.fill(REASON)
    page.get_by_role("button", name=text("Revoke", admin_language), exact=True).click()
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.ISSUED

    field(page, label("Reason for revocation", admin_language)).fill(REASON)
    page.get_by_label(text("I understand that revocation is permanent and public.", admin_language)).check()
    page.get_by_role("button", name=text("Revoke", admin_language), exact=True).click()
    page.get_by_text(
        text("Certificate %(serial)s revoked.", admin_language) % {"serial": certificate.serial}
    ).wait_for()
    revoked = Certificate.objects.get(pk=certificate.pk)
    assert (revoked.status, revoked.revoked_by, revoked.revocation_reason) == (
        Certificate.Status.REVOKED,
        administrator,
        REASON,
    )
    notice = mail.outbox[-1]
    assert notice.to == [certificate.user.email]
    assert certificate.serial in notice.body and REASON in notice.body

    page.context.clear_cookies()
    result = verification_result(page, certificate)
    result.get_by_text(text("Revoked"), exact=True).wait_for()
    assert REASON in result.inner_text()
    assert text("This certificate is genuine and valid.") not in result.inner_text()
