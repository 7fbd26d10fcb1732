"""PAdES B-LT at signing against a real test PKI (certomancer: CA, CRL, OCSP, TSA over HTTP on loopback), the
fallbacks when long-term validation is impossible, and validation years later with pyHanko's AdES validation."""

import asyncio
import io
from datetime import timedelta

import pytest
from asn1crypto import ocsp
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from certification.documents.long_term import NO_REVOCATION_SOURCE, NO_TSA, add_archival_timestamp
from certification.documents.rendering import render_certificate_pdf
from certification.documents.signing import sign_certificate_pdf
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from tests.certification.poppler import pdfsig


@pytest.fixture
def unsigned(make_snapshot):
    return render_certificate_pdf(make_snapshot())


def dss_of(data: bytes) -> DocumentSecurityStore:
    return DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(data)))


def validate_later(data: bytes, pki, moment):
    """pyHanko's AdES long-term validation of our signature at ``moment``, against the test root only."""
    root = load_cert_from_pemder(str(pki.root_pem))
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[root]), revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO)
    )
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH
            ),
        )
    )
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    timing = ValidationTimingInfo(validation_time=moment, best_signature_time=moment, point_in_time_validation=False)
    return asyncio.run(ades_lta_validation(signature, spec, timing_info=timing))


def test_a_certificate_signed_today_is_b_lt_with_its_validation_material_in_the_dss(ltv_pki, unsigned):
    signed = sign_certificate_pdf(unsigned)

    assert signed.pades_level == "B-LT"
    assert signed.long_term_fallback == ""
    dss = dss_of(signed.data)
    certificates = {certificate.subject.native["common_name"] for certificate in dss.load_certs()}
    assert {"IE Academy Certificate Signing (test)", "IE Academy Test Time-Stamping Authority"} <= certificates
    responses = [ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.ocsps]
    signer_serial = ltv_pki.certificate("signer").serial_number
    single = responses[0]["response_bytes"]["response"].parsed["tbs_response_data"]["responses"][0]
    assert single["cert_id"]["serial_number"].native == signer_serial
    assert single["cert_status"].name == "good"
    # The TSA publishes a CRL only: it is embedded too, so the timestamp can be checked later as well.
    assert len(dss.crls) >= 1
    assert any(path.startswith("/ltv/ocsp/") for path in ltv_pki.requests)


def test_b_lt_and_b_lta_are_valid_for_pdfsig(ltv_pki, unsigned):
    signed = sign_certificate_pdf(unsigned)
    archived = add_archival_timestamp(signed.data)

    for data in (signed.data, archived.data):
        report = pdfsig(data)
        assert "Signature Validation: Signature is Valid." in report
        assert "IE Academy Certificate Signing (test)" in report


def test_after_the_signers_expiry_with_ocsp_gone_the_archived_certificate_still_validates(ltv_pki, unsigned):
    signed = sign_certificate_pdf(unsigned)
    archived = add_archival_timestamp(signed.data)
    later = ltv_pki.signer_expires + timedelta(days=60)
    # Two months after the signer's certificate expired: its OCSP responder is gone; the CA still publishes CRLs
    # (for the time-stamping authority, whose certificate is still valid) and lives in that future.
    ltv_pki.stopped = {"ocsp"}
    ltv_pki.clock = later
    ltv_pki.requests.clear()

    result = validate_later(archived.data, ltv_pki, later)

    assert result.ades_subindic == AdESPassed.OK, result.failure_msg
    assert result.oldest_evidence_record_timestamp is not None
    assert not any(path.startswith("/ltv/ocsp/") for path in ltv_pki.requests)
    # Without the embedded material and the timestamps, the same signature no longer validates then.
    plain = validate_pdf_signature(
        PdfFileReader(io.BytesIO(archived.data)).embedded_signatures[0],
        ValidationContext(
            trust_roots=[load_cert_from_pemder(str(ltv_pki.root_pem))], moment=later, allow_fetching=False
        ),
        skip_diff=True,
    )
    assert plain.intact and plain.valid and not plain.trusted


def test_our_verifier_accepts_b_lt_after_the_signers_expiry_but_not_b_b(ltv_pki, settings, unsigned):
    long_term = sign_certificate_pdf(unsigned)
    settings.CERTIFICATE_TSA_URL = None
    basic = sign_certificate_pdf(unsigned)
    later = ltv_pki.signer_expires + timedelta(days=60)
    ltv_pki.stopped = {"ocsp", "crls", "tsa"}

    assert basic.pades_level == "B-B"
    assert verify_certificate_pdf(long_term.data, moment=later).verdict == PdfVerdict.SIGNED_BY_US
    assert verify_certificate_pdf(basic.data).verdict == PdfVerdict.SIGNED_BY_US
    # Signed without a timestamp: after the certificate's expiry nothing shows the signature was made before it.
    assert verify_certificate_pdf(basic.data, moment=later).verdict == PdfVerdict.NOT_OURS


def test_a_signer_without_ocsp_or_crl_falls_back_to_b_t_and_says_why(ltv_pki, settings, platform_pki, unsigned):
    # The development PKI's signer names no revocation source; the test PKI's TSA still stamps.
    del settings.CERTIFICATE_SIGNING_P12
    del settings.CERTIFICATE_TRUST_ROOT

    signed = sign_certificate_pdf(unsigned)

    assert signed.pades_level == "B-T"
    assert signed.long_term_fallback == NO_REVOCATION_SOURCE
    assert b"/DSS" not in signed.data
    assert verify_certificate_pdf(signed.data).verdict == PdfVerdict.SIGNED_BY_US


def test_without_a_time_stamping_authority_the_signature_is_b_b_and_says_why(ltv_pki, settings, unsigned):
    settings.CERTIFICATE_TSA_URL = None

    signed = sign_certificate_pdf(unsigned)

    assert signed.pades_level == "B-B"
    assert signed.long_term_fallback == NO_TSA


@pytest.mark.parametrize("stopped", [{"ocsp", "crls"}, {"tsa"}], ids=["revocation-down", "tsa-down"])
def test_when_the_pki_does_not_answer_nothing_is_signed_rather_than_something_weaker(ltv_pki, unsigned, stopped):
    ltv_pki.stopped = stopped

    with pytest.raises(Exception):  # noqa: B017 - pyHanko's or certvalidator's error, whichever step failed
        sign_certificate_pdf(unsigned)

    assert any(f"/{service}/" in path for path in ltv_pki.requests for service in stopped)


def test_a_ca_trusted_for_timestamps_does_not_make_its_signers_ours(ltv_pki, settings, platform_pki, unsigned):
    # Signed by the development PKI's signer; the platform's root is the test PKI's, and the development CA is
    # trusted only as the time-stamping authority's CA.
    del settings.CERTIFICATE_SIGNING_P12
    foreign = sign_certificate_pdf(unsigned)
    settings.CERTIFICATE_TSA_TRUST_ROOTS = [str(platform_pki / "ca.pem")]

    assert verify_certificate_pdf(foreign.data).verdict == PdfVerdict.NOT_OURS
