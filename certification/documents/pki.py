"""The platform's keys: where they live, and a development PKI created on first use.

Files, all under ``settings.PKI_ROOT`` (``var/pki`` in the checkout by default, ignored by git; set ``PKI_ROOT``
in the environment to keep them elsewhere):

``ca.pem`` / ``ca-key.pem``
    the development certification authority, the trust root certificates chain to. ``ca.pem`` is public and
    downloadable from the site so anyone can add it to their trust store.
``signer.p12``
    the PKCS#12 with the certificate-signing key and its certificate (key usage digitalSignature and
    nonRepudiation, which pyHanko requires) and the CA certificate.
``credential-es256.pem``
    the P-256 key that signs Open Badges credentials (VC-JWT, ES256).
``transparency-log-ed25519.pem``
    the Ed25519 key that signs the transparency log's tree heads (``TRANSPARENCY_LOG_KEY``).

Private keys are encrypted with ``CERTIFICATE_SIGNING_PASSPHRASE`` (from the environment) when it is set, and
written with mode 0600 in a 0700 folder. :func:`ensure_development_pki` is idempotent: it creates only what is
missing and never replaces an existing key, even with two processes racing (the folder is locked).

In production the PKCS#12 comes from a real CA: ``CERTIFICATE_SIGNING_P12`` points at it and
``CERTIFICATE_TRUST_ROOT`` at the PEM of the CA that verification trusts; the development CA is then unused.
Better, the key never exists as a file: it is generated inside a hardware module or smart card and used through
PKCS#11 (:mod:`certification.documents.pkcs11_key`); :func:`issue_development_signing_certificate` gives such a key
a certificate from the development CA, as a real CA does from the key's request.
"""

import datetime
import fcntl
import hashlib
import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CA_CERTIFICATE = "ca.pem"
CA_KEY = "ca-key.pem"
SIGNER_P12 = "signer.p12"
CREDENTIAL_KEY = "credential-es256.pem"
TRANSPARENCY_LOG_KEY = "transparency-log-ed25519.pem"

ORGANISATION = "IE Academy"
CA_VALIDITY = datetime.timedelta(days=365 * 20)
SIGNER_VALIDITY = datetime.timedelta(days=365 * 5)


class SigningKeyUnavailable(ImproperlyConfigured):
    """The certificate-signing key cannot be used: a missing or unreadable PKCS#12, or a PKCS#11 token that fails."""


def pki_root() -> Path:
    return Path(settings.PKI_ROOT)


def signing_passphrase() -> bytes | None:
    """The passphrase of the signing PKCS#12 and the other private keys, or None when they are not encrypted."""
    passphrase = getattr(settings, "CERTIFICATE_SIGNING_PASSPHRASE", "") or os.environ.get(
        "CERTIFICATE_SIGNING_PASSPHRASE", ""
    )
    return passphrase.encode() if passphrase else None


def signing_p12_path() -> Path:
    configured = getattr(settings, "CERTIFICATE_SIGNING_P12", None)
    return Path(configured) if configured else pki_root() / SIGNER_P12


def trust_root_path() -> Path:
    """The PEM certificate of the CA whose signatures verification accepts as ours."""
    configured = getattr(settings, "CERTIFICATE_TRUST_ROOT", None)
    return Path(configured) if configured else pki_root() / CA_CERTIFICATE


def credential_key_path() -> Path:
    configured = getattr(settings, "CREDENTIAL_SIGNING_KEY", None)
    return Path(configured) if configured else pki_root() / CREDENTIAL_KEY


def development_pki_enabled() -> bool:
    """Whether missing keys are created on first use (default: in DEBUG, never in production)."""
    return bool(getattr(settings, "CERTIFICATE_DEVELOPMENT_PKI", settings.DEBUG))


def certificate_fingerprint(certificate_der: bytes) -> str:
    """SHA-256 of a DER certificate as lower-case hex: how the registry identifies a signing certificate."""
    return hashlib.sha256(certificate_der).hexdigest()


@dataclass(frozen=True)
class DevelopmentPki:
    root: Path
    created: tuple[str, ...]

    @property
    def ca_certificate(self) -> Path:
        return self.root / CA_CERTIFICATE

    @property
    def signer_p12(self) -> Path:
        return self.root / SIGNER_P12

    @property
    def credential_key(self) -> Path:
        return self.root / CREDENTIAL_KEY


def ensure_development_pki(root: Path | None = None) -> DevelopmentPki:
    """Create whatever is missing of the development CA, signer PKCS#12 and credential key under ``root``.

    Returns which files were created (empty when everything existed). Existing files are never rewritten.
    """
    root = Path(root or pki_root())
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    passphrase = signing_passphrase()
    created = []
    with _locked(root):
        if not (root / CA_KEY).exists():
            ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
            _write_new(root / CA_KEY, _private_pem(ca_key, passphrase))
            created.append(CA_KEY)
        ca_key = serialization.load_pem_private_key((root / CA_KEY).read_bytes(), passphrase)
        if not (root / CA_CERTIFICATE).exists():
            _write_new(root / CA_CERTIFICATE, _ca_certificate(ca_key).public_bytes(serialization.Encoding.PEM))
            created.append(CA_CERTIFICATE)
        ca_certificate = x509.load_pem_x509_certificate((root / CA_CERTIFICATE).read_bytes())
        if not (root / SIGNER_P12).exists():
            _write_new(root / SIGNER_P12, _signer_p12(ca_key, ca_certificate, passphrase))
            created.append(SIGNER_P12)
        if not (root / CREDENTIAL_KEY).exists():
            _write_new(root / CREDENTIAL_KEY, _private_pem(ec.generate_private_key(ec.SECP256R1()), passphrase))
            created.append(CREDENTIAL_KEY)
        if not (root / TRANSPARENCY_LOG_KEY).exists():
            _write_new(root / TRANSPARENCY_LOG_KEY, _private_pem(ed25519.Ed25519PrivateKey.generate(), passphrase))
            created.append(TRANSPARENCY_LOG_KEY)
    return DevelopmentPki(root=root, created=tuple(created))


def ensure_keys_for_use() -> None:
    """Create the development PKI if it is enabled and a key is missing; otherwise leave things as they are."""
    if development_pki_enabled() and not (signing_p12_path().exists() and credential_key_path().exists()):
        ensure_development_pki()


@contextmanager
def _locked(root: Path):
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_new(path: Path, data: bytes) -> None:
    # Write beside, then link: the file appears whole, and an existing one makes link() fail instead of replacing it.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
    finally:
        temporary.unlink()


def _private_pem(key, passphrase: bytes | None) -> bytes:
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*granted: str) -> x509.KeyUsage:
    usages = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    )
    return x509.KeyUsage(**{usage: usage in granted for usage in usages})


def _ca_certificate(ca_key) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    name = _name(f"{ORGANISATION} Development Root CA")
    public_key = ca_key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage("key_cert_sign", "crl_sign"), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _signer_p12(ca_key, ca_certificate: x509.Certificate, passphrase: bytes | None) -> bytes:
    # ECDSA P-256: small, fast signatures (pyHanko reparses the key for every signature, cheap for EC, ~100 ms for
    # RSA-3072), verified by every PDF reader that supports PAdES.
    signer_key = ec.generate_private_key(ec.SECP256R1())
    certificate = _signer_certificate(
        ca_key, ca_certificate, signer_key.public_key(), f"{ORGANISATION} Certificate Signing (development)"
    )
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(
        b"certificate-signing", signer_key, certificate, [ca_certificate], encryption
    )


def _signer_certificate(ca_key, ca_certificate: x509.Certificate, public_key, common_name: str) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(min(now + SIGNER_VALIDITY, ca_certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # content_commitment is non-repudiation: pyHanko refuses document signers without it.
        .add_extension(_key_usage("digital_signature", "content_commitment"), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_certificate.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def issue_development_signing_certificate(public_key, root: Path | None = None) -> x509.Certificate:
    """A signing certificate from the development CA for a key kept elsewhere (a PKCS#11 token's public key).

    It is the certificate ``signer.p12`` holds, for another key: what a real CA issues from the key's request.
    """
    root = Path(root or pki_root())
    passphrase = signing_passphrase()
    ca_key = serialization.load_pem_private_key((root / CA_KEY).read_bytes(), passphrase)
    ca_certificate = x509.load_pem_x509_certificate((root / CA_CERTIFICATE).read_bytes())
    return _signer_certificate(
        ca_key, ca_certificate, public_key, f"{ORGANISATION} Certificate Signing (development, PKCS#11)"
    )


def transparency_log_key_path() -> Path:
    """The Ed25519 key that signs the transparency log's tree heads: never the certificate signing key, so a
    stolen certificate key cannot also vouch for a rewritten log (``TRANSPARENCY_LOG_KEY`` in production)."""
    configured = getattr(settings, "TRANSPARENCY_LOG_KEY", None)
    return Path(configured) if configured else pki_root() / TRANSPARENCY_LOG_KEY


def transparency_log_key() -> ed25519.Ed25519PrivateKey:
    """The log's signing key, created with the development PKI on first use when that is enabled."""
    path = transparency_log_key_path()
    if not path.exists() and development_pki_enabled():
        ensure_development_pki()
    return _load_log_key(str(path), path.stat().st_mtime_ns, signing_passphrase())


@lru_cache(maxsize=2)
def _load_log_key(path: str, modified: int, passphrase: bytes | None) -> ed25519.Ed25519PrivateKey:
    with open(path, "rb") as file:
        key = serialization.load_pem_private_key(file.read(), passphrase)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key.")
    return key
