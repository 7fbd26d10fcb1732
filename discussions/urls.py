from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("pages/<int:page_id>/", views.board, name="board"),
    path("boards/<int:board_id>/follow/", views.follow_board, name="follow_board"),
    path("threads/<int:thread_id>/", views.thread, name="thread"),
    path("threads/<int:thread_id>/follow/", views.follow_thread, name="follow_thread"),
    path("threads/<int:thread_id>/moderate/", views.moderate_thread, name="moderate_thread"),
    path("posts/<int:post_id>/edit/", views.edit_post, name="edit_post"),
    path("posts/<int:post_id>/delete/", views.delete_post, name="delete_post"),
    path("posts/<int:post_id>/hide/", views.hide_post, name="hide_post"),
    path("posts/<int:post_id>/report/", views.report_post, name="report_post"),
    path("posts/<int:post_id>/answer/", views.mark_answer, name="mark_answer"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
