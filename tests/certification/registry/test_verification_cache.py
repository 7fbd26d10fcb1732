"""The QR code's verification page is kept whole for anonymous readers, and never outlives what it says."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.registry.issuing import revoke_certificate
from home.models import OrganisationSettings
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_of(client, certificate, language="zh-hant"):
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"/{language}/verify/{certificate.public_id}")
    return response, len(context)


def test_second_reading_makes_no_query(client, certificate, home_page):
    first, _queries = page_of(client, certificate)
    again, queries = page_of(client, certificate)
    assert queries == 0
    assert again.content == first.content and certificate.serial in again.content.decode()
    assert "Cookie" in again["Vary"] and "no-store" in again["Cache-Control"]


def test_each_language_has_its_own_copy(client, certificate, home_page):
    chinese, _queries = page_of(client, certificate)
    english, _queries = page_of(client, certificate, "en")
    assert chinese.content != english.content
    assert 'lang="en"' in english.content.decode()[:200]


def test_revocation_shows_at_once(client, certificate, home_page, django_capture_on_commit_callbacks):
    page_of(client, certificate)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(certificate, reason="Issued in error", by=UserFactory())
    response, _queries = page_of(client, certificate)
    body = response.content.decode()
    assert "verification-revoked" in body and "Issued in error" in body


def test_settings_edit_shows_at_once(client, certificate, home_page):
    page_of(client, certificate)
    settings = OrganisationSettings.objects.get(site__root_page=home_page)
    settings.name_zh = "教育部國際教育認證辦公室"
    settings.save()
    response, _queries = page_of(client, certificate)
    assert "教育部國際教育認證辦公室" in response.content.decode()


def test_signed_in_reader_gets_their_own_page(client, certificate, home_page):
    anonymous, _queries = page_of(client, certificate)
    client.force_login(certificate.user)
    own, _queries = page_of(client, certificate)
    assert own.content != anonymous.content
    assert "csrfmiddlewaretoken" in own.content.decode() and "csrfmiddlewaretoken" not in anonymous.content.decode()


def test_the_rate_limit_still_counts_cached_answers(client, certificate, home_page, settings):
    settings.VERIFY_LOOKUPS_PER_MINUTE = 3
    statuses = [client.get(reverse("certification:verify_certificate", args=[certificate.public_id])).status_code]
    statuses += [page_of(client, certificate)[0].status_code for _attempt in range(5)]
    assert 429 in statuses


def test_unknown_public_ids_are_not_cached(client, certificate, home_page):
    url = f"/zh-hant/verify/{certificate.public_id[:-1]}X"
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 404
        assert len(context) >= 1
