"""`seed_scale` at a thousandth: 50 resources (50,000 at national size), their review states and co-authors, and the
public list and a teacher's page on them in a bounded number of queries."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from lms.management.commands.seed_scale import FULL_SIZE, Sizes
from resources.choices import Status
from resources.scale import scale_resources

SCALE = 0.001


@pytest.fixture
def seeded(db, home_page):
    out = io.StringIO()
    call_command("seed_scale", scale=SCALE, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_national_size_has_50000_resources():
    assert FULL_SIZE["resources"] == 50_000 and Sizes.at(1).resources == 50_000


def test_resources_at_a_thousandth(seeded, client, django_assert_max_num_queries):
    resources = scale_resources()
    assert resources.count() == Sizes.at(SCALE).resources == 50
    assert "resources: 50" in seeded
    assert resources.filter(status=Status.ACCEPTED).count() == 45
    assert set(resources.exclude(status=Status.ACCEPTED).values_list("status", flat=True)) == {
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.DRAFT,
        Status.DECLINED,
    }
    assert not resources.filter(status=Status.ACCEPTED, accepted_at__isnull=True).exists()
    assert resources.model.co_authors.through.objects.count() == 10
    with django_assert_max_num_queries(15):
        page = client.get(reverse("resources:list"), {"school_level": "elementary"})
    assert page.status_code == 200 and len(page.context["resources"]) > 0
    author = resources.filter(status=Status.ACCEPTED).first().author
    with django_assert_max_num_queries(15):
        assert client.get(reverse("resources:author", args=[author.pk])).status_code == 200
