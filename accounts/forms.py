from django import forms

from .models import TeacherProfile


class TeacherProfileForm(forms.ModelForm):
    class Meta:
        model = TeacherProfile
        fields = ["name_zh", "name_en", "school", "school_level", "county", "subject_area"]
        widgets = {
            "name_zh": forms.TextInput(attrs={"autocomplete": "name"}),
            "name_en": forms.TextInput(attrs={"autocomplete": "name", "lang": "en"}),
            "school": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    def clean(self):
        cleaned = super().clean()
        for field in ("name_zh", "name_en", "school", "subject_area"):
            if cleaned.get(field):
                cleaned[field] = " ".join(cleaned[field].split())
        return cleaned
