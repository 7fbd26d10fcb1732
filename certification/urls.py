"""People's pages of certification, mounted at the root of each language prefix (/zh-hant/…, /en/…)."""

from django.urls import path

from .verification import views as verification
from .views import name_correction, programmes, teacher

app_name = "certification"

urlpatterns = [
    path("verify/", verification.verify, name="verify"),
    path("verify/pdf/", verification.verify_pdf, name="verify_pdf"),
    path("verify/<str:public_id>", verification.verify_certificate, name="verify_certificate"),
    path("certificates/", teacher.my_certificates, name="my_certificates"),
    path("certificates/name-correction/", name_correction.name_correction, name="name_correction"),
    path("certificates/<str:public_id>/pdf", teacher.certificate_pdf, name="certificate_pdf"),
    path("certificates/<str:public_id>/credential", teacher.certificate_credential, name="certificate_credential"),
    path("certificates/<str:public_id>/renew", teacher.renew, name="renew"),
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme_detail"),
]
