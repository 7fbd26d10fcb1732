from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("modules/<int:module_id>/quizzes/<int:quiz_id>/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/save/", views.save, name="save"),
    path("attempts/<int:attempt_id>/review/", views.review, name="review"),
]
