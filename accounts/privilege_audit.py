"""Role, permission and two-factor changes into the audit trail, however they are made.

Roles are groups (``lms.roles``); they change in Wagtail's user and group editors, the Django admin, the shell or
a command. Recording them from model signals catches every path without touching Wagtail's views. Wagtail's own
log entries (``Reports › Site history``) still record that a user or group was edited; this adds what changed,
and keeps it when the account is gone. The actor is the user of the request being served (``audit.context``);
outside a request (a migration's role sync, a command) it is the platform.
"""

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from audit.context import current_user
from audit.models import Action
from audit.recording import record

from .models import User

FLAGS = ("is_staff", "is_superuser", "is_active")
M2M_ACTIONS = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}


def remember_flags(sender, instance, **kwargs):
    if any(flag not in instance.__dict__ for flag in FLAGS):
        # Loaded without them (``only()``, ``defer()``): reading one would load the user again, and so on forever.
        return
    instance._audited_flags = {flag: getattr(instance, flag) for flag in FLAGS}


def record_flag_changes(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_audited_flags", None)
    after = {flag: getattr(instance, flag) for flag in FLAGS}
    instance._audited_flags = after
    if created or raw or before is None:
        return
    changes = {flag: [before[flag], after[flag]] for flag in FLAGS if before[flag] != after[flag]}
    if changes:
        record(Action.ROLE_CHANGED, actor=current_user(), target=instance, changes=changes)


def _names(model, pk_set):
    if not pk_set:
        return []
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    return sorted(
        f"{app}.{codename}"
        for app, codename in model.objects.filter(pk__in=pk_set).values_list("content_type__app_label", "codename")
    )


def record_membership_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``user.groups``, ``user.user_permissions`` and ``group.permissions``, from either side of the relation."""
    if action not in M2M_ACTIONS:
        return
    if sender is User.groups.through:
        kind, audit_action = "groups", Action.ROLE_CHANGED
    else:
        kind, audit_action = "permissions", Action.PERMISSIONS_CHANGED
    if reverse:
        # group.user_set.add(...) or permission.group_set.add(...): one entry per changed holder.
        names = _names(type(instance), {instance.pk})
        for holder in model.objects.filter(pk__in=pk_set or ()):
            record(audit_action, actor=current_user(), target=holder, changes={kind: {M2M_ACTIONS[action]: names}})
        return
    record(
        audit_action,
        actor=current_user(),
        target=instance,
        changes={kind: {M2M_ACTIONS[action]: _names(model, pk_set)}},
    )


def record_authenticator_reset(sender, instance, origin=None, **kwargs):
    """An authenticator removed by someone other than its owner is a two-factor reset; the owner's own removal
    (in their account settings) and the cascade of an account's deletion are not."""
    actor = current_user()
    if isinstance(origin, User) or (actor is not None and actor.pk == instance.user_id):
        return
    record(
        Action.MFA_RESET,
        actor=actor,
        target=instance.user,
        changes={"authenticator": {"removed": instance.type}},
    )


def record_user_bulk_action(request, action_type, objects, action):
    """Wagtail's ``after_bulk_action`` hook: a bulk action on users (set active state, assign role, delete) is one
    bulk-operation entry naming everyone it touched. Setting the active state is a queryset ``update`` that sends
    no ``post_save``, so its flag changes are recorded here, one entry per person; a role assigned and an account
    deleted are recorded by the signals above."""
    if getattr(action, "model", None) is not User:
        return
    options = dict(action.cleaned_form.cleaned_data) if action.cleaned_form is not None else {}
    if action_type == "set_active_state":
        after = options["mark_as_active"]
        for person in objects:
            # Wagtail leaves out the acting user; ``objects`` were loaded before the update, so they hold the old flag.
            if person.pk != request.user.pk and person.is_active != after:
                record(
                    Action.ROLE_CHANGED,
                    actor=request.user,
                    target=person,
                    changes={"is_active": [person.is_active, after]},
                )
    people = [person.email or person.get_username() for person in objects]
    record(
        Action.BULK_OPERATION,
        actor=request.user,
        target_label=", ".join(people),
        changes={"action": action_type, "users": people, **{name: str(value) for name, value in options.items()}},
    )


def connect():
    post_init.connect(remember_flags, sender=User, dispatch_uid="accounts.audit.remember_flags")
    post_save.connect(record_flag_changes, sender=User, dispatch_uid="accounts.audit.flags")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            record_membership_change, sender=through, dispatch_uid=f"accounts.audit.{through.__name__}"
        )
    post_delete.connect(record_authenticator_reset, sender=Authenticator, dispatch_uid="accounts.audit.mfa_reset")
