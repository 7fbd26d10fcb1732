from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import SchoolLevel
from resources.choices import ResourceLanguage, SubjectDomain, Theme
from resources.licences import Licence

from .models import Kind

ANY = [("", _("Any"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Everything"))] + Kind.choices, required=False)
    school_level = forms.ChoiceField(label=_("School level"), choices=ANY + SchoolLevel.choices, required=False)
    subject_domain = forms.ChoiceField(label=_("Subject domain"), choices=ANY + SubjectDomain.choices, required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=ANY + Theme.choices, required=False)
    licence = forms.ChoiceField(label=_("Licence"), choices=ANY + Licence.choices, required=False)
    language = forms.ChoiceField(label=_("Resource language"), choices=ANY + ResourceLanguage.choices, required=False)

    FACETS = ("school_level", "subject_domain", "theme", "licence", "language")

    def facets(self):
        return {name: self.cleaned_data.get(name) for name in self.FACETS if self.cleaned_data.get(name)}
