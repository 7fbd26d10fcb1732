from django.urls import path

from . import views

app_name = "competencies"

urlpatterns = [
    path("", views.framework_index, name="index"),
    path("<slug:slug>/v<int:version>/", views.framework_detail, name="framework"),
    path("<slug:slug>/v<int:version>/<str:area>/", views.area_detail, name="area"),
    path("<slug:slug>/v<int:version>/<str:area>/<str:code>/", views.indicator_detail, name="indicator"),
]
