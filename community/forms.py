from django import forms
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.choices import County, SchoolLevel
from courses.models import TrainingSession

from .choices import Availability, ExpertiseArea, Language
from .models import CommunitySession, Expert


def https_by_default(db_field, **kwargs):
    """A model's form field, where a link typed without a scheme means https (Django 6's default, chosen now)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def with_any(choices, label):
    return [("", label), *choices]


class CommunityFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("County/city"), choices=with_any(County.choices, _("Any")), required=False)
    level = forms.ChoiceField(label=_("School level"), choices=with_any(SchoolLevel.choices, _("Any")), required=False)
    focus = forms.ChoiceField(label=_("Focus area"), choices=with_any(ExpertiseArea.choices, _("Any")), required=False)

    def filter(self, communities):
        data = self.cleaned_data
        if data["region"]:
            communities = communities.filter(region=data["region"])
        if data["level"]:
            communities = communities.filter(school_level=data["level"])
        if data["focus"]:
            communities = communities.filter(focus_area=data["focus"])
        return communities


class ExpertFilterForm(forms.Form):
    """The directory's search and filters; :func:`community.directory.filter_experts` applies them."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    expertise = forms.ChoiceField(
        label=_("Expertise"), choices=with_any(ExpertiseArea.choices, _("Any")), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=with_any(Language.choices, _("Any")), required=False)
    region = forms.ChoiceField(label=_("County/city"), choices=with_any(County.choices, _("Any")), required=False)
    availability = forms.ChoiceField(
        label=_("Available as"), choices=with_any(Availability.choices, _("Any")), required=False
    )


class ContactRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say who you are, your school and what you would like to ask. The expert replies by e-mail."),
    )


class CommunitySessionForm(forms.ModelForm):
    """Creates or edits a community session together with its shared training session."""

    title = forms.CharField(label=_("Title in Chinese"), max_length=255)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=24, max_digits=4, decimal_places=1)

    class Meta:
        model = CommunitySession
        formfield_callback = https_by_default
        fields = [
            "title",
            "title_en",
            "starts_at",
            "ends_at",
            "hours",
            "place",
            "online_url",
            "agenda_zh",
            "agenda_en",
        ]

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        if self.instance.pk:
            session = self.instance.training_session
            for name in ["title", "starts_at", "ends_at", "hours"]:
                self.initial[name] = getattr(session, name)

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A session ends after it starts."))
        if not cleaned.get("place") and not cleaned.get("online_url"):
            raise forms.ValidationError(_("Give a place, an online meeting link, or both."))
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        session = self.instance
        training = session.training_session if session.pk else TrainingSession(kind=TrainingSession.Kind.COMMUNITY)
        for name in ["title", "starts_at", "ends_at", "hours"]:
            setattr(training, name, self.cleaned_data[name])
        training.save()
        session.training_session = training
        session.community = self.community
        session.save()
        return session


class AttendanceCSVForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("One e-mail address per line, or a column headed “email”.")
    )


class ExpertOptInForm(forms.ModelForm):
    """What a certified teacher fills in to appear in the expert directory."""

    class Meta:
        model = Expert
        formfield_callback = https_by_default
        fields = [
            "name_zh",
            "name_en",
            "title_zh",
            "title_en",
            "organisation_zh",
            "organisation_en",
            "expertise",
            "languages",
            "regions",
            "availability",
            "bio_zh",
            "bio_en",
            "email",
            "phone",
            "website",
            "is_listed",
        ]
