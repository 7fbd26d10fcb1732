"""After an account is deleted, the public transparency log still verifies against the registry, over HTTP, as a
third party audits it: the certificate's row still matches its logged entry."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from certification.models import Certificate
from certification.registry.issuing import issue_and_complete
from privacy.deletion import confirmation_token
from tests.certification.conftest import platform_pki  # noqa: F401 (fixtures)
from tests.certification.factories import ProgrammeFactory, TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_log_still_verifies_after_the_holder_is_deleted(live_server, client, tmp_path):
    programme = ProgrammeFactory(validity_years=3)
    holder, other = TeacherFactory(email="holder@school.example.tw"), TeacherFactory()
    kept = issue_and_complete(holder, programme, origin=Certificate.Origin.MANUAL)
    issue_and_complete(other, programme, origin=Certificate.Origin.MANUAL)
    state = tmp_path / "state.json"
    out = StringIO()
    call_command("verify_transparency_log", url=live_server.url, state=str(state), stdout=out)
    assert "2 certificates checked: consistent" in out.getvalue()

    client.force_login(holder)
    response = client.post(
        reverse("privacy:confirm_deletion", args=[confirmation_token(holder)]), {"confirm": "delete"}
    )
    assert response.status_code == 302 and User.objects.get(pk=holder.pk).is_erased

    out = StringIO()
    call_command("verify_transparency_log", url=live_server.url, state=str(state), stdout=out)
    assert "2 certificates checked: consistent" in out.getvalue()
    assert Certificate.objects.get(pk=kept.pk).serial == kept.serial
