"""The content origin's URLs: a player frame and its package's files, each under a signed token.

Outside the language prefixes, since the frame is the same document in every language; see ``courses.h5p.access``.
"""

from django.urls import path

from . import views

app_name = "h5p_content"

urlpatterns = [
    path("<str:token>/", views.player_frame, name="frame"),
    path("<str:token>/files/<path:path>", views.package_file, name="file"),
]
