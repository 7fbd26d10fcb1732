"""A model field holding several choices of one vocabulary, filterable the same way on SQLite and PostgreSQL."""

from django import forms
from django.db import models


class ChoiceSetField(models.CharField):
    """Stores a set of choice codes as ",a,b," so that `field__contains=",a,"` selects rows holding code a.

    Wagtail search filters and JSON containment differ between SQLite and PostgreSQL; a delimited string does not.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, list | tuple | set):
            return [code for code in value if code]
        return [code for code in value.split(",") if code]

    def get_prep_value(self, value):
        # Lookup values such as ",exchange," arrive as strings and are passed through untouched.
        if isinstance(value, str):
            return value
        codes = self.to_python(value)
        return f",{','.join(codes)}," if codes else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        allowed = {str(code) for code, _label in self.flatchoices}
        for code in value:
            if code not in allowed:
                raise forms.ValidationError(self.error_messages["invalid_choice"], params={"value": code})
        if not value and not self.blank:
            raise forms.ValidationError(self.error_messages["blank"])

    def run_validators(self, value):
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
            **{key: value for key, value in kwargs.items() if key in {"label", "help_text", "required"}},
        )
