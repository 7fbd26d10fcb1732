from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("mfa-required/", views.mfa_required, name="mfa_required"),
    path("mfa-confirm/<str:key>/", views.confirm_authenticator, name="confirm_authenticator"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("privacy/consent/", views.consent, name="consent"),
]
