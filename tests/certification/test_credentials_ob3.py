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
from tests.certification.ob3_schema import schema_errors

CREDENTIAL_ID = "http://testserver/zh-hant/verify/0f1e2d3c4b5a69788796a5b4c3d2e1f0"
STATUS_LIST_URL = "http://testserver/credentials/status-list/0"
STATUS = {
    "id": f"{STATUS_LIST_URL}#123",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "123",
    "statusListCredential": STATUS_LIST_URL,
}


@pytest.fixture
def credential(make_snapshot):
    return build_open_badge_credential(
        make_snapshot(),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        credential_status=STATUS,
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
    assert payload["credentialStatus"] == STATUS
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
        credential_status=STATUS,
    )

    with pytest.raises(CredentialInvalid, match="expired"):
        verify_credential(sign_credential(expired), published_jwks)


def test_a_credential_without_expiry_has_no_exp(make_snapshot, published_jwks):
    lifelong = build_open_badge_credential(
        make_snapshot(valid_until=None),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        credential_status=STATUS,
    )

    payload = verify_credential(sign_credential(lifelong), published_jwks)

    assert "exp" not in payload and "validUntil" not in payload


def test_a_subject_id_becomes_the_sub_claim(make_snapshot):
    credential = build_open_badge_credential(
        make_snapshot(),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        credential_status=STATUS,
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


ALIGNMENTS = (
    (
        "中小學國際教育能力指標 v1",
        "Competency indicators for international education v1",
        "NI-E1",
        "認識我國的文化特色，表達對本土文化的了解與喜愛。",
        "Recognise the features of Taiwan's culture and show understanding of it.",
        "http://testserver/zh-hant/competencies/ie-competencies/v1/NI/NI-E1/",
    ),
    (
        "中小學國際教育能力指標 v1",
        "Competency indicators for international education v1",
        "GR-U2",
        "以世界公民的責任參與國際志工或全球行動。",
        "Take part in international volunteering or global action as a responsible world citizen.",
        "http://testserver/zh-hant/competencies/ie-competencies/v1/GR/GR-U2/",
    ),
)


def test_the_credential_validates_against_the_1edtech_achievement_credential_schema(credential):
    assert schema_errors(credential) == []


def test_a_credential_with_alignments_validates_and_lists_each_indicator(make_snapshot, published_jwks):
    credential = build_open_badge_credential(
        make_snapshot(alignments=ALIGNMENTS),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        credential_status=STATUS,
    )

    assert schema_errors(credential) == []
    payload = verify_credential(sign_credential(credential), published_jwks)
    alignment = payload["credentialSubject"]["achievement"]["alignment"]
    assert [entry["targetCode"] for entry in alignment] == ["NI-E1", "GR-U2"]
    assert alignment[0] == {
        "type": ["Alignment"],
        "targetType": "ceasn:Competency",
        "targetFramework": "中小學國際教育能力指標 v1 / Competency indicators for international education v1",
        "targetCode": "NI-E1",
        "targetName": (
            "認識我國的文化特色，表達對本土文化的了解與喜愛。 / "
            "Recognise the features of Taiwan's culture and show understanding of it."
        ),
        "targetUrl": "http://testserver/zh-hant/competencies/ie-competencies/v1/NI/NI-E1/",
    }


def test_the_schema_check_catches_a_broken_alignment(make_snapshot):
    """The validator is not a rubber stamp: an alignment without its target URL or with a made-up type fails."""
    credential = build_open_badge_credential(
        make_snapshot(alignments=ALIGNMENTS[:1]),
        credential_id=CREDENTIAL_ID,
        achievement_id="http://testserver/zh-hant/programmes/beginner/",
        credential_status=STATUS,
    )
    alignment = credential["credentialSubject"]["achievement"]["alignment"][0]
    del alignment["targetUrl"]
    alignment["targetType"] = "Competency"

    errors = schema_errors(credential)

    assert any("targetUrl" in error for error in errors)
    assert any("targetType" in error for error in errors)


def test_a_credential_without_alignments_has_no_alignment_member(credential):
    assert "alignment" not in credential["credentialSubject"]["achievement"]
