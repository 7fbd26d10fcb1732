"""The content origin's SCORM URLs: the run-time frame and its package's files, each under a signed token."""

from django.urls import path

from . import views

app_name = "scorm_content"

urlpatterns = [
    path("<str:token>/", views.runtime_frame, name="frame"),
    path("<str:token>/files/<path:path>", views.package_file, name="file"),
]
