"""Rows of a person's data from a query set: every stored field, as the database holds it, and nobody else's.

A foreign key to an account is kept only when it is the person themselves: who recorded an attendance or graded an
answer is someone else's personal data. A foreign key to a page also gives the page's title, so that a row reads
without the site. Files give their stored name (the file itself is an :class:`~privacy.registry.Attachment`).
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile
from wagtail.models import Page

from .registry import Table


def _plain(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def row(instance, user, exclude=()) -> dict:
    values = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in exclude:
            continue
        if model_field.is_relation:
            related_id = getattr(instance, model_field.attname)
            if model_field.related_model._meta.label == settings.AUTH_USER_MODEL:
                if related_id == user.pk:
                    values[model_field.name] = related_id
                continue
            values[model_field.name] = related_id
            if related_id is not None and issubclass(model_field.related_model, Page):
                values[f"{model_field.name}_title"] = getattr(instance, model_field.name).title
            continue
        values[model_field.name] = _plain(model_field.value_from_object(instance))
    return values


def table(name, queryset, user, exclude=(), extra=None) -> Table:
    """``extra(instance)`` adds columns of the app's choosing (a label read through a relation)."""
    rows = []
    for instance in queryset.order_by("pk"):
        values = row(instance, user, exclude)
        if extra is not None:
            values.update(extra(instance))
        rows.append(values)
    return Table(name, rows)


def delete_rows(*querysets) -> dict[str, int]:
    """Delete the rows (and what cascades from them); returns the count per model label, for the audit entry."""
    counts: dict[str, int] = {}
    for queryset in querysets:
        for label, count in queryset.delete()[1].items():
            if count:
                counts[label] = counts.get(label, 0) + count
    return counts
