"""A holder's request to correct the name their certificates print: the form, and what became of earlier requests."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.names import normalise_name, validate_latin_name, validate_no_markup, validate_printable_name
from resources.uploads import UploadLimits, check_upload

from ..models import NameCorrectionRequest
from ..registry.name_correction import (
    NameCorrectionRefused,
    correctable_certificates,
    pending_request,
    printed_names,
    request_name_correction,
)

EVIDENCE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")
EVIDENCE_LIMITS = UploadLimits(max_bytes=10 * 1024 * 1024)


class NameCorrectionForm(forms.Form):
    name_zh = forms.CharField(
        label=gettext_lazy("Name in Chinese, as it should be printed"),
        max_length=NameCorrectionRequest._meta.get_field("name_zh").max_length,
        error_messages={"required": gettext_lazy("Write the Chinese name as the certificates should print it.")},
    )
    name_en = forms.CharField(
        label=gettext_lazy("Name in English, as it should be printed"),
        max_length=NameCorrectionRequest._meta.get_field("name_en").max_length,
        help_text=gettext_lazy("In the Latin alphabet, e.g. Mei-Ling Chen."),
        error_messages={"required": gettext_lazy("Write the English name as the certificates should print it.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the name should be corrected"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For example: a typing mistake, or a legal change of name."),
        error_messages={"required": gettext_lazy("Say why the name should be corrected.")},
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (optional)"),
        required=False,
        help_text=gettext_lazy(
            "A PDF, PNG or JPEG of at most 10 MB, e.g. a copy of an identity document or passport. Only "
            "certification administrators see it, and it is deleted once the request is decided."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, printed: tuple[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.printed = printed

    def _clean_name(self, field_name, *validators):
        name = normalise_name(self.cleaned_data[field_name])
        if not name:
            raise ValidationError(self.fields[field_name].error_messages["required"])
        for validator in (validate_printable_name, validate_no_markup, *validators):
            validator(name)
        return name

    def clean_name_zh(self):
        return self._clean_name("name_zh")

    def clean_name_en(self):
        return self._clean_name("name_en", validate_latin_name)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in EVIDENCE_EXTENSIONS:
            raise ValidationError(_("Upload the evidence as a PDF, PNG or JPEG file."))
        check_upload(upload, EVIDENCE_LIMITS)
        return upload

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("name_zh"), cleaned.get("name_en")) == self.printed:
            raise ValidationError(
                _("These are already the names your certificates print: change at least one of them.")
            )
        return cleaned


@login_required
def name_correction(request):
    printed = printed_names(request.user)
    waiting = pending_request(request.user)
    form = None
    if printed is not None and waiting is None:
        initial = {"name_zh": printed[0], "name_en": printed[1]}
        form = NameCorrectionForm(request.POST or None, request.FILES or None, initial=initial, printed=printed)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                request_name_correction(
                    request.user,
                    name_zh=data["name_zh"],
                    name_en=data["name_en"],
                    reason=data["reason"],
                    evidence=data["evidence"],
                )
            except NameCorrectionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request, _("Your request is sent to the certification administrators. You will be told.")
                )
                return redirect("certification:name_correction")
    return render(
        request,
        "certification/name_correction.html",
        {
            "form": form,
            "printed": printed,
            "waiting": waiting,
            "certificates": correctable_certificates(request.user),
            "requests": NameCorrectionRequest.objects.filter(user=request.user)
            .exclude(status=NameCorrectionRequest.Status.PENDING)
            .order_by("-requested_at")[:20],
        },
        status=400 if form is not None and form.errors else 200,
    )
