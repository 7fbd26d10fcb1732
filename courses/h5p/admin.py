"""Uploading H5P packages in the Wagtail admin: the form and the create view of the snippet viewset."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views.snippets import CreateView

from ..packages.storage import content_hash
from .package import H5PPackageError


class H5PPackageForm(WagtailAdminModelForm):
    """Create: an ``.h5p`` file (and optionally a title of our own). Edit: the title only; files never change."""

    package_file = forms.FileField(
        label=_("H5P file"),
        validators=[FileExtensionValidator(["h5p"])],
        help_text=_("An .h5p package exported with its libraries. It is checked before anything is stored."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["package_file"]
        elif "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave empty to use the title inside the package.")

    def clean_package_file(self):
        upload = self.cleaned_data["package_file"]
        existing = type(self.instance).objects.filter(content_hash=content_hash(upload)).first()
        if existing is not None:
            raise forms.ValidationError(
                gettext("This package is already uploaded, as “%(title)s”.") % {"title": existing.title}
            )
        return upload

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit=commit)
        package = type(self.instance).from_upload(self.cleaned_data["package_file"], self.for_user)
        title = (self.cleaned_data.get("title") or "").strip()
        if title and title != package.title:
            package.title = title
            package.save(update_fields=["title"])
        self.instance = package
        return package


class H5PPackageCreateView(CreateView):
    """Shows a rejected package's problem on the file field, instead of failing the request."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except H5PPackageError as error:
            form.add_error("package_file", str(error))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
