"""The identifiers a certificate carries: an unguessable public id, a typable verification code and its serial.

The public id (128 random bits, 32 hex characters) goes into URLs and the QR code. The verification code is what
a person types: 13 Crockford base32 characters (65 random bits) shown as ``XXXX-XXXX-XXXX-X``. Crockford's
alphabet has no I, L, O or U, and reading accepts the look-alikes (I and L for 1, O for 0), lower case, spaces and
dashes, so a code read aloud or copied from paper still matches.
"""

import re
import secrets

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VERIFICATION_CODE_LENGTH = 13
PUBLIC_ID_BYTES = 16
SERIAL_PREFIX = "IEA"

_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.]+")
_PUBLIC_ID = re.compile(r"^[0-9a-f]{32}$")


def new_public_id() -> str:
    return secrets.token_hex(PUBLIC_ID_BYTES)


def new_verification_code() -> str:
    """65 random bits as 13 Crockford base32 characters (stored without separators), drawn at once: the national
    seeding makes hundreds of thousands."""
    bits = secrets.randbits(5 * VERIFICATION_CODE_LENGTH)
    return "".join(CROCKFORD_ALPHABET[(bits >> (5 * index)) & 31] for index in range(VERIFICATION_CODE_LENGTH))


def format_verification_code(code: str) -> str:
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


def normalise_verification_code(text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one (the caller answers "unknown" either way)."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = _SEPARATORS.sub("", text).upper().translate(_LOOK_ALIKES)
    if len(code) != VERIFICATION_CODE_LENGTH or any(char not in CROCKFORD_ALPHABET for char in code):
        return None
    return code


def is_public_id(text: str) -> bool:
    return bool(_PUBLIC_ID.match(text or ""))


def format_serial(year: int, number: int) -> str:
    return f"{SERIAL_PREFIX}-{year}-{number:06d}"
