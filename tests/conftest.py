import pytest
from django.core.cache import cache
from wagtail.models import Locale, Page, Site

from tests.home.factories import HomePageFactory


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
