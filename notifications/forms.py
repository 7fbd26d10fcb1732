from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import Delivery


class PreferencesForm(forms.Form):
    """One in-app box and one e-mail choice per kind, built from the catalogue."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for choice in choices:
            in_app = f"{choice.kind.value}_in_app"
            email = f"{choice.kind.value}_email"
            self.fields[in_app] = forms.BooleanField(
                label=_("In the notification centre"), required=False, initial=choice.in_app
            )
            self.fields[email] = forms.ChoiceField(label=_("E-mail"), choices=Delivery.choices, initial=choice.email)
            self.rows.append((choice.kind, self[in_app], self[email]))

    def chosen(self):
        """``(kind, in_app, email)`` for each kind, from the cleaned data."""
        return [
            (kind, self.cleaned_data[f"{kind.value}_in_app"], Delivery(self.cleaned_data[f"{kind.value}_email"]))
            for kind, _in_app, _email in self.rows
        ]
