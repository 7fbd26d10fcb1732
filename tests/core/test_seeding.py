"""The ground floor's bulk row writer: columns come from the model, left-out fields get their defaults, a field of
our own is stored in its database form, and a row naming a field the model lacks is refused (on SQLite through
``bulk_create``, on PostgreSQL through COPY)."""

import datetime
import io

import pytest
from django.db import transaction
from django.utils import timezone

from community.choices import ExpertiseArea
from community.models import Expert
from core.seeding import RowWriter

NOW = timezone.now() - datetime.timedelta(days=3)


@pytest.mark.django_db
def test_rows_name_only_what_they_set_and_the_model_gives_the_rest():
    rows = [
        {
            "name_zh": "林老師",
            "name_en": "Lin",
            "expertise": [ExpertiseArea.EXCHANGE, ExpertiseArea.CURRICULUM],
            "languages": ["zh"],
        }
    ]

    RowWriter(io.StringIO(), NOW).insert(Expert, iter(rows), 1, "experts")

    expert = Expert.objects.get(name_en="Lin")
    assert expert.is_listed is True and expert.email == "" and expert.photo is None
    assert expert.expertise == [ExpertiseArea.EXCHANGE, ExpertiseArea.CURRICULUM]
    assert list(Expert.objects.holding("expertise", ExpertiseArea.CURRICULUM)) == [expert]
    assert not Expert.objects.holding("expertise", ExpertiseArea.SCHOOL).exists()


@pytest.mark.django_db
def test_a_row_naming_a_field_the_model_lacks_is_refused():
    rows = [
        {
            "name_zh": "林老師",
            "name_en": "Lin",
            "expertise": [ExpertiseArea.EXCHANGE],
            "languages": ["zh"],
            "nmae": "x",
        }
    ]

    # Seeding runs in one transaction: the refusal rolls back whatever the writer had started.
    with pytest.raises(ValueError, match="No such field: nmae"), transaction.atomic():
        RowWriter(io.StringIO(), NOW).insert(Expert, iter(rows), 1, "experts")
    assert not Expert.objects.exists()
