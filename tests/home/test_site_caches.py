"""The caches behind every page (routes, settings, menu, language links, breadcrumbs, anonymous pages) never show a
stale answer after an edit, and never give one reader's page to another."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from core.menu import ADMIN_ACCESS_GENERATION_KEY, menu_generation
from home.models import OrganisationSettings
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    EnrolmentFactory,
    ModulePageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), title="跨文化溝通")
    ModulePageFactory(parent=course, title="第一單元")
    return course


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context)


def test_anonymous_course_page_is_served_from_the_cache(client, course):
    first = get(client, course.url)
    assert count_queries(client, course.url) <= 2  # the page itself, nothing of its content
    assert get(client, course.url) == first
    response = client.get(course.url)
    assert "Cookie" in response["Vary"]
    assert "csrfmiddlewaretoken" not in first


def test_signed_in_learner_never_gets_the_anonymous_copy_nor_the_reverse(client, course):
    anonymous = get(client, course.url)
    learner = UserFactory()
    EnrolmentFactory(user=learner, course=course)
    client.force_login(learner)
    own = get(client, course.url)
    assert own != anonymous
    assert "csrfmiddlewaretoken" in own  # the leave-course and log-out forms
    client.logout()
    client.cookies.clear()
    again = get(client, course.url)
    assert "csrfmiddlewaretoken" not in again
    assert learner.email not in again and "courses/enrol" not in again.replace("unenrol", "")


def test_publishing_the_course_shows_the_new_title_to_anonymous_visitors(client, course):
    assert "跨文化溝通" in get(client, course.url)
    course.title = "跨文化溝通與合作"
    course.save_revision().publish()
    assert "跨文化溝通與合作" in get(client, course.url)


def test_publishing_retires_at_its_commit_the_pages_read_before_it(client, course, django_capture_on_commit_callbacks):
    """An anonymous request between the publication and its commit reads the old page and keeps it under the
    generation it saw then: the commit must start another generation, or the old page would be served on."""
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "跨文化溝通與合作"
        course.save_revision().publish()
        seen_before_commit = menu_generation()

    assert menu_generation() != seen_before_commit
    assert "跨文化溝通與合作" in get(client, course.url)


def test_a_permission_change_retires_at_its_commit_the_answers_read_before_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.create(name="Reviewers")
        seen_before_commit = cache.get(ADMIN_ACCESS_GENERATION_KEY)

    assert cache.get(ADMIN_ACCESS_GENERATION_KEY) not in (None, seen_before_commit)


def test_a_published_module_appears_on_the_cached_course_page(client, course):
    get(client, course.url)
    module = ModulePageFactory(parent=course, title="新的單元", live=False)
    module.save_revision().publish()
    assert "新的單元" in get(client, course.url)


def test_unpublished_page_is_gone_at_once(client, course):
    url = course.url
    get(client, url)
    course.unpublish()
    assert client.get(url).status_code == 404


def test_renaming_a_trainer_shows_on_the_course_page(client, course):
    trainer = UserFactory(first_name="", last_name="")
    course.trainers.add(trainer)
    course.save_revision().publish()
    assert trainer.email in get(client, course.url)
    trainer.first_name, trainer.last_name = "美玲", "林"
    trainer.save()
    body = get(client, course.url)
    assert trainer.get_full_name() in body and trainer.email not in body


def test_editing_the_organisation_settings_shows_on_the_next_request(client, course, home_page):
    get(client, course.url)
    settings = OrganisationSettings.objects.get(site__root_page=home_page)
    settings.name_zh = "新的認證中心名稱"
    settings.save()
    assert "新的認證中心名稱" in get(client, course.url)


def test_a_view_restriction_applies_to_a_cached_page_at_once(client, course):
    get(client, course.url)
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(course.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_language_link_follows_publishing_and_unpublishing_a_translation(client, course, locales):
    assert "/intercultural-communication/" not in get(client, course.url)
    translation = course.copy_for_translation(locales["en"], copy_parents=True)
    translation.slug = "intercultural-communication"
    translation.save_revision().publish()
    translation.refresh_from_db()
    link = f'<a href="{translation.url}" lang="en" hreflang="en"'
    assert link in get(client, course.url)
    translation.unpublish()
    assert link not in get(client, course.url)


def test_messages_and_query_strings_are_never_answered_from_the_cache(client, course):
    get(client, course.url)
    request = RequestFactory().get(course.url)
    storage = CookieStorage(request)
    cookie = storage._encode([Message(constants.SUCCESS, "已報名課程")])
    client.cookies["messages"] = cookie
    assert "已報名課程" in get(client, course.url)
    del client.cookies["messages"]
    assert count_queries(client, course.url + "?utm_source=line") > 2


def test_unknown_paths_are_not_cached(client, course):
    for _attempt in range(2):
        assert client.get(course.url + "no-such-page/").status_code == 404


def test_user_bar_follows_admin_access_without_asking_on_every_page(client, course):
    from django.contrib.auth.models import Group, Permission

    editors = Group.objects.create(name="課程編輯")
    editors.permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    learner = UserFactory()
    client.force_login(learner)
    assert "wagtail-userbar" not in get(client, course.url)
    with CaptureQueriesContext(connection) as context:
        get(client, course.url)
    assert not [query for query in context.captured_queries if "auth_permission" in query["sql"]]
    learner.groups.add(editors)
    assert "wagtail-userbar" in get(client, course.url)
    learner.groups.remove(editors)
    assert "wagtail-userbar" not in get(client, course.url)
