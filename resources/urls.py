from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", views.create_resource, name="create"),
    path("mine/", views.my_resources, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("authors/<int:user_id>/", views.author_resources, name="author"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_resource, name="edit"),
    path("<int:pk>/submit/", views.submit_resource, name="submit"),
    path("<int:pk>/review/", views.review_resource, name="review"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/preview.png", views.preview, name="preview"),
    path("<int:pk>/favourite/", views.toggle_favourite, name="favourite"),
]
