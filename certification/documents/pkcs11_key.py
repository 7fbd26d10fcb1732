"""The certificate-signing key inside a PKCS#11 module: a hardware security module, or an organisation's smart card.

When ``CERTIFICATE_PKCS11_MODULE`` is set, :func:`certification.documents.signing.platform_signer` signs through
the module instead of the PKCS#12 file (which stays the development default). Settings, see docs/certificates.md:

``CERTIFICATE_PKCS11_MODULE``
    path of the vendor's PKCS#11 module (``.so``), e.g. ``/usr/lib/softhsm/libsofthsm2.so``;
``CERTIFICATE_PKCS11_TOKEN_LABEL``
    label of the token (the HSM partition, or the card) that holds the key;
``CERTIFICATE_PKCS11_KEY_LABEL``
    label (CKA_LABEL) of the private key on that token;
``CERTIFICATE_PKCS11_CERTIFICATE_LABEL``
    label of the signer certificate on the token (default: the key's label), or
``CERTIFICATE_PKCS11_CERTIFICATE``
    a PEM or DER file with the signer certificate: when set, the certificate is read from this file and not from
    the token (for modules that cannot store certificates);
``CERTIFICATE_PKCS11_CHAIN``
    a PEM file with the issuing CA certificates embedded in every signature (default: ``CERTIFICATE_TRUST_ROOT``).

The user PIN is read from the environment variable ``CERTIFICATE_PKCS11_PIN`` only, never from a settings file.

Opening the key checks, once per process, everything that would otherwise fail certificate after certificate: the
module loads, the token and the key exist, the key is sensitive (its value cannot be read out), and the certificate
belongs to the key (a test signature made on the token verifies with the certificate's public key). A wrong PIN is
never retried by the process: a smart card locks itself after a few wrong PINs, so the process refuses to present
the same PIN again, and it never presents any PIN when the token says one attempt is left.
"""

import hashlib
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pkcs11
from asn1crypto import algos, core, csr
from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from django.conf import settings
from pkcs11 import Attribute, CertificateType, KeyType, Mechanism, ObjectClass, TokenFlag
from pkcs11.util.ec import encode_ec_public_key, encode_ecdsa_signature, encode_named_curve_parameters
from pkcs11.util.rsa import encode_rsa_public_key

from .pki import SigningKeyUnavailable, trust_root_path

PIN_VARIABLE = "CERTIFICATE_PKCS11_PIN"
REQUIRED_SETTINGS = ("CERTIFICATE_PKCS11_MODULE", "CERTIFICATE_PKCS11_TOKEN_LABEL", "CERTIFICATE_PKCS11_KEY_LABEL")
OPTIONAL_SETTINGS = (
    "CERTIFICATE_PKCS11_CERTIFICATE_LABEL",
    "CERTIFICATE_PKCS11_CERTIFICATE",
    "CERTIFICATE_PKCS11_CHAIN",
)
_PROBE = hashlib.sha256(b"IE Academy: does the certificate belong to the key on the token?").digest()


@dataclass(frozen=True)
class TokenConfiguration:
    module: str
    token_label: str
    key_label: str
    certificate_label: str
    certificate_file: str
    chain_file: str
    pin: str = field(repr=False)


@dataclass(frozen=True)
class TokenKey:
    """An open, logged-in session and what it signs with; ``lock`` serialises its use (one operation per session)."""

    configuration: TokenConfiguration
    session: pkcs11.Session
    certificate: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)


def token_configuration() -> TokenConfiguration | None:
    """The configured PKCS#11 key, or None when no PKCS#11 setting is set (the PKCS#12 file signs).

    Raises :class:`SigningKeyUnavailable` for a half configuration: one setting without the others would otherwise
    fall back to the file key without a word.
    """
    values = {name: str(getattr(settings, name, "") or "") for name in REQUIRED_SETTINGS + OPTIONAL_SETTINGS}
    if not any(values.values()):
        return None
    missing = [name for name in REQUIRED_SETTINGS if not values[name]]
    if missing:
        present = ", ".join(name for name, value in values.items() if value)
        raise SigningKeyUnavailable(
            f"PKCS#11 signing is half configured: {present} set but {', '.join(missing)} not. Set all of "
            f"{', '.join(REQUIRED_SETTINGS)} to sign with a key in a PKCS#11 module, or none of them to sign with "
            "the PKCS#12 file."
        )
    pin = os.environ.get(PIN_VARIABLE, "")
    if not pin:
        raise SigningKeyUnavailable(
            f"PKCS#11 signing is configured but the token's user PIN is not: set the environment variable "
            f"{PIN_VARIABLE} (never a settings file)."
        )
    return TokenConfiguration(
        module=values["CERTIFICATE_PKCS11_MODULE"],
        token_label=values["CERTIFICATE_PKCS11_TOKEN_LABEL"],
        key_label=values["CERTIFICATE_PKCS11_KEY_LABEL"],
        certificate_label=values["CERTIFICATE_PKCS11_CERTIFICATE_LABEL"] or values["CERTIFICATE_PKCS11_KEY_LABEL"],
        certificate_file=values["CERTIFICATE_PKCS11_CERTIFICATE"],
        chain_file=values["CERTIFICATE_PKCS11_CHAIN"],
        pin=pin,
    )


# (module, token serial, SHA-256 of the PIN) that the token refused: never presented again by this process.
_refused_pins: set[tuple[str, bytes, bytes]] = set()


def open_token_key(configuration: TokenConfiguration) -> TokenKey:
    """Log in to the token, find the key and its certificate, and prove they belong together.

    Every failure is a :class:`SigningKeyUnavailable` that names the setting or the token object to look at.
    """
    token = find_token(configuration)
    session = _log_in(token, configuration)
    try:
        key = _private_key(session, configuration)
        certificate = _signer_certificate(session, configuration)
        _prove_certificate_belongs_to_key(key, certificate, configuration)
        chain = _chain(configuration)
    except BaseException:
        session.close()
        raise
    return TokenKey(configuration=configuration, session=session, certificate=certificate, chain=chain)


def find_token(configuration: TokenConfiguration) -> pkcs11.Token:
    library = _module(configuration.module, os.getpid())
    try:
        return library.get_token(token_label=configuration.token_label)
    except pkcs11.NoSuchToken:
        labels = sorted(token.label for token in library.get_tokens())
        raise SigningKeyUnavailable(
            f"The PKCS#11 module {configuration.module} has no token labelled {configuration.token_label!r} "
            f"(CERTIFICATE_PKCS11_TOKEN_LABEL); tokens present: {', '.join(map(repr, labels)) or 'none'}. "
            "Is the card inserted, or the HSM partition assigned to this machine?"
        ) from None
    except pkcs11.MultipleTokensReturned:
        raise SigningKeyUnavailable(
            f"More than one token in {configuration.module} is labelled {configuration.token_label!r}: give the "
            "signing token a label of its own."
        ) from None


def signing_key_extractable(token_key: TokenKey) -> bool:
    """Whether the module would hand the key out wrapped under another key (CKA_EXTRACTABLE)."""
    with token_key.lock:
        return bool(_private_key(token_key.session, token_key.configuration)[Attribute.EXTRACTABLE])


def token_error(error: pkcs11.PKCS11Error, configuration: TokenConfiguration) -> SigningKeyUnavailable:
    """A failure of the module while signing (card removed, HSM restarted, session gone) in words."""
    return SigningKeyUnavailable(
        f"The PKCS#11 token {configuration.token_label!r} ({configuration.module}) failed while signing: "
        f"{type(error).__name__} {error}. The next certificate opens a new session."
    )


def require_module_file(path: str) -> None:
    if not Path(path).is_file():
        raise SigningKeyUnavailable(
            f"The PKCS#11 module {path} (CERTIFICATE_PKCS11_MODULE) does not exist. Install the HSM's or the card "
            "reader's PKCS#11 library (for tests: Debian's softhsm2) or correct the path."
        )


@lru_cache(maxsize=4)
def _module(path: str, process: int) -> pkcs11.lib:
    # `process` is part of the key only: a forked worker initialises the module again (PKCS#11 requires it).
    require_module_file(path)
    try:
        return pkcs11.lib(path)
    except pkcs11.PKCS11Error as error:
        raise SigningKeyUnavailable(
            f"{path} (CERTIFICATE_PKCS11_MODULE) cannot be loaded as a PKCS#11 module: {error}"
        ) from error


def _log_in(token: pkcs11.Token, configuration: TokenConfiguration, rw: bool = False) -> pkcs11.Session:
    refused = (configuration.module, token.serial, hashlib.sha256(configuration.pin.encode()).digest())
    label = configuration.token_label
    if token.flags & TokenFlag.USER_PIN_LOCKED:
        raise SigningKeyUnavailable(
            f"The user PIN of token {label!r} is locked. Unlock it with the security officer PIN (or the card "
            "issuer's procedure), then set the new PIN in CERTIFICATE_PKCS11_PIN."
        )
    if refused in _refused_pins:
        raise SigningKeyUnavailable(
            f"Token {label!r} already refused this PIN (CERTIFICATE_PKCS11_PIN); it is not presented again, so the "
            "token does not lock. Correct the PIN and restart the process."
        )
    if token.flags & TokenFlag.USER_PIN_FINAL_TRY:
        raise SigningKeyUnavailable(
            f"Token {label!r} allows one more PIN attempt before it locks: the platform will not spend it. Check the "
            "PIN by hand (pkcs11-tool --login --test), which resets the counter, then restart."
        )
    try:
        return token.open(rw=rw, user_pin=configuration.pin)
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange, pkcs11.PinInvalid):
        _refused_pins.add(refused)
        raise SigningKeyUnavailable(
            f"Token {label!r} refused the user PIN: check CERTIFICATE_PKCS11_PIN. The process will not present "
            "this PIN again (a card locks after a few wrong PINs)."
        ) from None
    except pkcs11.UserAlreadyLoggedIn:
        # Login is per application: another session of this process (the signer's) is logged in, so this one is too.
        return token.open(rw=rw)
    except pkcs11.PinExpired:
        raise SigningKeyUnavailable(f"The user PIN of token {label!r} has expired: set a new one.") from None
    except pkcs11.PinLocked:
        raise SigningKeyUnavailable(f"The user PIN of token {label!r} is locked.") from None
    except pkcs11.PKCS11Error as error:
        raise SigningKeyUnavailable(f"Logging in to token {label!r} failed: {type(error).__name__} {error}") from error


def _private_key(session: pkcs11.Session, configuration: TokenConfiguration) -> pkcs11.PrivateKey:
    found = list(
        session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: configuration.key_label})
    )
    if len(found) != 1:
        problem = "no private key" if not found else f"{len(found)} private keys"
        raise SigningKeyUnavailable(
            f"Token {configuration.token_label!r} has {problem} labelled {configuration.key_label!r} "
            "(CERTIFICATE_PKCS11_KEY_LABEL)."
        )
    (key,) = found
    if not key[Attribute.SIGN]:
        raise SigningKeyUnavailable(f"The key {configuration.key_label!r} on the token is not allowed to sign.")
    if not key[Attribute.SENSITIVE]:
        # A key whose value the module hands out is a key in a file with extra steps: refuse it.
        raise SigningKeyUnavailable(
            f"The key {configuration.key_label!r} on token {configuration.token_label!r} is not sensitive: its value "
            "can be read out of the module. Generate the key on the device with CKA_SENSITIVE (see "
            "docs/certificates.md)."
        )
    return key


def _signer_certificate(session: pkcs11.Session, configuration: TokenConfiguration) -> asn1_x509.Certificate:
    if configuration.certificate_file:
        path = Path(configuration.certificate_file)
        try:
            certificate = _read_certificates(path)[0]
        except (OSError, ValueError, IndexError) as error:
            raise SigningKeyUnavailable(
                f"The signer certificate {path} (CERTIFICATE_PKCS11_CERTIFICATE) cannot be read: {error}"
            ) from error
    else:
        found = list(
            session.get_objects(
                {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: configuration.certificate_label}
            )
        )
        if len(found) != 1:
            problem = "no certificate" if not found else f"{len(found)} certificates"
            raise SigningKeyUnavailable(
                f"Token {configuration.token_label!r} has {problem} labelled {configuration.certificate_label!r} "
                "(CERTIFICATE_PKCS11_CERTIFICATE_LABEL, default the key's label). Import the signer certificate "
                "onto the token, or name its file in CERTIFICATE_PKCS11_CERTIFICATE."
            )
        certificate = asn1_x509.Certificate.load(found[0][Attribute.VALUE])
    _require_non_repudiation(certificate)
    return certificate


def _require_non_repudiation(certificate: asn1_x509.Certificate) -> None:
    usages = set(certificate.key_usage_value.native) if certificate.key_usage_value else set()
    if "non_repudiation" not in usages:
        raise SigningKeyUnavailable(
            f"The signer certificate {certificate.subject.human_friendly} lacks the nonRepudiation (content "
            "commitment) key usage that document signatures need: ask the CA for a signing certificate."
        )


def _prove_certificate_belongs_to_key(key, certificate: asn1_x509.Certificate, configuration) -> None:
    public_key = serialization.load_der_public_key(certificate.public_key.dump())
    try:
        signature, _algorithm = _sign_digest(key, _PROBE, configuration)
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, _PROBE, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        elif isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, _PROBE, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        else:
            raise InvalidSignature
    except (InvalidSignature, ValueError):
        raise SigningKeyUnavailable(
            f"The signer certificate {certificate.subject.human_friendly} does not belong to the key "
            f"{configuration.key_label!r} on token {configuration.token_label!r}: a signature made by the key does "
            "not verify with the certificate's public key."
        ) from None


def _sign_digest(key, digest: bytes, configuration) -> tuple[bytes, str]:
    """Sign a SHA-256 digest on the token: the DER signature and its algorithm's name (asn1crypto's).

    The hash is computed here and the token signs it with CKM_ECDSA or CKM_RSA_PKCS, the mechanisms every module
    has (SoftHSM2 and many smart cards lack the hash-and-sign ones); pyHanko's signer does the same.
    """
    try:
        if key.key_type == KeyType.EC:
            return encode_ecdsa_signature(key.sign(digest, mechanism=Mechanism.ECDSA)), "sha256_ecdsa"
        if key.key_type == KeyType.RSA:
            digest_info = algos.DigestInfo(
                {"digest_algorithm": {"algorithm": "sha256", "parameters": core.Null()}, "digest": digest}
            )
            return key.sign(digest_info.dump(), mechanism=Mechanism.RSA_PKCS), "sha256_rsa"
    except pkcs11.PKCS11Error as error:
        raise token_error(error, configuration) from error
    raise SigningKeyUnavailable(
        f"The key {configuration.key_label!r} is a {key.key_type.name} key: certificates are signed with an EC "
        "(ECDSA) or RSA key."
    )


def _chain(configuration: TokenConfiguration) -> tuple[asn1_x509.Certificate, ...]:
    path = Path(configuration.chain_file) if configuration.chain_file else trust_root_path()
    if not configuration.chain_file and not path.exists():
        return ()
    try:
        return tuple(_read_certificates(path))
    except (OSError, ValueError) as error:
        raise SigningKeyUnavailable(f"The CA chain {path} (CERTIFICATE_PKCS11_CHAIN): {error}") from error


def _read_certificates(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    ders = [der for _kind, _headers, der in asn1_pem.unarmor(data, multiple=True)] if asn1_pem.detect(data) else [data]
    certificates = [asn1_x509.Certificate.load(der) for der in ders]
    # `.native` parses the whole structure now: a damaged file fails here, naming the file, not at the first signature.
    if any(certificate.native is None for certificate in certificates):
        raise ValueError("empty certificate")
    return certificates


# Installing a key: generate it on the device, ask a CA for its certificate, put the certificate beside it.
# (`manage.py pkcs11_signing_key`; docs/certificates.md walks through it.)


def generate_signing_key(configuration: TokenConfiguration, key_type: str) -> None:
    """Generate the signing key pair inside the token: sensitive, never extractable, labelled as configured.

    ``key_type`` is ``"ec"`` (ECDSA P-256) or ``"rsa"`` (RSA-3072). An existing key with the label is never replaced.
    """
    with _log_in(find_token(configuration), configuration, rw=True) as session:
        existing = list(session.get_objects({Attribute.LABEL: configuration.key_label}))
        if existing:
            raise SigningKeyUnavailable(
                f"Token {configuration.token_label!r} already holds objects labelled {configuration.key_label!r}: "
                "choose a new CERTIFICATE_PKCS11_KEY_LABEL for a new key (the old one keeps verifying until retired)."
            )
        private_template = {
            Attribute.TOKEN: True,
            Attribute.PRIVATE: True,
            Attribute.SENSITIVE: True,
            Attribute.EXTRACTABLE: False,
            Attribute.SIGN: True,
        }
        options = {"label": configuration.key_label, "id": os.urandom(16), "store": True}
        try:
            if key_type == "ec":
                parameters = session.create_domain_parameters(
                    KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True
                )
                parameters.generate_keypair(private_template=private_template, **options)
            elif key_type == "rsa":
                session.generate_keypair(KeyType.RSA, 3072, private_template=private_template, **options)
            else:
                raise ValueError(f"Unknown key type {key_type!r}: ec or rsa.")
        except pkcs11.PKCS11Error as error:
            raise SigningKeyUnavailable(
                f"Token {configuration.token_label!r} could not generate the key: {type(error).__name__} {error}"
            ) from error


def certificate_request(configuration: TokenConfiguration, subject: dict[str, str]) -> bytes:
    """A PKCS#10 request (PEM) for the token's key, signed on the token, asking for digitalSignature and
    nonRepudiation. ``subject`` uses asn1crypto's names: ``{"country_name": "TW", "common_name": ...}``."""
    with _log_in(find_token(configuration), configuration) as session:
        key = _private_key(session, configuration)
        info = csr.CertificationRequestInfo(
            {
                "version": "v1",
                "subject": asn1_x509.Name.build(subject),
                "subject_pk_info": _public_key_info(session, configuration),
                "attributes": [
                    {
                        "type": "extension_request",
                        "values": [
                            [
                                {
                                    "extn_id": "key_usage",
                                    "critical": True,
                                    "extn_value": {"digital_signature", "non_repudiation"},
                                }
                            ]
                        ],
                    }
                ],
            }
        )
        signature, algorithm = _sign_digest(key, hashlib.sha256(info.dump()).digest(), configuration)
    request = csr.CertificationRequest(
        {"certification_request_info": info, "signature_algorithm": {"algorithm": algorithm}, "signature": signature}
    )
    return asn1_pem.armor("CERTIFICATE REQUEST", request.dump())


def token_public_key(configuration: TokenConfiguration):
    """The public half of the token's key (a ``cryptography`` public key), for a CA to certify."""
    with _log_in(find_token(configuration), configuration) as session:
        return serialization.load_der_public_key(_public_key_info(session, configuration).dump())


def _public_key_info(session: pkcs11.Session, configuration: TokenConfiguration) -> asn1_keys.PublicKeyInfo:
    found = list(
        session.get_objects({Attribute.CLASS: ObjectClass.PUBLIC_KEY, Attribute.LABEL: configuration.key_label})
    )
    if len(found) != 1:
        raise SigningKeyUnavailable(
            f"Token {configuration.token_label!r} has no single public key labelled {configuration.key_label!r} "
            "(a smart card's key comes with its certificate from the card's issuer)."
        )
    (public_key,) = found
    if public_key.key_type == KeyType.EC:
        return asn1_keys.PublicKeyInfo.load(encode_ec_public_key(public_key))
    # python-pkcs11 gives an RSA key as PKCS#1; a request carries it as SubjectPublicKeyInfo.
    rsa_key = asn1_keys.RSAPublicKey.load(encode_rsa_public_key(public_key))
    return asn1_keys.PublicKeyInfo({"algorithm": {"algorithm": "rsa"}, "public_key": rsa_key})


def read_certificate(path: Path) -> asn1_x509.Certificate:
    """The first certificate of a PEM or DER file."""
    try:
        return _read_certificates(path)[0]
    except (OSError, ValueError, IndexError) as error:
        raise SigningKeyUnavailable(f"The certificate {path} cannot be read: {error}") from error


def import_certificate(
    configuration: TokenConfiguration, certificate: asn1_x509.Certificate, replace: bool = False
) -> asn1_x509.Certificate:
    """Store the CA's certificate for the key on the token, labelled as configured, after checking that it is a
    signing certificate and belongs to the key. An existing certificate is replaced only with ``replace``."""
    _require_non_repudiation(certificate)
    with _log_in(find_token(configuration), configuration, rw=True) as session:
        key = _private_key(session, configuration)
        _prove_certificate_belongs_to_key(key, certificate, configuration)
        label = configuration.certificate_label
        existing = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}))
        if existing and not replace:
            raise SigningKeyUnavailable(
                f"Token {configuration.token_label!r} already holds a certificate labelled {label!r}; "
                "give --replace to put the renewed one in its place."
            )
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: key[Attribute.ID],
                Attribute.SUBJECT: certificate.subject.dump(),
                Attribute.VALUE: certificate.dump(),
            }
        )
        for old in existing:
            old.destroy()
    return certificate
