from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from certification.documents.pki import ensure_development_pki
from certification.documents.snapshot import CertificateSnapshot

TEST_PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="session")
def session_pki(tmp_path_factory):
    """One development PKI for the whole run: an RSA-3072 CA takes a moment to generate."""
    root = tmp_path_factory.mktemp("pki")
    with override_settings(CERTIFICATE_SIGNING_PASSPHRASE=TEST_PASSPHRASE):
        ensure_development_pki(root)
    return root


@pytest.fixture(autouse=True)
def platform_pki(settings, session_pki):
    """Certification tests sign with the session PKI, never with keys made on the fly or the developer's own."""
    settings.PKI_ROOT = session_pki
    settings.CERTIFICATE_SIGNING_PASSPHRASE = TEST_PASSPHRASE
    settings.CERTIFICATE_DEVELOPMENT_PKI = False
    settings.CERTIFICATE_TSA_URL = None
    return session_pki


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
            "signatories": (("林大華", "執行長 Executive Director", None),),
        }
        values.update(overrides)
        return CertificateSnapshot(**values)

    return make
