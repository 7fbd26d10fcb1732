"""Open Badges 3.0: the credential is a VC-JWT (ES256) that verifies with the JWKS the site publishes."""

import base64
import json
from datetime import date

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from certification.credentials.open_badges import (
    CredentialInvalid,
    build_open_badge_credential,
    issuer_id,
    public_jwk,
    sign_credential,
    verify_credential,
)

CREDENTIAL_ID = "http://testserver/zh-hant/verify/0f1e2d3c4b5a69788796a5b4c3d2e1f0"
STATUS_URL = "http://testserver/credentials/status/0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture
def credential(make_snapshot):
    return build_open_badge_credential(
        make_snapshot(),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        status_url=STATUS_URL,
    )


@pytest.fixture
def published_jwks(client):
    response = client.get("/credentials/jwks.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    return response.json()


def segments(token: str) -> list[dict]:
    return [json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in token.split(".")[:2]]


def test_the_credential_verifies_with_the_published_jwks(credential, published_jwks):
    payload = verify_credential(sign_credential(credential), published_jwks)

    assert payload["credentialSubject"]["licenseNumber"] == "IEA-2026-000123"
    assert payload["id"] == CREDENTIAL_ID


def test_the_token_is_an_ob3_vc_jwt(credential, published_jwks):
    header, payload = segments(sign_credential(credential))

    assert header["alg"] == "ES256"
    (key,) = published_jwks["keys"]
    assert header["kid"] == key["kid"]
    assert header["jwk"] == {name: key[name] for name in ("kty", "crv", "x", "y")}
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["iss"] == payload["issuer"]["id"] == "http://testserver/credentials/issuer"
    assert payload["jti"] == payload["id"]
    assert payload["nbf"] < payload["exp"]
    assert payload["validFrom"] == "2026-11-28T00:00:00+08:00"
    assert payload["validUntil"] == "2031-11-27T23:59:59+08:00"
    assert payload["credentialStatus"] == {"id": STATUS_URL, "type": "1EdTechRevocationList"}
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"]["narrative"]
    assert "國際教育專業知能認證（初階）" in achievement["name"]


def test_a_tampered_payload_is_rejected(credential, published_jwks):
    header, payload, signature = sign_credential(credential).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["licenseNumber"] = "IEA-2026-999999"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    with pytest.raises(CredentialInvalid):
        verify_credential(f"{header}.{forged}.{signature}", published_jwks)


def test_a_credential_signed_with_another_key_under_our_kid_is_rejected(credential, published_jwks):
    # The forger even puts their own public key in the header: only the published JWKS counts.
    forger = ec.generate_private_key(ec.SECP256R1())
    their_jwk = {
        name: value for name, value in public_jwk(forger.public_key()).items() if name in ("kty", "crv", "x", "y")
    }
    token = jwt.encode(
        {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"], "nbf": 1},
        forger,
        algorithm="ES256",
        headers={"kid": published_jwks["keys"][0]["kid"], "jwk": their_jwk},
    )

    with pytest.raises(CredentialInvalid):
        verify_credential(token, published_jwks)


def test_an_unsigned_alg_none_token_is_rejected(credential, published_jwks):
    token = jwt.encode({**credential, "iss": "x", "jti": "y", "nbf": 1}, None, algorithm="none")

    with pytest.raises(CredentialInvalid):
        verify_credential(token, published_jwks)


def test_an_unknown_key_id_is_rejected(credential):
    other = {"keys": [public_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())]}

    with pytest.raises(CredentialInvalid, match="published key"):
        verify_credential(sign_credential(credential), other)


def test_an_expired_credential_is_rejected(make_snapshot, published_jwks):
    expired = build_open_badge_credential(
        make_snapshot(issued_on=date(2015, 1, 1), valid_until=date(2020, 1, 1)),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        status_url=STATUS_URL,
    )

    with pytest.raises(CredentialInvalid, match="expired"):
        verify_credential(sign_credential(expired), published_jwks)


def test_a_credential_without_expiry_has_no_exp(make_snapshot, published_jwks):
    lifelong = build_open_badge_credential(
        make_snapshot(valid_until=None),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        status_url=STATUS_URL,
    )

    payload = verify_credential(sign_credential(lifelong), published_jwks)

    assert "exp" not in payload and "validUntil" not in payload


def test_a_subject_id_becomes_the_sub_claim(make_snapshot):
    credential = build_open_badge_credential(
        make_snapshot(),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        status_url=STATUS_URL,
        subject_id="did:example:teacher-42",
    )

    _header, payload = segments(sign_credential(credential))

    assert payload["sub"] == payload["credentialSubject"]["id"] == "did:example:teacher-42"


def test_the_issuer_profile_is_published_and_links_the_keys(client):
    response = client.get("/credentials/issuer")

    assert response.status_code == 200
    profile = response.json()
    assert profile["id"] == issuer_id() == "http://testserver/credentials/issuer"
    assert profile["type"] == ["Profile"]
    assert profile["publicKey"] == "http://testserver/credentials/jwks.json"


def test_the_kid_is_the_key_thumbprint_and_stable(published_jwks, client):
    (key,) = published_jwks["keys"]

    assert key["kty"] == "EC" and key["crv"] == "P-256" and key["alg"] == "ES256"
    assert "d" not in key
    assert client.get("/credentials/jwks.json").json() == published_jwks
