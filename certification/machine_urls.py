"""Stable, language-independent URLs for machines: the trust root, the Open Badges issuer, its keys and status."""

from django.urls import path  # noqa: F401

app_name = "credentials"

urlpatterns = []
