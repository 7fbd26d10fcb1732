"""The WSGI entry point warms a worker up and takes what it loaded out of the garbage collector's view (issue 17)."""

import gc
import importlib
import sys

import pytest
from django.urls import clear_url_caches, get_resolver


@pytest.fixture
def wsgi_module():
    gc.unfreeze()
    clear_url_caches()  # a fresh resolver, as a new worker has
    sys.modules.pop("lms.wsgi", None)
    yield importlib.import_module("lms.wsgi")
    gc.unfreeze()  # the rest of the test session collects as usual


def test_loading_the_application_freezes_what_was_loaded(wsgi_module):
    # Django, Wagtail and the models: well over 100,000 objects no full collection walks again.
    assert gc.get_freeze_count() > 100_000
    assert callable(wsgi_module.application)


def test_the_url_configuration_is_read_before_the_first_request(wsgi_module):
    assert get_resolver()._populated
