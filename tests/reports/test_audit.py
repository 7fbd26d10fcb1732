"""Report exports go into the audit trail, CSV and Excel alike, with their filters."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEntry

from .conftest import FIRST_QUARTER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_report_export_writes_its_row(client, world, file_format):
    client.force_login(world.administrator)
    url = reverse("reports:export", args=["hours-per-teacher", file_format])
    response = client.post(url, FIRST_QUARTER) if file_format == "xlsx" else client.get(url, FIRST_QUARTER)
    assert response.status_code in {200, 302}
    entry = AuditEntry.objects.get(action=Action.DATA_EXPORTED)
    assert entry.actor == world.administrator and entry.ip_address == "127.0.0.1"
    assert entry.changes["report"] == "hours-per-teacher" and entry.changes["format"] == file_format
    assert entry.changes["filters"]["date_from"] == FIRST_QUARTER["date_from"]


def test_a_refused_export_writes_nothing(client, world):
    client.force_login(world.trainer)
    client.get(reverse("reports:export", args=["certificate-registry", "csv"]), FIRST_QUARTER)
    assert not AuditEntry.objects.filter(action=Action.DATA_EXPORTED).exists()
