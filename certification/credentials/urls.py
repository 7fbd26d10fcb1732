"""Stable, language-independent URLs for machines: the trust root, the Open Badges issuer, its keys and status."""

from django.urls import path

from .views import status, trust

app_name = "credentials"

urlpatterns = [
    path("ca.pem", trust.ca_certificate, name="ca_certificate"),
    path("issuer", trust.credential_issuer, name="issuer"),
    path("jwks.json", trust.credential_jwks, name="jwks"),
    path("status/<str:public_id>", status.certificate_status, name="status"),
]
