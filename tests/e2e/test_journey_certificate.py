"""Journey 3: a teacher finishes the last requirement, sees the certificate, downloads the signed PDF and opens the
verification page from its QR code."""

import pytest

from certification.models import Certificate
from tests.accounts.factories import PASSWORD
from tests.certification.conftest import platform_pki  # noqa: F401 - fixtures
from tests.certification.poppler import pdfsig, pdftotext
from tests.e2e.certificates import certification_site, qr_code_text, teacher_one_module_short_of_beginner  # noqa: F401
from tests.e2e.steps import sign_in, text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_finish_the_last_module_download_the_signed_pdf_and_verify_it(page, certification_site, tmp_path):  # noqa: F811
    teacher, last_module = teacher_one_module_short_of_beginner("tsai.yichun@ms.cpjh.hcc.edu.tw")
    assert not Certificate.objects.filter(user=teacher).exists()

    sign_in(page, teacher.email, PASSWORD)
    main_nav = page.get_by_role("navigation", name=text("Main"))
    main_nav.get_by_role("link", name=text("My certificates")).click()
    page.get_by_text(text("You hold no certificate yet. The checklists below show what is left.")).wait_for()

    page.goto(last_module.url)
    page.get_by_role("status").get_by_text(text("Completed")).wait_for()

    main_nav.get_by_role("link", name=text("My certificates")).click()
    card = page.locator(".certificate").filter(has_text=certification_site["beginner"].name_zh)
    card.get_by_text(text("Valid"), exact=True).wait_for()
    certificate = Certificate.objects.get(user=teacher, status=Certificate.Status.ISSUED)
    assert certificate.serial in card.inner_text()

    with page.expect_download() as download_info:
        card.get_by_role("link", name=text("Download PDF")).click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.serial}.pdf"
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)
    pdf = pdf_path.read_bytes()

    signature = pdfsig(pdf)
    assert "Signature is Valid." in signature
    assert "Total document signed" in signature
    printed = pdftotext(pdf)
    for words in ("蔡宜君", "Yi-Chun Tsai", certificate.serial, certificate.grouped_verification_code):
        assert words in printed

    # A phone scanning the QR code opens the public verification page, in the reader's language.
    verify_url = qr_code_text(pdf)
    assert verify_url == f"{page.url.split('/zh-hant/')[0]}/verify/{certificate.public_id}"
    page.context.clear_cookies()
    page.goto(verify_url)
    assert f"/zh-hant/verify/{certificate.public_id}" in page.url
    result = page.locator(".verification-result")
    result.get_by_text(text("This certificate is genuine and valid.")).wait_for()
    assert "蔡宜君" in result.inner_text()
    assert certificate.pdf_sha256 in result.inner_text()
