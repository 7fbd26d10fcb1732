import pytest
from django.core.cache import cache
from wagtail.models import Locale, Page, Site

from tests.home.factories import HomePageFactory

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def pytest_collection_modifyitems(items):
    """Refuse a transactional test without serialized rollback, whatever order the tests run in.

    A transactional test ends with a flush. Without serialized rollback the flush sends post_migrate, which
    recreates content types, permissions and the staff groups (`lms.roles`) under new ids (PostgreSQL does not
    reset its sequences); the next serialized-rollback test then reinserts the migrated rows under their old ids
    and hits the unique names. With serialized rollback everywhere every flush leaves an empty database and every
    transactional test starts by restoring the migrated rows.
    """
    unserialized = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        options = marker.kwargs if marker else {}
        transactional = options.get("transaction") or TRANSACTIONAL_FIXTURES & set(item.fixturenames)
        serialized = options.get("serialized_rollback") or "django_db_serialized_rollback" in item.fixturenames
        if transactional and not serialized:
            unserialized.append(item.nodeid)
    if unserialized:
        raise pytest.UsageError(
            "transactional tests need serialized_rollback=True (see tests/conftest.py): " + ", ".join(unserialized)
        )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes media into its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached pages live in the cache: no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def locales(db):
    zh, _ = Locale.objects.get_or_create(language_code="zh-hant")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return {"zh-hant": zh, "en": en}


@pytest.fixture
def home_page(locales):
    """A zh-Hant home page that is the default site's root, as in the demo site."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, locale=locales["zh-hant"])
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80, "site_name": "IE"}
    )
    return home
