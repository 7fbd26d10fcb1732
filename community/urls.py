from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("<int:page_id>/join/", views.join, name="join"),
    path("<int:page_id>/leave/", views.leave, name="leave"),
    path("<int:page_id>/manage/", views.manage_community, name="manage"),
    path("sessions/<int:session_id>/edit/", views.edit_session, name="edit_session"),
    path("sessions/<int:session_id>/attendance/", views.session_attendance, name="session_attendance"),
    path("experts/opt-in/", views.expert_opt_in, name="expert_opt_in"),
    path("experts/<int:expert_id>/contact/", views.contact_expert, name="contact_expert"),
]
