"""Editors align courses, modules and questions to indicators of published or retired versions, never drafts."""

import pytest
from django import forms
from wagtail.admin.panels import get_edit_handler

from assessments.models import Question
from courses.models import CoursePage, ModulePage

from .factories import IndicatorFactory, published_indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [CoursePage, ModulePage, Question])
def test_the_editor_offers_published_and_retired_indicators_as_labelled_check_boxes(model):
    published = published_indicator(code="NI-E1")
    retired_framework = published_indicator(code="GR-U1").area.framework
    retired_framework.new_version().publish()
    draft = IndicatorFactory(code="GC-J1")

    # The choices are limited when a form is made (Django applies limit_choices_to per form instance).
    form = get_edit_handler(model).get_form_class()(instance=model())
    field = form.fields["competency_indicators"]

    offered = set(field.queryset.values_list("code", flat=True))
    assert {"NI-E1", "GR-U1"} <= offered
    assert draft.code not in offered
    assert isinstance(field.widget, forms.CheckboxSelectMultiple)
    assert published.area.framework.slug in field.label_from_instance(published)
