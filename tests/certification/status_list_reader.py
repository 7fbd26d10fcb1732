"""Reading a W3C Bitstring Status List as a third-party verifier does: nothing of ours but the published URLs."""

import base64
import gzip

import jwt


def status_bit(client, jwks: dict, credential_status: dict) -> int:
    """Fetch the list ``credential_status`` names, check its signature with the JWKS, return the credential's bit."""
    assert credential_status["type"] == "BitstringStatusListEntry"
    assert credential_status["statusPurpose"] == "revocation"
    response = client.get(credential_status["statusListCredential"].split("testserver", 1)[1])
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(jwk for jwk in jwks["keys"] if jwk["kid"] == kid)
    status_list = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["ES256"], options={"verify_aud": False})
    assert "BitstringStatusListCredential" in status_list["type"]
    assert status_list["id"] == credential_status["statusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")  # multibase base64url, no padding
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) >= 16 * 1024  # the Recommendation's minimum, for group privacy
    index = int(credential_status["statusListIndex"])
    return (bits[index // 8] >> (7 - index % 8)) & 1
