from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.choices import SchoolLevel
from competencies.models import FrameworkStatus, Indicator

from .choices import ResourceKind, ResourceLanguage, SubjectDomain, Theme
from .licences import Licence
from .models import Resource
from .uploads import EXTENSIONS, check_upload

LINK_KINDS = (ResourceKind.LINK, ResourceKind.VIDEO)


class ResourceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("For links and videos: the address of the resource."),
    )
    co_author_emails = forms.CharField(
        label=_("Co-authors"),
        required=False,
        help_text=_("The e-mail addresses of co-authors who have an account here, separated by commas."),
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "summary",
            "kind",
            "file",
            "url",
            "school_level",
            "subject_domain",
            "theme",
            "language",
            "duration_minutes",
            "indicators",
            "licence",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "licence": forms.RadioSelect,
            "indicators": forms.CheckboxSelectMultiple,
            "file": forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in EXTENSIONS)}),
        }

    def __init__(self, *args, author=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.author = author
        # New alignments go to the published version; ones made to a version since retired are kept.
        kept = self.instance.indicators.values("pk") if self.instance.pk else Indicator.objects.none().values("pk")
        self.fields["indicators"].queryset = (
            Indicator.objects.filter(area__framework__status=FrameworkStatus.PUBLISHED)
            | Indicator.objects.filter(pk__in=kept)
        ).with_framework()
        self.fields["indicators"].label_from_instance = lambda indicator: f"{indicator.code} {indicator.title}"
        if self.instance.pk:
            self.fields["co_author_emails"].initial = ", ".join(
                self.instance.co_authors.values_list("email", flat=True)
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # A new upload has a size and content to check; a file kept from before was checked when it came.
        if upload and hasattr(upload, "content_type"):
            check_upload(upload)
        return upload

    def clean_co_author_emails(self):
        emails = [email.strip().lower() for email in self.cleaned_data["co_author_emails"].split(",") if email.strip()]
        users = list(get_user_model().objects.filter(email__in=emails, is_active=True))
        unknown = sorted(set(emails) - {user.email.lower() for user in users})
        if unknown:
            raise forms.ValidationError(
                _("No account has these addresses: %(emails)s.") % {"emails": ", ".join(unknown)}
            )
        return [user for user in users if user != self.author]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in LINK_KINDS and not cleaned.get("url"):
            self.add_error("url", _("A link or a video needs its address."))
        if kind and kind not in LINK_KINDS and not cleaned.get("file") and "file" not in self.errors:
            self.add_error("file", _("Attach the file of this resource."))
        return cleaned

    def save(self, commit=True):
        resource = super().save(commit=False)
        if self.author is not None and not resource.author_id:
            resource.author = self.author
        if commit:
            resource.save()
            resource.co_authors.set(self.cleaned_data["co_author_emails"])
            self.save_m2m()
        return resource


class ReviewForm(forms.Form):
    ACTIONS = [
        ("accept", _("Accept and publish")),
        ("changes", _("Ask for changes")),
        ("decline", _("Decline")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comments to the author"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when you ask for changes or decline: say what to change, or why."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in ("changes", "decline") and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what should change, or why the resource is declined."))
        return cleaned


class ResourceFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ResourceKind.choices])
    school_level = forms.ChoiceField(
        label=_("School level"), required=False, choices=[("", _("All levels")), *SchoolLevel.choices]
    )
    subject_domain = forms.ChoiceField(
        label=_("Subject domain"), required=False, choices=[("", _("All domains")), *SubjectDomain.choices]
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *ResourceLanguage.choices]
    )
    licence = forms.ChoiceField(label=_("Licence"), required=False, choices=[("", _("Any licence")), *Licence.choices])
    indicator = forms.ModelChoiceField(
        label=_("Competency indicator"),
        required=False,
        empty_label=_("All indicators"),
        queryset=Indicator.objects.citable().with_framework(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].label_from_instance = lambda indicator: f"{indicator.code} {indicator.title}"

    def filter(self, resources):
        if not self.is_valid():
            return resources.none()
        criteria = {name: value for name, value in self.cleaned_data.items() if value}
        if "indicator" in criteria:
            criteria["indicators"] = criteria.pop("indicator")
        return resources.filter(**criteria)
