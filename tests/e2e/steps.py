"""Steps people take in the browser, shared by the journeys, and what they read on the way."""

import hashlib
import hmac
import re
import struct
import time
from base64 import b32decode

from django.utils import translation


def text(msgid, language="zh-hant"):
    """What the site says for msgid in that language, from the project's (and allauth's) compiled catalogues.

    Journeys find fields and buttons by the words a person reads, without copying the catalogue into the tests.
    """
    with translation.override(language):
        # A lazy string (a model's verbose name) translates itself when it is turned into a str.
        return translation.gettext(msgid) if isinstance(msgid, str) else str(msgid)


def label(msgid, language="zh-hant"):
    """A form field's label as Django prints it: the verbose name, translated, with a capital first letter."""
    words = text(msgid, language)
    return words[:1].upper() + words[1:]


def field(page, words):
    """The form field labelled exactly `words`, allowing for the required-field star after them."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(words)}\s*\*?\s*$"))


def totp(secret, at=None):
    """The six-digit code an authenticator app shows now for a base32 secret (RFC 6238, 30 s, SHA-1)."""
    key = b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def sign_in(page, email, password, language="zh-hant"):
    """Through the sign-in form, as a person would."""
    page.goto(f"/{language}/accounts/login/")
    field(page, text("Email", language)).fill(email)
    field(page, text("Password", language)).fill(password)
    page.locator("main form").get_by_role("button", name=text("Sign In", language)).click()
    page.wait_for_load_state()


def code_with_time_to_use(secret):
    """The authenticator's code now, or in the next window if this one ends within 8 seconds: a code read in a
    window's last seconds may reach the server in the next window, which refuses it (no tolerance)."""
    into_window = time.time() % 30
    if into_window > 22:
        time.sleep(30.2 - into_window)
    return totp(secret)


def sign_in_with_two_factors(page, email, password, secret, language="zh-hant"):
    """Through the sign-in form and then the authenticator code, as a privileged person would."""
    sign_in(page, email, password, language)
    field(page, text("Code", language)).fill(code_with_time_to_use(secret))
    page.locator("main form").get_by_role("button", name=text("Sign In", language)).click()
    page.wait_for_url(lambda url: "/2fa/" not in url)
