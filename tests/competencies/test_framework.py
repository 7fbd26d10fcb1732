"""The framework's versions: a published version is frozen, changes go into a new version, publishing retires."""

import pytest
from django.core.exceptions import ValidationError

from competencies.demo import SLUG, ensure_framework
from competencies.models import Area, Framework, FrameworkStatus, FrozenFramework, Indicator, SchoolStage

from .factories import AreaFactory, FrameworkFactory, IndicatorFactory, published_indicator

pytestmark = pytest.mark.django_db


def test_a_draft_can_be_edited_and_published():
    indicator = IndicatorFactory()
    framework = indicator.area.framework
    indicator.title_en = "Changed while a draft"
    indicator.save()

    framework.publish()

    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.published_at is not None


def test_an_empty_framework_cannot_be_published():
    framework = FrameworkFactory()
    with pytest.raises(ValidationError):
        framework.publish()
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.DRAFT


@pytest.mark.parametrize("change", ["indicator", "area", "framework"])
def test_a_published_version_refuses_every_change(change):
    indicator = published_indicator()
    target = {"indicator": indicator, "area": indicator.area, "framework": indicator.area.framework}[change]
    field = {"indicator": "title_en", "area": "name_en", "framework": "name_en"}[change]
    setattr(target, field, "Rewritten after publication")

    with pytest.raises(FrozenFramework):
        target.save()
    with pytest.raises(FrozenFramework):
        target.delete()
    target.refresh_from_db()
    assert getattr(target, field) != "Rewritten after publication"


def test_nothing_can_be_added_to_a_published_version():
    indicator = published_indicator()
    with pytest.raises(FrozenFramework):
        IndicatorFactory(area=indicator.area, code="IL-E99")
    with pytest.raises(FrozenFramework):
        AreaFactory(framework=indicator.area.framework)
    assert Indicator.objects.filter(area=indicator.area).count() == 1


def test_an_indicator_cannot_be_moved_out_of_a_published_version_into_a_draft():
    indicator = published_indicator()
    draft_area = AreaFactory()
    indicator.area = draft_area
    with pytest.raises(FrozenFramework):
        indicator.save()


def test_a_new_version_copies_areas_and_indicators_as_a_draft_and_publishing_it_retires_the_old():
    indicator = published_indicator(code="NI-E1")
    old = indicator.area.framework

    new = old.new_version()

    assert (new.slug, new.version, new.status) == (old.slug, 2, FrameworkStatus.DRAFT)
    copied = Indicator.objects.get(area__framework=new)
    assert (copied.code, copied.title_zh) == ("NI-E1", indicator.title_zh)
    assert copied.pk != indicator.pk
    copied.title_en = "Reworded in version 2"
    copied.save()
    new.publish()

    old.refresh_from_db()
    indicator.refresh_from_db()
    assert old.status == FrameworkStatus.RETIRED
    assert old.retired_at is not None
    assert indicator.title_en != "Reworded in version 2"
    assert old.new_version().version == 3


def test_only_a_draft_can_be_published():
    indicator = published_indicator()
    with pytest.raises(ValidationError):
        indicator.area.framework.publish()


def test_indicator_codes_are_unique_across_a_framework_version():
    first = IndicatorFactory(code="GR-J1")
    other_area = AreaFactory(framework=first.area.framework)
    clash = Indicator(area=other_area, code="GR-J1", stage=SchoolStage.JUNIOR, title_zh="x", title_en="x")
    with pytest.raises(ValidationError) as raised:
        clash.full_clean()
    assert "code" in raised.value.message_dict


def test_the_admin_form_of_a_published_framework_says_it_is_frozen():
    indicator = published_indicator()
    framework = indicator.area.framework
    framework.name_en = "Edited"
    with pytest.raises(ValidationError) as raised:
        framework.full_clean()
    assert [error.code for error in raised.value.error_dict["__all__"]] == ["frozen"]


def test_the_demo_framework_holds_the_white_papers_four_goals_for_each_stage():
    framework = ensure_framework()
    assert ensure_framework() == framework  # idempotent

    assert framework.slug == SLUG and framework.status == FrameworkStatus.PUBLISHED
    areas = list(Area.objects.filter(framework=framework).values_list("name_zh", flat=True))
    assert areas == ["國家認同", "國際素養", "全球競合力", "全球責任感"]
    indicators = Indicator.objects.filter(area__framework=framework)
    assert {indicator.stage for indicator in indicators} == {"E", "J", "U"}
    assert all(indicator.title_zh and indicator.title_en for indicator in indicators)
    assert indicators.filter(code="NI-E1").exists()
    assert Framework.objects.citable().filter(pk=framework.pk).exists()


@pytest.mark.parametrize("code", ["NI/E1", "../x", "NI E1", "-x", "<b>"])
def test_an_indicator_code_that_would_break_its_address_is_refused(code):
    area = AreaFactory()
    indicator = Indicator(area=area, code=code, stage=SchoolStage.ELEMENTARY, title_zh="x", title_en="x")
    with pytest.raises(ValidationError) as raised:
        indicator.full_clean()
    assert "code" in raised.value.message_dict
