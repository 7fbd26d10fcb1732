from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .attachments import MAX_FILES_PER_POST, check_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES_PER_POST:
            raise ValidationError(_("Attach at most five files to one post."))
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


BODY_HELP = _("Plain text, or simple formatting: paragraphs, bold, italics, lists, quotes, links and images.")
FILES_HELP = _("Up to five files: images, PDF, Word, Excel, PowerPoint, OpenDocument text or plain text.")


class PostForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), help_text=BODY_HELP)
    files = AttachmentsField(label=_("Attachments"), required=False, help_text=FILES_HELP)
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title", "body", "files"]


class EditForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), help_text=BODY_HELP)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
