"""The education cloud's OpenID Connect application for allauth, built from settings (``OIDC_*``).

allauth's ``openid_connect`` provider does the protocol: discovery from ``<issuer>/.well-known/openid-configuration``,
the authorization code flow with PKCE, the state check, the token exchange and the ID token's checks (issuer,
audience, expiry; its signature against the provider's JWKS when the token did not come straight from the token
endpoint over TLS, as OpenID Connect Core 3.1.3.7 allows).
"""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _


def education_cloud_app(provider_id, issuer, client_id, secret, scopes, display_name=""):
    return {
        "provider_id": provider_id,
        "name": display_name or _("Education Cloud"),
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": issuer,
            "scope": list(scopes),
            "oauth_pkce_enabled": True,
            # Only this provider's verified addresses sign in to an existing account (allauth checks verified).
            "email_authentication": True,
        },
    }


def origin_of(url):
    """scheme://host[:port] of the issuer: what the sign-in form's redirect must be allowed to reach (CSP)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
