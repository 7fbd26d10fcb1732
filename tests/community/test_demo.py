import io

import pytest

from accounts import demo as accounts_demo
from community import demo
from community.choices import ExpertiseArea
from community.models import CommunityPage, CommunitySession, Expert, ExpertIndexPage
from home import demo as home_demo

pytestmark = pytest.mark.django_db


def test_demo_content_is_bilingual_complete_and_idempotent(locales, client):
    accounts_demo.load(io.StringIO())
    home_demo.load(io.StringIO())
    demo.load(io.StringIO())
    counts = (CommunityPage.objects.count(), CommunitySession.objects.count(), Expert.objects.count())
    demo.load(io.StringIO())
    assert (CommunityPage.objects.count(), CommunitySession.objects.count(), Expert.objects.count()) == counts

    zh_communities = CommunityPage.objects.filter(locale=locales["zh-hant"])
    assert zh_communities.count() >= 3
    for community in zh_communities:
        assert community.get_translation(locales["en"]).live
        assert community.sessions().exists()
        assert community.facilitators.exists()
    assert ExpertIndexPage.objects.filter(locale=locales["en"]).exists()

    experts = list(Expert.objects.all())
    assert len(experts) >= 15
    assert all(e.name_zh and e.name_en and e.bio_zh and e.bio_en and e.photo_id for e in experts)
    assert {code for e in experts for code in e.expertise} == set(ExpertiseArea.values)
    assert len({region for e in experts for region in e.regions}) >= 15

    english_directory = ExpertIndexPage.objects.get(locale=locales["en"])
    response = client.get(english_directory.url, {"q": "sister"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count >= 2
    assert "Sister-school exchange" in response.content.decode()
