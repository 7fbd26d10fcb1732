"""A SoftHSM2 token (Debian package softhsm2) holding certificate-signing keys generated inside it.

The token lives in a folder of its own (``SOFTHSM2_CONF`` points at a configuration naming it), so parallel runs never
share one. Keys:

``certificate-signing``
    ECDSA P-256, sensitive and non-extractable, with its certificate from the development CA stored on the token;
``certificate-signing-rsa``
    RSA-2048, sensitive and non-extractable, its certificate given as a file only (``rsa_certificate_file``);
``readable-key``
    ECDSA P-256 created NOT sensitive and extractable, certificate on the token: the platform must refuse it;
``wrappable-key``
    ECDSA P-256, sensitive but extractable (it could leave wrapped), certificate on the token: the check warns.
"""

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters
from pkcs11.util.rsa import encode_rsa_public_key

from certification.documents.pki import issue_development_signing_certificate

MODULE_CANDIDATES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
TOKEN_LABEL = "IE Academy test token"
EC_KEY = "certificate-signing"
RSA_KEY = "certificate-signing-rsa"
READABLE_KEY = "readable-key"
WRAPPABLE_KEY = "wrappable-key"


@dataclass(frozen=True)
class SoftHsmToken:
    module: str
    library: pkcs11.lib
    configuration: Path
    label: str
    user_pin: str
    so_pin: str
    ec_certificate: x509.Certificate
    rsa_certificate_file: Path

    def open_session(self, rw: bool = False) -> pkcs11.Session:
        return self.library.get_token(token_label=self.label).open(rw=rw, user_pin=self.user_pin)


def softhsm_module() -> str:
    for candidate in MODULE_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    raise RuntimeError("SoftHSM2 is not installed: run scripts/install-system-deps.sh (Debian package softhsm2).")


def initialise_token(folder: Path, pki_root: Path) -> SoftHsmToken:
    """Initialise a token under ``folder`` (``softhsm2-util --init-token``) and generate the keys inside it.

    Sets ``SOFTHSM2_CONF`` in this process's environment: SoftHSM2 reads it when the module is first initialised.
    """
    (folder / "tokens").mkdir()
    configuration = folder / "softhsm2.conf"
    configuration.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(configuration)
    user_pin, so_pin = "246810", "13579111"
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--so-pin", so_pin, "--pin", user_pin],
        check=True,
        capture_output=True,
        timeout=60,
    )
    module = softhsm_module()
    library = pkcs11.lib(module)
    token = library.get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=user_pin) as session:
        ec_public = _generate_ec_key(session, EC_KEY, b"\x01", sensitive=True, extractable=False)
        ec_certificate = issue_development_signing_certificate(ec_public, pki_root)
        _store_certificate(session, EC_KEY, b"\x01", ec_certificate)

        rsa_public, _ = session.generate_keypair(
            KeyType.RSA,
            2048,
            label=RSA_KEY,
            id=b"\x02",
            store=True,
            private_template=_private_template(sensitive=True, extractable=False),
        )
        rsa_certificate = issue_development_signing_certificate(
            serialization.load_der_public_key(encode_rsa_public_key(rsa_public)), pki_root
        )

        for label, key_id, sensitive in ((READABLE_KEY, b"\x03", False), (WRAPPABLE_KEY, b"\x04", True)):
            public = _generate_ec_key(session, label, key_id, sensitive=sensitive, extractable=True)
            _store_certificate(session, label, key_id, issue_development_signing_certificate(public, pki_root))
    rsa_certificate_file = folder / "rsa-signer.pem"
    rsa_certificate_file.write_bytes(rsa_certificate.public_bytes(serialization.Encoding.PEM))
    return SoftHsmToken(
        module=module,
        library=library,
        configuration=configuration,
        label=TOKEN_LABEL,
        user_pin=user_pin,
        so_pin=so_pin,
        ec_certificate=ec_certificate,
        rsa_certificate_file=rsa_certificate_file,
    )


def _private_template(sensitive: bool, extractable: bool) -> dict:
    return {Attribute.SENSITIVE: sensitive, Attribute.EXTRACTABLE: extractable, Attribute.SIGN: True}


def _generate_ec_key(session: pkcs11.Session, label: str, key_id: bytes, sensitive: bool, extractable: bool):
    """Generate a P-256 key pair on the token; return the public key as the CA needs it."""
    parameters = session.create_domain_parameters(
        KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True
    )
    public, _private = parameters.generate_keypair(
        label=label, id=key_id, store=True, private_template=_private_template(sensitive, extractable)
    )
    return serialization.load_der_public_key(encode_ec_public_key(public))


def _store_certificate(session: pkcs11.Session, label: str, key_id: bytes, certificate: x509.Certificate) -> None:
    session.create_object(
        {
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.LABEL: label,
            Attribute.ID: key_id,
            Attribute.SUBJECT: certificate.subject.public_bytes(),
            Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
        }
    )
