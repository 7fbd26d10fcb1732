"""Revocation in the W3C Bitstring Status List: the demo's revoked certificate reads revoked and its valid
successor valid, decoded from the signed list exactly as a verifier would; the credential still validates
against the 1EdTech schema."""

import base64
import gzip
import io

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from certification import demo
from certification.credentials.certificates import open_badge_jwt
from certification.credentials.open_badges import verify_credential
from certification.credentials.status_list import STATUS_LIST_BITS, encoded_list
from certification.models import Certificate
from tests.certification.ob3_schema import schema_errors
from tests.certification.status_list_reader import status_bit

pytestmark = pytest.mark.django_db


def test_the_demos_revoked_certificate_reads_revoked_and_the_valid_one_valid(
    client, home_page, django_capture_on_commit_callbacks
):
    accounts_demo.load(io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(io.StringIO())
    certificates = Certificate.objects.filter(user__email=accounts_demo.TEACHER_EMAIL)
    valid, revoked = certificates.get(status="issued"), certificates.get(status="revoked")
    jwks = client.get(reverse("credentials:jwks")).json()
    client.force_login(valid.user)
    downloaded = client.get(reverse("certification:certificate_credential", args=[valid.public_id]))
    # The revoked one's credential is the one its holder downloaded before the revocation: the same code made it.
    tokens = {valid: downloaded.content.decode(), revoked: open_badge_jwt(revoked)}
    bits = {}
    for certificate, token in tokens.items():
        payload = verify_credential(token, jwks)
        credential = {
            name: value for name, value in payload.items() if name not in ("iss", "jti", "nbf", "exp", "sub")
        }
        assert schema_errors(credential) == []
        bits[certificate.serial] = status_bit(client, jwks, payload["credentialStatus"])
    assert bits == {valid.serial: 0, revoked.serial: 1}


def test_the_bitstring_is_left_to_right_gzip_and_base64url_without_padding():
    encoded = encoded_list([0, 9, STATUS_LIST_BITS - 1])
    assert encoded.startswith("u") and "=" not in encoded
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) == 16 * 1024
    assert (bits[0], bits[1], bits[-1]) == (0x80, 0x40, 0x01) and sum(bits) == 0x80 + 0x40 + 0x01
    assert encoded_list([]) == encoded_list([])  # the same list gives the same bytes


def test_a_list_beyond_the_registry_is_not_found(client, certificate, home_page):
    url = reverse("credentials:status_list", args=[certificate.pk // STATUS_LIST_BITS + 1])
    assert client.get(url, follow=True).status_code == 404
