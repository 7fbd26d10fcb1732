"""Certificates signed through PKCS#11 by a key generated inside a SoftHSM2 token, and every way that goes wrong."""

import datetime
import hashlib
import io
import threading

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from pkcs11 import Attribute, KeyType, ObjectClass, TokenFlag
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from certification.documents import checks, pkcs11_key
from certification.documents.pki import CA_CERTIFICATE, CA_KEY, SIGNER_P12
from certification.documents.rendering import render_certificate_pdf
from certification.documents.signing import (
    SigningKeyUnavailable,
    close_token_session,
    platform_signer,
    sign_certificate_pdf,
)
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from tests.certification.poppler import pdfsig
from tests.certification.softhsm import EC_KEY, READABLE_KEY, RSA_KEY, WRAPPABLE_KEY
from tests.conftest import TEST_PASSPHRASE


def _sign(make_snapshot, **overrides):
    return sign_certificate_pdf(render_certificate_pdf(make_snapshot(**overrides)))


def _token_fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def test_a_certificate_signed_on_the_token_is_valid_for_pdfsig_and_our_verifier(token_signing, make_snapshot):
    signed = _sign(make_snapshot)

    report = pdfsig(signed.data)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Certificate Signing (development, PKCS#11)" in report
    check = verify_certificate_pdf(signed.data)
    assert check.verdict == PdfVerdict.SIGNED_BY_US
    assert signed.signer_fingerprint == _token_fingerprint(token_signing.ec_certificate)
    assert check.signer_fingerprint == signed.signer_fingerprint


def test_pyhanko_trusts_the_token_signature_and_it_is_not_the_file_key(token_signing, make_snapshot, platform_pki):
    signed = _sign(make_snapshot)
    (signature,) = PdfFileReader(io.BytesIO(signed.data)).embedded_signatures

    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(platform_pki / CA_CERTIFICATE))])
    )

    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert {"non_repudiation", "digital_signature"} <= set(signature.signer_cert.key_usage_value.native)
    _key, file_certificate, _chain = pkcs12.load_key_and_certificates(
        (platform_pki / SIGNER_P12).read_bytes(), TEST_PASSPHRASE.encode()
    )
    assert signed.signer_fingerprint != _token_fingerprint(file_certificate)


def test_every_certificate_binds_the_token_certificate(token_signing, make_snapshot):
    for holder in ("王小明", "李美玲"):
        (signature,) = PdfFileReader(io.BytesIO(_sign(make_snapshot, holder_name_zh=holder).data)).embedded_signatures
        attributes = signature.signer_info["signed_attrs"]
        (attribute,) = [a for a in attributes if a["type"].native == "signing_certificate_v2"]
        assert (
            attribute["values"][0]["certs"][0]["cert_hash"].native
            == hashlib.sha256(token_signing.ec_certificate.public_bytes(serialization.Encoding.DER)).digest()
        )


def test_an_rsa_key_with_its_certificate_in_a_file(settings, token_signing, make_snapshot):
    settings.CERTIFICATE_PKCS11_KEY_LABEL = RSA_KEY
    settings.CERTIFICATE_PKCS11_CERTIFICATE = str(token_signing.rsa_certificate_file)

    signed = _sign(make_snapshot)

    assert "Signature is Valid." in pdfsig(signed.data)
    assert verify_certificate_pdf(signed.data).verdict == PdfVerdict.SIGNED_BY_US
    file_certificate = x509.load_pem_x509_certificate(token_signing.rsa_certificate_file.read_bytes())
    assert signed.signer_fingerprint == _token_fingerprint(file_certificate)


def test_signatures_on_the_session_wait_for_each_other(token_signing, make_snapshot):
    # A PKCS#11 session runs one operation at a time (C_SignInit on a busy session is CKR_OPERATION_ACTIVE).
    pdf = render_certificate_pdf(make_snapshot())
    token_key = platform_signer().signer.token_key
    results = []
    signing = threading.Thread(target=lambda: results.append(sign_certificate_pdf(pdf)))
    with token_key.lock:
        signing.start()
        signing.join(timeout=1)
        assert signing.is_alive() and results == []  # waiting for the session
    signing.join(timeout=60)
    assert [verify_certificate_pdf(result.data).verdict for result in results] == [PdfVerdict.SIGNED_BY_US]


def test_signing_from_several_threads_at_once_gives_valid_signatures(token_signing, make_snapshot):
    pdf = render_certificate_pdf(make_snapshot())
    results, failures = [], []

    def sign():
        try:
            results.append(sign_certificate_pdf(pdf))
        except Exception as error:  # noqa: BLE001 - the assertion below shows what failed
            failures.append(error)

    threads = [threading.Thread(target=sign) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == [] and len(results) == 6
    assert all(verify_certificate_pdf(result.data).verdict == PdfVerdict.SIGNED_BY_US for result in results)


def test_the_private_key_cannot_be_read_out_of_the_token(softhsm_token):
    with softhsm_token.open_session(rw=True) as session:
        key = session.get_key(ObjectClass.PRIVATE_KEY, label=EC_KEY)

        assert key[Attribute.SENSITIVE] is True and key[Attribute.ALWAYS_SENSITIVE] is True
        assert key[Attribute.EXTRACTABLE] is False and key[Attribute.NEVER_EXTRACTABLE] is True
        with pytest.raises(pkcs11.AttributeSensitive):
            key[Attribute.VALUE]
        wrapping_key = session.generate_key(KeyType.AES, 256, template={Attribute.WRAP: True})
        with pytest.raises(pkcs11.KeyUnextractable):
            wrapping_key.wrap_key(key)
        # Nor can the flags be turned back: a sensitive key stays sensitive, a non-extractable one stays so.
        with pytest.raises(pkcs11.PKCS11Error):
            key[Attribute.EXTRACTABLE] = True
        with pytest.raises(pkcs11.PKCS11Error):
            key[Attribute.SENSITIVE] = False
        assert key[Attribute.SENSITIVE] is True and key[Attribute.EXTRACTABLE] is False


def test_a_wrong_pin_is_a_clear_error_and_is_never_presented_twice(monkeypatch, token_signing, make_snapshot):
    monkeypatch.setenv("CERTIFICATE_PKCS11_PIN", "000000")

    with pytest.raises(SigningKeyUnavailable, match="refused the user PIN: check CERTIFICATE_PKCS11_PIN"):
        _sign(make_snapshot)
    assert _token_flags(token_signing) & TokenFlag.USER_PIN_COUNT_LOW
    with token_signing.open_session():  # the right PIN resets the token's count of failures
        pass
    assert not _token_flags(token_signing) & TokenFlag.USER_PIN_COUNT_LOW

    with pytest.raises(SigningKeyUnavailable, match="already refused this PIN"):
        _sign(make_snapshot)
    assert not _token_flags(token_signing) & TokenFlag.USER_PIN_COUNT_LOW  # the token did not see it again

    monkeypatch.setenv("CERTIFICATE_PKCS11_PIN", token_signing.user_pin)
    assert "Signature is Valid." in pdfsig(_sign(make_snapshot).data)


class _CardWithFlags:
    """A smart card's PIN counter, which SoftHSM2 never moves (it does not lock): only its flags are read."""

    serial = b"card"

    def __init__(self, flags):
        self.flags = flags

    def open(self, **kwargs):
        raise AssertionError("the PIN was presented")


@pytest.mark.parametrize(
    ("flag", "message"),
    [(TokenFlag.USER_PIN_FINAL_TRY, "allows one more PIN attempt"), (TokenFlag.USER_PIN_LOCKED, "PIN .* is locked")],
)
def test_a_card_about_to_lock_or_locked_is_never_given_the_pin(token_signing, flag, message):
    with pytest.raises(SigningKeyUnavailable, match=message):
        pkcs11_key._log_in(_CardWithFlags(TokenFlag.LOGIN_REQUIRED | flag), pkcs11_key.token_configuration())


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("CERTIFICATE_PKCS11_KEY_LABEL", "no-such-key", "has no private key labelled 'no-such-key'"),
        ("CERTIFICATE_PKCS11_TOKEN_LABEL", "Another token", "has no token labelled 'Another token'.*IE Academy test"),
        ("CERTIFICATE_PKCS11_CERTIFICATE_LABEL", "no-such-certificate", "has no certificate labelled"),
        ("CERTIFICATE_PKCS11_KEY_LABEL", READABLE_KEY, "is not sensitive: its value can be read out"),
        ("CERTIFICATE_PKCS11_CHAIN", "/nonexistent/chain.pem", "CERTIFICATE_PKCS11_CHAIN"),
    ],
)
def test_a_token_that_does_not_hold_what_is_configured_is_a_clear_error(
    settings, token_signing, make_snapshot, setting, value, message
):
    setattr(settings, setting, value)

    with pytest.raises(SigningKeyUnavailable, match=message):
        _sign(make_snapshot)


def test_a_certificate_of_another_key_is_refused(settings, token_signing, platform_pki, make_snapshot, tmp_path):
    _key, file_certificate, _chain = pkcs12.load_key_and_certificates(
        (platform_pki / SIGNER_P12).read_bytes(), TEST_PASSPHRASE.encode()
    )
    foreign = tmp_path / "foreign.pem"
    foreign.write_bytes(file_certificate.public_bytes(serialization.Encoding.PEM))
    settings.CERTIFICATE_PKCS11_CERTIFICATE = str(foreign)

    with pytest.raises(SigningKeyUnavailable, match="does not belong to the key 'certificate-signing'"):
        _sign(make_snapshot)

    settings.CERTIFICATE_PKCS11_KEY_LABEL = RSA_KEY  # an RSA key with an EC certificate
    with pytest.raises(SigningKeyUnavailable, match="does not belong to the key 'certificate-signing-rsa'"):
        _sign(make_snapshot)


def _certificate_for_the_token_key(
    token, pki_root, path, *, non_repudiation=True, not_before=None, not_after=None
) -> None:
    """A certificate from the development CA for the token's EC key, with the usage and dates a test needs."""
    ca_key = serialization.load_pem_private_key((pki_root / CA_KEY).read_bytes(), TEST_PASSPHRASE.encode())
    ca = x509.load_pem_x509_certificate((pki_root / CA_CERTIFICATE).read_bytes())
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(True, non_repudiation, False, False, False, False, False, False, False)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(token.ec_certificate.subject)
        .issuer_name(ca.subject)
        .public_key(token.ec_certificate.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - datetime.timedelta(days=1))
        .not_valid_after(not_after or now + datetime.timedelta(days=365))
        .add_extension(usage, critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    path.write_bytes(certificate.public_bytes(serialization.Encoding.DER))


def test_a_certificate_without_non_repudiation_is_refused(
    settings, token_signing, platform_pki, make_snapshot, tmp_path
):
    path = tmp_path / "no-non-repudiation.der"
    _certificate_for_the_token_key(token_signing, platform_pki, path, non_repudiation=False)
    settings.CERTIFICATE_PKCS11_CERTIFICATE = str(path)

    with pytest.raises(SigningKeyUnavailable, match="lacks the nonRepudiation"):
        _sign(make_snapshot)


def test_the_system_check_warns_before_the_certificate_expires_and_errors_after(
    settings, token_signing, platform_pki, tmp_path
):
    now = datetime.datetime.now(datetime.UTC)
    settings.CERTIFICATE_PKCS11_CERTIFICATE = str(tmp_path / "signer.der")
    _certificate_for_the_token_key(
        token_signing, platform_pki, tmp_path / "signer.der", not_after=now + datetime.timedelta(days=20)
    )

    (warning,) = checks.pkcs11_signing_key_check(None)
    assert warning.id == "certification.W002" and "expires on" in warning.msg

    close_token_session()
    _certificate_for_the_token_key(
        token_signing,
        platform_pki,
        tmp_path / "signer.der",
        not_before=now - datetime.timedelta(days=400),
        not_after=now - datetime.timedelta(days=1),
    )
    (error,) = checks.pkcs11_signing_key_check(None)
    assert error.id == "certification.E002" and error.is_serious() and "expired on" in error.msg


def test_a_module_that_is_missing_or_not_a_module(settings, token_signing, make_snapshot, tmp_path):
    settings.CERTIFICATE_PKCS11_MODULE = str(tmp_path / "absent.so")
    with pytest.raises(SigningKeyUnavailable, match="absent.so .CERTIFICATE_PKCS11_MODULE. does not exist"):
        _sign(make_snapshot)

    impostor = tmp_path / "impostor.so"
    impostor.write_text("not a shared library")
    settings.CERTIFICATE_PKCS11_MODULE = str(impostor)
    with pytest.raises(SigningKeyUnavailable, match="cannot be loaded as a PKCS#11 module"):
        _sign(make_snapshot)


def test_half_a_configuration_never_falls_back_to_the_file_key(settings, monkeypatch, token_signing, make_snapshot):
    del settings.CERTIFICATE_PKCS11_TOKEN_LABEL
    with pytest.raises(SigningKeyUnavailable, match="half configured.*CERTIFICATE_PKCS11_TOKEN_LABEL not"):
        _sign(make_snapshot)

    settings.CERTIFICATE_PKCS11_TOKEN_LABEL = token_signing.label
    monkeypatch.delenv("CERTIFICATE_PKCS11_PIN")
    with pytest.raises(SigningKeyUnavailable, match="set the environment variable CERTIFICATE_PKCS11_PIN"):
        _sign(make_snapshot)


def test_a_session_lost_while_signing_is_reported_and_the_next_certificate_logs_in_again(token_signing, make_snapshot):
    platform_signer().signer.token_key.session.close()  # the card pulled out, the HSM restarted

    with pytest.raises(SigningKeyUnavailable, match="failed while signing.*opens a new session"):
        _sign(make_snapshot)

    assert "Signature is Valid." in pdfsig(_sign(make_snapshot).data)


def test_the_system_checks_pass_for_a_complete_configuration(token_signing):
    assert checks.pkcs11_configuration_check(None) == []
    assert checks.pkcs11_signing_key_check(None) == []
    call_command("check", "--deploy", "--tag", "certification")


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("CERTIFICATE_PKCS11_TOKEN_LABEL", "", "half configured"),
        ("CERTIFICATE_PKCS11_MODULE", "/nonexistent/module.so", "does not exist"),
    ],
)
def test_every_command_refuses_half_a_configuration_or_a_missing_module(
    settings, token_signing, setting, value, message
):
    setattr(settings, setting, value)

    (error,) = checks.pkcs11_configuration_check(None)

    assert error.id == "certification.E001" and error.is_serious() and message in error.msg
    assert checks.pkcs11_signing_key_check(None) == []  # reported once, by the configuration check
    with pytest.raises(SystemCheckError, match=message):
        call_command("check", "--tag", "certification")


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("CERTIFICATE_PKCS11_TOKEN_LABEL", "Another token", "no token labelled"),
        ("CERTIFICATE_PKCS11_KEY_LABEL", "no-such-key", "no private key labelled"),
    ],
)
def test_the_deployment_check_opens_the_token_and_names_what_is_missing(
    settings, token_signing, setting, value, message
):
    setattr(settings, setting, value)

    (error,) = checks.pkcs11_signing_key_check(None)

    assert error.id == "certification.E003" and error.is_serious() and message in error.msg
    # Without --deploy nothing touches the device: a token briefly away does not stop migrate or the task worker.
    assert checks.pkcs11_configuration_check(None) == []
    call_command("check", "--tag", "certification")
    with pytest.raises(SystemCheckError, match=message):
        call_command("check", "--deploy", "--tag", "certification")


def test_the_system_check_warns_of_an_extractable_key(settings, token_signing):
    settings.CERTIFICATE_PKCS11_KEY_LABEL = WRAPPABLE_KEY

    (warning,) = checks.pkcs11_signing_key_check(None)

    assert warning.id == "certification.W001" and not warning.is_serious()
    assert "'wrappable-key' is extractable" in warning.msg


def test_without_pkcs11_settings_the_file_key_signs_and_the_check_is_silent(make_snapshot, platform_pki):
    _key, file_certificate, _chain = pkcs12.load_key_and_certificates(
        (platform_pki / SIGNER_P12).read_bytes(), TEST_PASSPHRASE.encode()
    )

    assert _sign(make_snapshot).signer_fingerprint == _token_fingerprint(file_certificate)
    assert checks.pkcs11_configuration_check(None) == [] and checks.pkcs11_signing_key_check(None) == []


def _token_flags(token) -> TokenFlag:
    return TokenFlag(token.library.get_token(token_label=token.label).flags)
