import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

from certification.documents.pki import ensure_development_pki
from tests.antivirus import ClamdFailed, running_clamd
from tests.home.factories import HomePageFactory

TEST_PASSPHRASE = "correct horse battery staple"

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def refuse_unserialized_transactional_tests(items):
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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep together, on one pytest-xdist worker (`--dist loadgroup`), the tests that share something costly.

    - A browser test module's tests share the module's Chromium (and, for the education cloud, the OpenID provider
      the module starts): split across workers, each worker would start them again.
    - The PostgreSQL concurrency tests each open a dozen connections and start task workers: one at a time.

    Runs before pytest-xdist's own hook, which reads the markers.
    """
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group(f"browser-{item.module.__name__}"))
        elif item.module.__name__.endswith("_concurrency_postgres"):
            item.add_marker(pytest.mark.xdist_group("postgres-concurrency"))
    refuse_unserialized_transactional_tests(items)


@pytest.fixture(scope="session")
def session_pki(tmp_path_factory):
    """One development PKI per test process: an RSA-3072 CA takes a moment to generate.

    Defined here, once, so every module that signs shares it (`tests/certification/conftest.py` makes the
    certification tests use it; other modules import its `platform_pki`).
    """
    root = tmp_path_factory.mktemp("pki")
    with override_settings(CERTIFICATE_SIGNING_PASSPHRASE=TEST_PASSPHRASE):
        ensure_development_pki(root)
    return root


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """One clamd per test process (`tests/antivirus.py`), in a temporary folder of its own."""
    try:
        with running_clamd(tmp_path_factory.mktemp("clamd")) as sock:
            yield sock
    except ClamdFailed as error:
        pytest.fail(str(error))


@pytest.fixture
def scanning(settings, clamd_socket):
    """Uploads are scanned by the run's own clamd."""
    settings.CLAMD_SOCKET = clamd_socket
    return clamd_socket


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes media into its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (zh-Hant), whatever ran before it in this process.

    The active language is per thread and LocaleMiddleware does not reset it after a response: a test that requests
    an /en/ page would otherwise leave English active, and the next test's `reverse()` would give /en/ URLs. Which
    test comes next depends on how pytest-xdist hands out the tests.
    """
    translation.deactivate()
    yield
    translation.deactivate()


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
