from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.personal_data, name="personal_data"),
    path("export/", views.ask_for_export, name="ask_for_export"),
    path("download/<str:token>/", views.download_export, name="download_export"),
    path("delete/", views.delete_account, name="delete_account"),
    path("delete/confirm/<str:token>/", views.confirm_deletion, name="confirm_deletion"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
