from django.urls import path

from . import views
from .h5p import views as h5p_views
from .scorm import views as scorm_views

app_name = "courses"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("courses/<int:course_id>/enrol/", views.enrol_view, name="enrol"),
    path("courses/<int:course_id>/unenrol/", views.unenrol_view, name="unenrol"),
    path("xapi/", views.xapi_view, name="xapi"),
    path("h5p/user-data/<int:module_id>-<int:package_id>/", h5p_views.content_user_data, name="h5p_user_data"),
    path("scorm/commit/", scorm_views.commit_view, name="scorm_commit"),
    path("trainer/<int:course_id>/scorm/", scorm_views.trainer_report, name="trainer_scorm"),
    path("trainer/<int:course_id>/scorm.csv", scorm_views.trainer_report_csv, name="trainer_scorm_csv"),
    path("trainer/", views.trainer_courses, name="trainer_courses"),
    path("trainer/<int:course_id>/", views.trainer_learners, name="trainer_learners"),
    path("trainer/<int:course_id>/learners.csv", views.trainer_learners_csv, name="trainer_learners_csv"),
    path("sessions/<int:session_id>/register/", views.register_view, name="register"),
    path("sessions/<int:session_id>/cancel/", views.cancel_registration_view, name="cancel_registration"),
    path("sessions/<int:session_id>/attendance/", views.session_attendance, name="session_attendance"),
    path("check-in/", views.check_in_view, name="check_in"),
]
