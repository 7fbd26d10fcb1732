"""One-click unsubscribe links (RFC 8058): a signed token naming a person and a kind, or every kind.

The token is the authority, so the link works without signing in and a mail provider can POST to it without a CSRF
token. It does not expire: a link in an old e-mail must still stop the e-mail.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"
EVERY_KIND = "*"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=False)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) from a genuine token, None from anything else."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]


def unsubscribe_url(user_id: int, kind: str) -> str:
    path = reverse("notifications_unsubscribe", args=[unsubscribe_token(user_id, kind)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def unsubscribe_headers(user_id: int, kind: str) -> dict:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
