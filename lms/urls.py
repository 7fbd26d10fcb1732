from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from notifications.views import unsubscribe

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("credentials/", include("certification.credentials.urls")),
    path("transparency/", include("certification.transparency.urls")),
    # Outside the language prefix: a one-click unsubscribe is a POST, which a redirect to /zh-hant/… would lose.
    path("notifications/unsubscribe/<str:token>/", unsubscribe, name="notifications_unsubscribe"),
    # Package code runs here, on the content origin in production (CONTENT_ORIGIN): see courses.h5p.player.
    path("h5p-content/", include("courses.h5p.urls")),
    path("scorm-content/", include("courses.scorm.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Everything people read carries its language in the URL: /zh-hant/… and /en/….
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/my-data/", include("privacy.urls")),
    path("learning/", include("courses.urls")),
    path("learning/", include("assessments.urls")),
    path("community/", include("community.urls")),
    path("notifications/", include("notifications.urls")),
    path("discussions/", include("discussions.urls")),
    path("feedback/", include("feedback.urls")),
    path("resources/", include("resources.urls")),
    path("competencies/", include("competencies.urls")),
    path("search/", include("search.urls")),
    path("", include("certification.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
