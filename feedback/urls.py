from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.surveys, name="surveys"),
    path("<int:survey_id>/", views.answer, name="answer"),
    path("<int:survey_id>/results/", views.results, name="results"),
    path("<int:survey_id>/results.csv", views.export, {"extension": "csv"}, name="export_csv"),
    path("<int:survey_id>/results.xlsx", views.export, {"extension": "xlsx"}, name="export_xlsx"),
]
