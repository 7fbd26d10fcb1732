"""Revocation published as a W3C Bitstring Status List (Recommendation, 2025), which any verifier reads without
knowing anything of ours.

Each certificate has a place in a list by its row id: list ``pk // STATUS_LIST_BITS``, index
``pk % STATUS_LIST_BITS``. Its credential's ``credentialStatus`` is a ``BitstringStatusListEntry`` naming that
place and the list's URL; the list is a ``BitstringStatusListCredential`` signed as a VC-JWT with the credentials
key, whose ``encodedList`` is the bitstring (bit 1 = revoked; index 0 is the left-most bit of the first byte),
GZIP-compressed and multibase base64url-encoded without padding (the leading ``u``). A list holds 131,072 places
(16 KB uncompressed), the Recommendation's minimum, so a list says nothing about which credential a verifier is
checking.
"""

import base64
import gzip

from django.urls import reverse
from django.utils import timezone

from ..models import Certificate
from .open_badges import VC_CONTEXT, canonical_url, issuer_id, sign_credential

STATUS_LIST_BITS = 131_072
STATUS_PURPOSE = "revocation"


def status_list_place(certificate: Certificate) -> tuple[int, int]:
    """(list number, index in the list) of a certificate's status bit."""
    return divmod(certificate.pk, STATUS_LIST_BITS)


def status_list_url(number: int) -> str:
    return canonical_url(reverse("credentials:status_list", args=[number]))


def credential_status_entry(certificate: Certificate) -> dict:
    """The credential's ``credentialStatus``: where its revocation bit is."""
    number, index = status_list_place(certificate)
    url = status_list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def encoded_list(set_bits) -> str:
    """The ``encodedList`` of a bitstring of :data:`STATUS_LIST_BITS` bits with ``set_bits`` set."""
    bits = bytearray(STATUS_LIST_BITS // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits give the same bytes, so an unchanged list is byte for byte the same document.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def status_list_exists(number: int) -> bool:
    last = Certificate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return 0 <= number <= last // STATUS_LIST_BITS


def status_list_credential(number: int) -> dict:
    """List ``number`` as a ``BitstringStatusListCredential``, with the revocations the registry holds now."""
    first = number * STATUS_LIST_BITS
    revoked = Certificate.objects.filter(
        status=Certificate.Status.REVOKED, pk__gte=first, pk__lt=first + STATUS_LIST_BITS
    ).values_list("pk", flat=True)
    url = status_list_url(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"]},
        "validFrom": timezone.now().replace(microsecond=0).isoformat(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encoded_list(pk - first for pk in revoked),
        },
    }


def signed_status_list(number: int) -> str:
    return sign_credential(status_list_credential(number))
