from django import forms
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel


def indicator_panel(field_name="competency_indicators"):
    """The editor's choice of indicators: a labelled list of check boxes, each naming its framework version."""
    return FieldPanel(
        field_name,
        widget=forms.CheckboxSelectMultiple,
        heading=_("Competency indicators"),
        help_text=_("The indicators of published framework versions this work develops."),
    )


class IndicatorsField(ParentalManyToManyField):
    """Offered as check boxes in every form, the page editor's included (it builds the form field itself)."""

    def formfield(self, **kwargs):
        return super().formfield(**{**kwargs, "widget": forms.CheckboxSelectMultiple})

    def deconstruct(self):
        # Migrations see the plain field: the widget is no database matter.
        name, _path, args, kwargs = super().deconstruct()
        return name, "modelcluster.fields.ParentalManyToManyField", args, kwargs


def indicators_field(related_name):
    """The many-to-many field a page or question aligns to indicators with (published or retired versions only)."""
    return IndicatorsField(
        "competencies.Indicator",
        verbose_name=_("competency indicators"),
        blank=True,
        related_name=related_name,
        limit_choices_to={"area__framework__status__in": ["published", "retired"]},
    )
