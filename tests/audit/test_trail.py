"""The audit trail: what a row holds, and that no ordinary path changes or deletes it."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import Action, AuditEntry, AuditEntryImmutable
from audit.recording import record
from tests.accounts.factories import UserFactory


def test_a_row_keeps_who_when_where_what_and_why(administrator, person, rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    request.user = administrator
    entry = record(
        Action.ROLE_CHANGED,
        actor=administrator,
        target=person,
        changes={"groups": [[], ["Trainers"]]},
        reason="新任講師",
        request=request,
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == administrator
    assert "admin@moe.example.tw" in entry.actor_label
    assert entry.ip_address == "203.0.113.7"
    assert entry.target_type.model_class() is type(person)
    assert entry.target_id == str(person.pk)
    assert entry.target_label == str(person)
    assert entry.changes == {"groups": [[], ["Trainers"]]}
    assert entry.reason == "新任講師"


def test_an_unknown_action_is_refused(administrator):
    before = AuditEntry.objects.count()
    with pytest.raises(ValueError):
        record("made_tea", actor=administrator)
    assert AuditEntry.objects.count() == before


def test_the_row_stays_readable_when_the_actor_is_deleted(administrator, person):
    actor = UserFactory(email="gone@moe.example.tw")
    entry = record(Action.MFA_RESET, actor=actor, target=person)
    actor.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_label.endswith("<gone@moe.example.tw>") or "gone@moe.example.tw" in entry.actor_label


def test_the_orm_refuses_to_change_or_delete_a_row(administrator, person):
    entry = record(Action.MFA_RESET, actor=administrator, target=person, reason="lost phone")
    entry.reason = "nothing happened"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    with pytest.raises(AuditEntryImmutable):
        entry.delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="nothing happened")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.bulk_update([entry], ["reason"])
    assert AuditEntry.objects.get(pk=entry.pk).reason == "lost phone"


def test_the_database_refuses_an_update_behind_the_orms_back(administrator, person):
    entry = record(Action.MFA_RESET, actor=administrator, target=person, reason="lost phone")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).reason == "lost phone"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's (see migration 0002)"
)
def test_postgresql_refuses_a_delete_behind_the_orms_back(administrator, person):
    entry = record(Action.MFA_RESET, actor=administrator, target=person)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_no_admin_url_edits_or_deletes_a_row():
    from django.urls import get_resolver

    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            else:
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    audit_names = [name for name in names if "audit" in name.lower()]
    assert sorted(audit_names) == ["audit:index", "audit:index_results"]


def test_the_admin_offers_no_way_to_change_a_row(client, administrator, person):
    entry = record(Action.MFA_RESET, actor=administrator, target=person, reason="lost phone")
    client.force_login(administrator)
    for method in (client.post, client.delete, client.put):
        response = method(reverse("audit:index"), {"reason": "forged", "id": entry.pk})
        assert response.status_code == 405
    assert AuditEntry.objects.get(pk=entry.pk).reason == "lost phone"


def test_the_listing_filters_and_searches(client, administrator, person):
    record(Action.MFA_RESET, actor=administrator, target=person, reason="lost phone")
    record(Action.DATA_EXPORTED, actor=administrator, target_label="learner-progress.xlsx")
    client.force_login(administrator)
    url = reverse("audit:index")
    page = client.get(url).content.decode()
    assert "lost phone" in page and "learner-progress.xlsx" in page
    page = client.get(url, {"action": Action.DATA_EXPORTED}).content.decode()
    assert "lost phone" not in page and "learner-progress.xlsx" in page
    page = client.get(url, {"q": "lost"}).content.decode()
    assert "lost phone" in page and "learner-progress.xlsx" not in page
    page = client.get(url, {"target": "teacher@school"}).content.decode()
    assert "lost phone" in page and "learner-progress.xlsx" not in page
    page = client.get(url, {"at_from": "2000-01-01", "at_to": "2000-01-02"}).content.decode()
    assert "lost phone" not in page


def test_the_csv_export_is_streamed_and_filtered(client, administrator, person):
    record(Action.MFA_RESET, actor=administrator, target=person, reason="lost phone", changes={"totp": [True, False]})
    record(Action.DATA_EXPORTED, actor=administrator, target_label="learner-progress.xlsx")
    client.force_login(administrator)
    response = client.get(reverse("audit:index"), {"export": "csv", "action": Action.MFA_RESET})
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert rows[1][-1] == "lost phone"
    assert "admin@moe.example.tw" in rows[1][1]


def test_staff_without_the_permission_are_turned_away(client, person):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    editor = UserFactory(email="editor@moe.example.tw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)
    response = client.get(reverse("audit:index"))
    assert response.status_code == 302
    editor.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    editor = type(editor).objects.get(pk=editor.pk)
    client.force_login(editor)
    assert client.get(reverse("audit:index")).status_code == 200


def test_django_s_own_paths_refuse_too(administrator, person):
    """The base manager (related lookups, cascades) and ``update_or_create`` are no way round the refusals."""
    entry = record(Action.MFA_RESET, actor=administrator, target=person, reason="lost phone")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry._base_manager.filter(pk=entry.pk).update(reason="forged")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry._base_manager.filter(pk=entry.pk).delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"reason": "forged"})
    assert AuditEntry.objects.get(pk=entry.pk).reason == "lost phone"


def test_deleting_the_person_acted_on_or_the_actor_keeps_the_row(administrator, person):
    actor = UserFactory(email="former-admin@moe.example.tw")
    entry = record(Action.ROLE_CHANGED, actor=actor, target=person, changes={"is_staff": [False, True]})
    person.delete()
    actor.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.target_label and "former-admin@moe.example.tw" in entry.actor_label
    assert entry.changes == {"is_staff": [False, True]}


def test_the_django_admin_has_no_page_for_the_trail(client, administrator, person):
    from django.contrib import admin
    from django.urls import NoReverseMatch

    entry = record(Action.MFA_RESET, actor=administrator, target=person, reason="lost phone")
    assert not admin.site.is_registered(AuditEntry)
    for name, args in (("changelist", []), ("change", [entry.pk]), ("delete", [entry.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:audit_auditentry_{name}", args=args)
    client.force_login(administrator)
    for path in (
        f"/django-admin/audit/auditentry/{entry.pk}/change/",
        f"/django-admin/audit/auditentry/{entry.pk}/delete/",
    ):
        response = client.post(path, {"reason": "forged", "post": "yes"}, follow=True)
        assert response.status_code == 404
    assert AuditEntry.objects.get(pk=entry.pk).reason == "lost phone"
