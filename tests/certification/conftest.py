import os
from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from certification.documents.signing import close_token_session
from certification.documents.snapshot import CertificateSnapshot
from tests.certification.softhsm import EC_KEY, initialise_token
from tests.conftest import TEST_PASSPHRASE

from .ltv.pki import start_test_pki


@pytest.fixture(autouse=True)
def platform_pki(settings, session_pki):
    """Certification tests sign with the session PKI, never with keys made on the fly or the developer's own."""
    settings.PKI_ROOT = session_pki
    settings.CERTIFICATE_SIGNING_PASSPHRASE = TEST_PASSPHRASE
    settings.CERTIFICATE_DEVELOPMENT_PKI = False
    settings.CERTIFICATE_TSA_URL = None
    return session_pki


@pytest.fixture(scope="session")
def softhsm_token(session_pki, tmp_path_factory):
    """One SoftHSM2 token for the whole run, in a folder of its own, its keys generated inside it."""
    previous = os.environ.get("SOFTHSM2_CONF")
    with override_settings(CERTIFICATE_SIGNING_PASSPHRASE=TEST_PASSPHRASE):
        token = initialise_token(tmp_path_factory.mktemp("softhsm"), session_pki)
    yield token
    close_token_session()
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture
def token_signing(settings, monkeypatch, softhsm_token):
    """Certificates in this test are signed through PKCS#11 by the EC key inside the SoftHSM2 token."""
    settings.CERTIFICATE_PKCS11_MODULE = softhsm_token.module
    settings.CERTIFICATE_PKCS11_TOKEN_LABEL = softhsm_token.label
    settings.CERTIFICATE_PKCS11_KEY_LABEL = EC_KEY
    monkeypatch.setenv("CERTIFICATE_PKCS11_PIN", softhsm_token.user_pin)
    close_token_session()  # every test logs in with its own settings
    yield softhsm_token
    close_token_session()


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    """certomancer's CA, CRL, OCSP responder and TSA on loopback for the whole run (see tests/certification/ltv)."""
    pki = start_test_pki(tmp_path_factory.mktemp("certomancer"), TEST_PASSPHRASE)
    yield pki
    pki.server.shutdown()


@pytest.fixture
def ltv_pki(settings, test_pki):
    """Sign with the test PKI's signer (it publishes OCSP and a CRL) and time-stamp with its TSA: PAdES B-LT."""
    settings.CERTIFICATE_SIGNING_P12 = str(test_pki.signer_p12)
    settings.CERTIFICATE_TRUST_ROOT = str(test_pki.root_pem)
    settings.CERTIFICATE_TSA_URL = test_pki.tsa_url
    test_pki.reset()
    yield test_pki
    test_pki.reset()


@pytest.fixture
def make_snapshot():
    """Build a CertificateSnapshot with realistic bilingual values; keyword arguments replace any of them."""

    def make(**overrides):
        values = {
            "holder_name_zh": "王小明",
            "holder_name_en": "Hsiao-Ming Wang",
            "school": "臺北市立建國高級中學",
            "county": "臺北市 Taipei City",
            "programme_name_zh": "國際教育專業知能認證（初階）",
            "programme_name_en": "International Education Professional Competency (Beginner)",
            "hours": Decimal("18.5"),
            "courses": (
                ("國際教育概論", "Introduction to International Education"),
                ("跨文化溝通", "Intercultural Communication"),
            ),
            "score": Decimal("92"),
            "issued_on": date(2026, 11, 28),
            "valid_until": date(2031, 11, 27),
            "serial": "IEA-2026-000123",
            "verification_code": "7K3M-9QXD-2HPA-R",
            "public_id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "verify_url": "https://ie-academy.example/verify/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "organisation_name_zh": "國際教育專業知能認證平臺",
            "organisation_name_en": "IE Academy",
            "signatories": (("林大華", "Lin Ta-Hua", "執行長", "Executive Director", None),),
        }
        values.update(overrides)
        return CertificateSnapshot(**values)

    return make
