"""Links typed without a scheme: every form that takes one (ours and the admin's) reads them as https, as Django 6
will, and building those forms raises no deprecation warning about it."""

import warnings

import pytest
from django.core.exceptions import ValidationError
from django.utils.deprecation import RemovedInDjango60Warning

from community.forms import CommunitySessionForm, ExpertOptInForm
from community.models import Expert
from courses.models import WorkshopPage


def admin_form_class(model):
    edit_handler = model.snippet_viewset.get_edit_handler() if model is Expert else model.get_edit_handler()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        return edit_handler.get_form_class()


FIELDS = [
    (CommunitySessionForm, "online_url"),
    (ExpertOptInForm, "website"),
    (admin_form_class(Expert), "website"),
    (admin_form_class(WorkshopPage), "online_url"),
]


@pytest.mark.parametrize(("form_class", "name"), FIELDS)
def test_a_link_without_a_scheme_means_https(form_class, name):
    field = form_class.base_fields[name]
    assert field.clean("meet.example.tw/room/42") == "https://meet.example.tw/room/42"
    assert field.clean("http://meet.example.tw/room/42") == "http://meet.example.tw/room/42"


@pytest.mark.parametrize(("form_class", "name"), FIELDS)
@pytest.mark.parametrize("hostile", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil"])
def test_a_link_with_a_dangerous_scheme_is_refused(form_class, name, hostile):
    with pytest.raises(ValidationError):
        form_class.base_fields[name].clean(hostile)
