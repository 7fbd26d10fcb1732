"""Each app's part of a person's data: what it hands over in the export and how it erases it.

An app knows its own tables; this app knows none of them. An app registers its part from its ``AppConfig.ready``
with :func:`register`; the export (:mod:`privacy.export`) and the deletion (:mod:`privacy.deletion`) go through
every registered part. A part whose app sits below this one (accounts, notifications) is registered here, in
:mod:`privacy.parts`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models.fields.files import FieldFile


@dataclass(frozen=True)
class Table:
    """Rows of one kind, written to the export as ``<name>.json`` and ``<name>.csv``."""

    name: str
    rows: list[dict]


@dataclass(frozen=True)
class Attachment:
    """A stored file handed over as it is, at ``name`` inside the export."""

    name: str
    file: FieldFile


@dataclass(frozen=True)
class Part:
    """One app's part. ``export(user)`` yields :class:`Table` and :class:`Attachment`; ``erase(user)`` erases or
    de-identifies the person's rows and returns what it did, ``{"table": count}``, for the audit entry. ``kept``
    says in one sentence what the app keeps after a deletion and why (shown before the person confirms)."""

    app: str
    export: Callable[..., Iterable[Table | Attachment]]
    erase: Callable[..., dict[str, int]]
    kept: str = ""
    order: int = field(default=100, compare=False)


_parts: dict[str, Part] = {}


def register(part: Part) -> None:
    _parts[part.app] = part


def parts() -> list[Part]:
    """The registered parts; a lower ``order`` erases first (the account itself goes last)."""
    return sorted(_parts.values(), key=lambda part: (part.order, part.app))
