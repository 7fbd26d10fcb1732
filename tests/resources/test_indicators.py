"""Resources align to the competency framework's indicators: chosen by the author among the published version's,
shown on the resource, and a filter of the public list."""

import pytest
from django.urls import reverse

from competencies.demo import ensure_framework
from competencies.models import Framework, FrameworkStatus, Indicator
from resources.choices import Status

from .factories import ResourceFactory
from .test_review import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators():
    ensure_framework()
    return list(Indicator.objects.with_framework()[:3])


def test_the_author_aligns_a_resource_to_published_indicators(client, teacher, indicators):
    draft = Framework.objects.create(slug="draft-framework", name_zh="草稿", name_en="Draft")
    client.force_login(teacher)
    form = client.get(reverse("resources:create")).context["form"]
    offered = set(form.fields["indicators"].queryset)
    assert set(indicators) <= offered
    assert all(indicator.area.framework.status == FrameworkStatus.PUBLISHED for indicator in offered)
    assert draft.pk not in {indicator.area.framework_id for indicator in offered}
    data = {**FORM, "kind": "link", "url": "https://example.org", "indicators": [indicators[0].pk, indicators[1].pk]}
    client.post(reverse("resources:create"), data)
    resource = teacher.authored_resources.get()
    assert set(resource.indicators.all()) == {indicators[0], indicators[1]}
    page = client.get(resource.get_absolute_url()).content.decode()
    assert indicators[0].code in page and indicators[0].title_zh in page


def test_an_indicator_filters_the_public_list(client, indicators):
    aligned = ResourceFactory(status=Status.ACCEPTED, title="對齊指標的教案")
    aligned.indicators.add(indicators[2])
    ResourceFactory(status=Status.ACCEPTED, title="沒有對齊的教案")
    response = client.get(reverse("resources:list"), {"indicator": indicators[2].pk})
    assert list(response.context["resources"]) == [aligned]
    # An indicator that does not exist is a form error, and matches nothing.
    assert list(client.get(reverse("resources:list"), {"indicator": 999999}).context["resources"]) == []
