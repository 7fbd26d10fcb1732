import pytest
from wagtail.admin.panels import get_edit_handler

from community.models import Expert

pytestmark = pytest.mark.django_db


def admin_form(data):
    return get_edit_handler(Expert).get_form_class()(data=data)


def test_administrators_create_an_expert_with_several_areas_languages_and_regions():
    form = admin_form(
        {
            "name_zh": "蘇怡君",
            "name_en": "Yi-Chun Su",
            "expertise": ["exchange", "study_visits"],
            "languages": ["zh", "ko"],
            "regions": ["keelung_city", "yilan_county"],
            "availability": ["speaker"],
            "is_listed": "on",
        }
    )
    assert form.is_valid(), form.errors
    expert = form.save()
    expert.refresh_from_db()
    assert expert.expertise == ["exchange", "study_visits"]
    assert expert.regions == ["keelung_city", "yilan_county"]
    assert list(Expert.objects.holding("languages", "ko")) == [expert]


def test_the_admin_form_refuses_codes_outside_the_vocabulary_and_an_empty_expertise():
    form = admin_form({"name_zh": "甲", "name_en": "A", "expertise": [], "languages": ["klingon"]})
    assert not form.is_valid()
    assert {"expertise", "languages"} <= set(form.errors)
