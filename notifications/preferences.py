"""Each person's choices per kind: shown in the centre or not, e-mailed at once, in the daily digest or not at all."""

from dataclasses import dataclass

from django.db import transaction

from .kinds import DEFAULT_DELIVERY, Delivery, Kind
from .models import Preference


@dataclass(frozen=True)
class Choice:
    kind: Kind
    in_app: bool
    email: Delivery


def choice_for(user, kind: Kind) -> Choice:
    row = Preference.objects.filter(user=user, kind=kind).first()
    if row is None:
        return Choice(kind, True, DEFAULT_DELIVERY[kind])
    return Choice(kind, row.in_app, Delivery(row.email))


def choices_for(user) -> list[Choice]:
    """Every kind, in the catalogue's order, as ``user`` chose or by default."""
    rows = {row.kind: row for row in Preference.objects.filter(user=user)}
    return [
        Choice(kind, rows[kind].in_app, Delivery(rows[kind].email))
        if kind in rows
        else Choice(kind, True, DEFAULT_DELIVERY[kind])
        for kind in Kind
    ]


def choose(user, kind: Kind, *, in_app: bool | None = None, email: Delivery | None = None) -> Choice:
    """Change what ``user`` receives for ``kind``; the part not given stays as it was."""
    with transaction.atomic():
        current = choice_for(user, kind)
        Preference.objects.update_or_create(
            user=user,
            kind=kind,
            defaults={
                "in_app": current.in_app if in_app is None else in_app,
                "email": current.email if email is None else email,
            },
        )
    return choice_for(user, kind)


def stop_email(user, kinds) -> None:
    """No more e-mail of ``kinds`` for ``user`` (an unsubscribe); the notification centre keeps showing them."""
    for kind in kinds:
        choose(user, kind, email=Delivery.OFF)
