"""Open Badges 3.0: each certificate as a W3C Verifiable Credential, signed as a VC-JWT with ES256.

The token's payload is the ``OpenBadgeCredential`` itself (Open Badges 3.0 §8.2, VC data model 2.0), with the JWT
registered claims mapped from it: ``iss`` = issuer id, ``jti`` = credential id, ``sub`` = subject id when there is
one, ``nbf`` = ``validFrom``, ``exp`` = ``validUntil``. The JOSE header names the key by ``kid`` and carries it
as ``jwk``; the key is published in the issuer's JWKS (:func:`issuer_jwks`), linked from the issuer profile
(:func:`issuer_profile`), and only a key published there makes a credential valid.

Revocation: ``credentialStatus`` is the entry the caller passes, a W3C ``BitstringStatusListEntry``
(:mod:`certification.credentials.status_list`); a verifier fetches the signed status list it names and reads the
credential's bit. URLs are absolute and stable, on the canonical address ``WAGTAILADMIN_BASE_URL``.

The ES256 key is ``CREDENTIAL_SIGNING_KEY`` (default ``PKI_ROOT/credential-es256.pem``, created with the
development PKI), read once per process.
"""

import base64
import hashlib
import json
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..documents.pki import credential_key_path, ensure_keys_for_use, signing_passphrase
from ..documents.snapshot import CertificateSnapshot

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ALGORITHM = "ES256"
ISSUER_URL_NAME = "credentials:issuer"
JWKS_URL_NAME = "credentials:jwks"
# An indicator is a competency in the CTDL-ASN sense, one of the target types OB 3.0 names.
ALIGNMENT_TYPE = "ceasn:Competency"


class CredentialInvalid(ValueError):
    """A VC-JWT that does not verify: bad signature, unknown key, expired, or not an OpenBadgeCredential."""


def _b64url(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


@lru_cache(maxsize=2)
def _load_key(path: str, modified: int, passphrase: bytes | None) -> ec.EllipticCurvePrivateKey:
    with open(path, "rb") as file:
        return serialization.load_pem_private_key(file.read(), passphrase)


def credential_signing_key() -> ec.EllipticCurvePrivateKey:
    ensure_keys_for_use()
    path = credential_key_path()
    return _load_key(str(path), path.stat().st_mtime_ns, signing_passphrase())


def public_jwk(key: ec.EllipticCurvePublicKey) -> dict:
    """The public key as a JWK whose ``kid`` is its RFC 7638 thumbprint, so the id changes only with the key."""
    numbers = key.public_numbers()
    members = {
        "crv": "P-256",
        "kty": "EC",
        "x": _b64url(numbers.x.to_bytes(32, "big")),
        "y": _b64url(numbers.y.to_bytes(32, "big")),
    }
    thumbprint = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest()
    return {**members, "kid": _b64url(thumbprint), "use": "sig", "alg": ALGORITHM}


def issuer_jwks() -> dict:
    """The JSON Web Key Set to publish at the issuer's JWKS URL."""
    return {"keys": [public_jwk(credential_signing_key().public_key())]}


def canonical_url(path: str) -> str:
    """``path`` on the site's canonical address (``WAGTAILADMIN_BASE_URL``), whichever host a request came by.

    Credential ids must not depend on the host name a page was reached through, and credentials are built in
    background tasks that have no request.
    """
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def issuer_id() -> str:
    """The issuer profile's URL, which is also the issuer's id in every credential."""
    return canonical_url(reverse(ISSUER_URL_NAME))


def issuer_profile() -> dict:
    """The issuer's OB 3.0 ``Profile`` document, published at :func:`issuer_id`."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.WAGTAIL_SITE_NAME,
        "url": canonical_url("/"),
        # Where verifiers find the keys that sign our credentials.
        "publicKey": canonical_url(reverse(JWKS_URL_NAME)),
    }


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _criteria_narrative(snapshot: CertificateSnapshot, hours: str) -> str:
    """The criteria in zh-Hant, then English, each sentence naming the programme in its own language."""
    sentences = []
    for language, programme in (("zh-hant", snapshot.programme_name_zh), ("en", snapshot.programme_name_en)):
        with translation.override(language):
            sentences.append(
                _("Completed %(courses)s courses and %(hours)s hours of study in %(programme)s.")
                % {"courses": len(snapshot.courses), "hours": hours, "programme": programme}
            )
    return " / ".join(sentences)


def _alignment(alignment) -> dict:
    """An OB 3.0 ``Alignment`` to a competency indicator, both languages in each text as in the achievement."""
    return {
        "type": ["Alignment"],
        "targetType": ALIGNMENT_TYPE,
        "targetFramework": f"{alignment.framework_zh} / {alignment.framework_en}",
        "targetCode": alignment.code,
        "targetName": f"{alignment.name_zh} / {alignment.name_en}",
        "targetUrl": alignment.url,
    }


def build_open_badge_credential(
    snapshot: CertificateSnapshot,
    *,
    credential_id: str,
    achievement_id: str,
    credential_status: dict,
    subject_id: str | None = None,
) -> dict:
    """The ``OpenBadgeCredential`` for a certificate.

    ``credential_id`` is the certificate's stable URL (its verification page), ``achievement_id`` the programme's,
    ``credential_status`` where its revocation status is published (absolute URLs: :func:`canonical_url` builds them);
    ``subject_id`` (a URL or DID of the teacher) is optional, since the holder is also identified by name, serial
    and verification page. The issuer is this site, :func:`issuer_id`.
    """
    valid_from = _day_start(snapshot.issued_on)
    hours = format(snapshot.hours.normalize(), "f")
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": f"{snapshot.holder_name_zh} ({snapshot.holder_name_en})",
            }
        ],
        "licenseNumber": snapshot.serial,
        "achievement": {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": f"{snapshot.programme_name_zh} / {snapshot.programme_name_en}",
            "description": f"{snapshot.title_zh} / {snapshot.title_en}",
            "criteria": {"narrative": _criteria_narrative(snapshot, hours)},
        },
    }
    if snapshot.alignments:
        subject["achievement"]["alignment"] = [_alignment(alignment) for alignment in snapshot.alignments]
    if subject_id:
        subject["id"] = subject_id
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{snapshot.title_zh} / {snapshot.title_en}",
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": settings.WAGTAIL_SITE_NAME},
        "validFrom": valid_from.isoformat(),
        "credentialSubject": subject,
        "credentialStatus": credential_status,
    }
    if snapshot.valid_until:
        # Valid through the whole last day, in the platform's time zone.
        last_moment = _day_start(snapshot.valid_until + timedelta(days=1)) - timedelta(seconds=1)
        credential["validUntil"] = last_moment.isoformat()
    return credential


def sign_credential(credential: dict) -> str:
    """The credential as a compact VC-JWT (ES256), ready to download as ``.jwt``."""
    key = credential_signing_key()
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(datetime.fromisoformat(credential["validFrom"]).timestamp()),
    }
    if "id" in credential["credentialSubject"]:
        claims["sub"] = credential["credentialSubject"]["id"]
    if "validUntil" in credential:
        claims["exp"] = int(datetime.fromisoformat(credential["validUntil"]).timestamp())
    jwk = public_jwk(key.public_key())
    # The key travels in the header too, as the Open Badges examples show; verify_credential trusts only the JWKS.
    headers = {"kid": jwk["kid"], "typ": "JWT", "jwk": {name: jwk[name] for name in ("kty", "crv", "x", "y")}}
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers=headers)


def verify_credential(token: str, jwks: dict) -> dict:
    """Verify a VC-JWT against a published JWKS and return its payload; raise :class:`CredentialInvalid` if not.

    Checks the ES256 signature with the key named by ``kid``, ``nbf``/``exp`` against the clock, that the payload is an
    ``OpenBadgeCredential`` and that ``iss`` and ``jti`` agree with the credential they wrap. Revocation is not
    checked here: read the bit ``credentialStatus`` names in its status list.
    """
    try:
        header = jwt.get_unverified_header(token)
        key = next((jwk for jwk in jwks.get("keys", ()) if jwk.get("kid") == header.get("kid")), None)
        if key is None or header.get("alg") != ALGORITHM:
            raise CredentialInvalid("The credential is not signed with a published key.")
        payload = jwt.decode(
            token,
            jwt.PyJWK(key).key,
            algorithms=[ALGORITHM],
            options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
        )
    except jwt.PyJWTError as error:
        raise CredentialInvalid(str(error)) from error
    if "OpenBadgeCredential" not in payload.get("type", ()):
        raise CredentialInvalid("The token is not an OpenBadgeCredential.")
    if payload["iss"] != payload.get("issuer", {}).get("id") or payload["jti"] != payload.get("id"):
        raise CredentialInvalid("The token's claims do not match the credential it carries.")
    return payload
