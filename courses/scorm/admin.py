"""Uploading SCORM packages in the Wagtail admin: the H5P upload form and view, with a SCORM zip."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from ..h5p.admin import H5PPackageForm


class ScormPackageForm(H5PPackageForm):
    """Create: a SCORM zip (and optionally a title of our own). Edit: the title only; files never change."""

    package_file = forms.FileField(
        label=_("SCORM package (zip)"),
        validators=[FileExtensionValidator(["zip"])],
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 package: a zip with imsmanifest.xml at its root. It is checked before "
            "anything is stored."
        ),
    )
