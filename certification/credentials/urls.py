"""Stable, language-independent URLs for machines: the trust root, the Open Badges issuer, its keys and status."""

from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("ca.pem", views.ca_certificate, name="ca_certificate"),
    path("issuer", views.credential_issuer, name="issuer"),
    path("jwks.json", views.credential_jwks, name="jwks"),
    path("status/<str:public_id>", views.certificate_status, name="status"),
    path("status-list/<int:number>", views.status_list, name="status_list"),
]
