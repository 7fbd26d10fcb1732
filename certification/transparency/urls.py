"""Stable, language-independent URLs of the transparency log (mounted at /transparency/)."""

from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [
    path("sth", views.signed_tree_head, name="sth"),
    path("entries", views.entries, name="entries"),
    path("consistency", views.consistency, name="consistency"),
    path("proof/<str:public_id>", views.inclusion, name="inclusion"),
]
