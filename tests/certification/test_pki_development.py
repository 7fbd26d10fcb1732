"""The development PKI: created on first use outside the repository, idempotent, never replacing a key."""

import multiprocessing
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.serialization import load_pem_private_key, pkcs12
from django.core.management import call_command

from certification.documents.pki import (
    CA_CERTIFICATE,
    CA_KEY,
    CREDENTIAL_KEY,
    SIGNER_P12,
    TRANSPARENCY_LOG_KEY,
    ensure_development_pki,
)
from tests.conftest import TEST_PASSPHRASE


@pytest.fixture
def fresh_root(settings, tmp_path):
    settings.PKI_ROOT = tmp_path / "pki"
    return settings.PKI_ROOT


def snapshot_of(root):
    return {path.name: path.read_bytes() for path in sorted(root.iterdir()) if not path.name.startswith(".")}


def test_first_run_creates_ca_signer_and_credential_key(fresh_root):
    pki = ensure_development_pki()

    assert set(pki.created) == {CA_KEY, CA_CERTIFICATE, SIGNER_P12, CREDENTIAL_KEY, TRANSPARENCY_LOG_KEY}
    assert set(snapshot_of(fresh_root)) == {CA_KEY, CA_CERTIFICATE, SIGNER_P12, CREDENTIAL_KEY, TRANSPARENCY_LOG_KEY}


def test_a_second_run_changes_nothing(fresh_root):
    ensure_development_pki()
    before = snapshot_of(fresh_root)

    again = ensure_development_pki()

    assert again.created == ()
    assert snapshot_of(fresh_root) == before


def test_a_missing_file_is_recreated_without_touching_the_others(fresh_root):
    ensure_development_pki()
    before = snapshot_of(fresh_root)
    (fresh_root / CREDENTIAL_KEY).unlink()

    again = ensure_development_pki()

    assert again.created == (CREDENTIAL_KEY,)
    after = snapshot_of(fresh_root)
    assert after[SIGNER_P12] == before[SIGNER_P12]
    assert after[CA_CERTIFICATE] == before[CA_CERTIFICATE]
    assert after[CREDENTIAL_KEY] != before[CREDENTIAL_KEY]


def test_two_processes_racing_on_first_use_create_one_set_of_keys(fresh_root):
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(ensure_development_pki, [fresh_root, fresh_root])

    assert sorted(len(result.created) for result in results) == [0, 5]
    assert set(snapshot_of(fresh_root)) == {CA_KEY, CA_CERTIFICATE, SIGNER_P12, CREDENTIAL_KEY, TRANSPARENCY_LOG_KEY}


def test_private_keys_are_readable_by_the_owner_only(fresh_root):
    ensure_development_pki()

    for name in (CA_KEY, SIGNER_P12, CREDENTIAL_KEY):
        assert stat.S_IMODE((fresh_root / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(fresh_root.stat().st_mode) == 0o700


def test_private_keys_are_encrypted_with_the_passphrase(fresh_root):
    ensure_development_pki()

    with pytest.raises((TypeError, ValueError)):
        load_pem_private_key((fresh_root / CREDENTIAL_KEY).read_bytes(), None)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates((fresh_root / SIGNER_P12).read_bytes(), b"wrong")
    key = load_pem_private_key((fresh_root / CREDENTIAL_KEY).read_bytes(), TEST_PASSPHRASE.encode())
    assert isinstance(key.curve, ec.SECP256R1)


def test_the_signer_certificate_is_a_document_signer_issued_by_the_ca(platform_pki):
    _key, signer, chain = pkcs12.load_key_and_certificates(
        (platform_pki / SIGNER_P12).read_bytes(), TEST_PASSPHRASE.encode()
    )
    ca = x509.load_pem_x509_certificate((platform_pki / CA_CERTIFICATE).read_bytes())

    usage = signer.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.content_commitment  # non-repudiation
    assert usage.value.digital_signature
    assert not usage.value.key_cert_sign
    assert signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert signer.issuer == ca.subject
    ca.public_key().verify(
        signer.signature, signer.tbs_certificate_bytes, padding.PKCS1v15(), signer.signature_hash_algorithm
    )
    authority_key = signer.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    assert authority_key == ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    assert [certificate.subject for certificate in chain] == [ca.subject]


def test_the_ca_is_a_ca_that_signs_certificates_only(platform_pki):
    ca = x509.load_pem_x509_certificate((platform_pki / CA_CERTIFICATE).read_bytes())

    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature


def test_the_command_creates_once_then_reports_nothing_changed(fresh_root, capsys):
    call_command("ensure_signing_key")
    first = capsys.readouterr().out
    before = snapshot_of(fresh_root)
    call_command("ensure_signing_key")
    second = capsys.readouterr().out

    assert SIGNER_P12 in first
    assert "nothing changed" in second
    assert snapshot_of(fresh_root) == before


def test_the_ca_certificate_is_downloadable(client, platform_pki):
    response = client.get("/credentials/ca.pem")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    assert 'filename="ie-academy-ca.pem"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body == (platform_pki / CA_CERTIFICATE).read_bytes()
    assert b"PRIVATE KEY" not in body


def test_the_ca_download_refuses_other_methods(client):
    assert client.post("/credentials/ca.pem").status_code == 405
