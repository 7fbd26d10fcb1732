from django import forms

from .models import TeacherProfile
from .names import normalise_name


class NameField(forms.CharField):
    """Normalised before validation, so "é" typed as two code points counts as one character against the
    maximum length, and stray spaces never reach a certificate."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_name(value) if value else value


class TeacherProfileForm(forms.ModelForm):
    class Meta:
        model = TeacherProfile
        fields = ["name_zh", "name_en", "school", "school_level", "county", "subject_area"]
        field_classes = {"name_zh": NameField, "name_en": NameField, "school": NameField, "subject_area": NameField}
        widgets = {
            "name_zh": forms.TextInput(attrs={"autocomplete": "name", "lang": "zh-Hant"}),
            "name_en": forms.TextInput(attrs={"autocomplete": "name", "lang": "en"}),
            "school": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
