"""``record``: the one way an app writes to the audit trail."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from core.network import client_address

from .context import current_request
from .models import Action, AuditEntry


def actor_label(user) -> str:
    """The person as they are named at the time, kept when the account is gone."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    name = getattr(user, "display_name", "") or user.get_username()
    email = getattr(user, "email", "")
    return f"{name} <{email}>"[:300] if email and email != name else str(name)[:300]


def _jsonable(changes):
    # Dates, decimals and UUIDs come out as strings, as the CSV export shows them.
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


def record(action, *, actor, target=None, changes=None, reason="", request=None, target_label=None):
    """Append one audit entry and return it.

    ``action`` is an :class:`audit.models.Action`; ``actor`` the user who acted (``None`` for the system);
    ``target`` the model instance acted on (its content type, primary key and ``str`` are kept); ``changes`` a
    JSON-serialisable dict, by convention ``{"field": [before, after]}``; ``request`` gives the client address
    (by default the request being served, see :mod:`audit.context`). ``actor=None`` is the platform itself (an
    automatic issue), even inside someone's request. ``target_label`` replaces ``str(target)``, or names a target
    that is no model instance (a file).
    """
    Action(action)  # An unknown action is a programming error, refused before anything is written.
    request = request if request is not None else current_request()
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label(actor),
        ip_address=client_address(request) if request is not None else "",
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label if target_label is not None else str(target) if target is not None else "")[:300],
        changes=_jsonable(changes),
        reason=reason or "",
    )
