from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question


class AnswerForm(forms.Form):
    """One field per question, named by the question's id."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            labels = question.option_labels()
            name = f"q{question.pk}"
            if question.kind == Question.Kind.TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=list(enumerate(labels)), coerce=int, widget=forms.CheckboxSelectMultiple
                )
            elif question.kind == Question.Kind.LIKERT:
                field = forms.TypedChoiceField(
                    choices=[(value, f"{value} {label}") for value, label in enumerate(labels, start=1)],
                    coerce=int,
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.TypedChoiceField(choices=list(enumerate(labels)), coerce=int, widget=forms.RadioSelect)
            field.label = question.text
            field.required = question.required
            self.fields[name] = field

    def answers(self) -> dict:
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions}


CONSENT_HELP = _("Your answers are anonymous: organisers and trainers see totals and unnamed comments only.")
