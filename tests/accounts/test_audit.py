"""Role, permission and two-factor changes reach the audit trail whichever screen or shell makes them."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.http import HttpResponse
from django.urls import reverse

from audit.context import AuditContextMiddleware
from audit.models import Action, AuditEntry
from lms.roles import CERTIFICATION_ADMINISTRATORS, TRAINERS

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    user = UserFactory(email="root@moe.example.tw", is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def test_group_membership_from_either_side(superuser):
    person = UserFactory(email="new-trainer@school.example.tw")
    trainers = Group.objects.get(name=TRAINERS)
    person.groups.add(trainers)
    entry = AuditEntry.objects.get(action=Action.ROLE_CHANGED, target_id=str(person.pk))
    assert entry.changes == {"groups": {"added": [TRAINERS]}}
    assert entry.actor is None  # outside a request: the platform (a command, the shell)
    Group.objects.get(name=CERTIFICATION_ADMINISTRATORS).user_set.add(person)
    person.groups.remove(trainers)
    changes = [e.changes for e in AuditEntry.objects.filter(action=Action.ROLE_CHANGED, target_id=str(person.pk))]
    assert {"groups": {"added": [CERTIFICATION_ADMINISTRATORS]}} in changes
    assert {"groups": {"removed": [TRAINERS]}} in changes


def test_flags_and_direct_permissions(superuser):
    person = UserFactory(email="editor@school.example.tw")
    person.last_login = None
    person.save()  # nothing privileged changed
    assert not AuditEntry.objects.filter(target_id=str(person.pk), action=Action.ROLE_CHANGED).exists()
    person.is_staff = True
    person.save()
    entry = AuditEntry.objects.get(action=Action.ROLE_CHANGED, target_id=str(person.pk))
    assert entry.changes == {"is_staff": [False, True]}
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    entry = AuditEntry.objects.get(action=Action.PERMISSIONS_CHANGED, target_id=str(person.pk))
    assert entry.changes == {"permissions": {"added": ["wagtailadmin.access_admin"]}}


def test_a_groups_permissions(superuser):
    trainers = Group.objects.get(name=TRAINERS)
    trainers.permissions.add(Permission.objects.get(codename="view_auditentry"))
    entry = AuditEntry.objects.filter(action=Action.PERMISSIONS_CHANGED, target_id=str(trainers.pk)).latest("pk")
    assert entry.changes == {"permissions": {"added": ["audit.view_auditentry"]}}


def test_group_changes_in_the_wagtail_user_editor_name_the_administrator(client, superuser):
    person = UserFactory(email="teacher@school.example.tw", first_name="美玲", last_name="陳")
    trainers = Group.objects.get(name=TRAINERS)
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[person.pk]),
        {
            "username": person.username,
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "is_active": "on",
            "groups": [trainers.pk],
        },
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action=Action.ROLE_CHANGED, target_id=str(person.pk))
    assert entry.actor == superuser and entry.ip_address == "192.0.2.10"
    assert entry.changes == {"groups": {"added": [TRAINERS]}}


def test_an_administrator_removing_someones_authenticator_is_an_mfa_reset(client, superuser):
    person = UserFactory(email="trainer@school.example.tw")
    TOTP.activate(person, generate_totp_secret())
    client.force_login(superuser)
    authenticator = Authenticator.objects.get(user=person)
    response = client.post(
        reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"}, REMOTE_ADDR="192.0.2.11"
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get(action=Action.MFA_RESET)
    assert entry.actor == superuser and entry.ip_address == "192.0.2.11" and entry.target_id == str(person.pk)
    assert entry.changes == {"authenticator": {"removed": "totp"}}


def test_removing_ones_own_authenticator_or_deleting_an_account_is_no_reset(rf):
    person = UserFactory(email="teacher@school.example.tw")
    TOTP.activate(person, generate_totp_secret())
    other = UserFactory(email="other@school.example.tw")
    TOTP.activate(other, generate_totp_secret())

    def remove_own_authenticator(request):
        Authenticator.objects.get(user=request.user).delete()
        return HttpResponse()

    request = rf.post("/")
    request.user = person
    AuditContextMiddleware(remove_own_authenticator)(request)
    assert not Authenticator.objects.filter(user=person).exists()
    other.delete()
    assert not AuditEntry.objects.filter(action=Action.MFA_RESET).exists()


def bulk_action_url(action, people):
    url = reverse("wagtail_bulk_action", args=("accounts", "user", action))
    return url + "?" + "&".join(f"id={person.pk}" for person in people)


def test_wagtail_bulk_actions_on_users_are_recorded(client, superuser):
    active = UserFactory(email="active@school.example.tw")
    already_inactive = UserFactory(email="inactive@school.example.tw", is_active=False)
    client.force_login(superuser)
    response = client.post(bulk_action_url("set_active_state", [active, already_inactive]), {"mark_as_active": False})
    assert response.status_code == 302
    active.refresh_from_db()
    assert not active.is_active
    # The queryset update sends no signal: the hook records who was switched off, and only them.
    flags = AuditEntry.objects.filter(action=Action.ROLE_CHANGED, changes__has_key="is_active")
    assert [(entry.target_id, entry.changes, entry.actor) for entry in flags] == [
        (str(active.pk), {"is_active": [True, False]}, superuser)
    ]
    bulk = AuditEntry.objects.get(action=Action.BULK_OPERATION)
    assert bulk.actor == superuser
    assert bulk.changes["action"] == "set_active_state" and bulk.changes["mark_as_active"] == "False"
    assert sorted(bulk.changes["users"]) == ["active@school.example.tw", "inactive@school.example.tw"]

    trainers = Group.objects.get(name=TRAINERS)
    client.post(bulk_action_url("assign_role", [already_inactive]), {"role": trainers.pk})
    assign = AuditEntry.objects.filter(action=Action.BULK_OPERATION).order_by("-id").first()
    assert assign.changes["action"] == "assign_role" and assign.changes["users"] == ["inactive@school.example.tw"]
    role = AuditEntry.objects.get(action=Action.ROLE_CHANGED, target_id=str(already_inactive.pk))
    assert role.changes == {"groups": {"added": [TRAINERS]}} and role.actor == superuser


def test_a_bulk_action_on_pages_is_not_a_bulk_operation_on_people(client, superuser, home_page):
    client.force_login(superuser)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "unpublish")) + f"?id={home_page.pk}"
    client.post(url, {})
    assert not AuditEntry.objects.filter(action=Action.BULK_OPERATION).exists()
