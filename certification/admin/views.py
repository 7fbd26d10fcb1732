"""Certification administrators' views in the Wagtail admin: revoke, reissue, manual and bulk issue, the approval
queue's decisions, exports. Listing and inspecting are the viewsets in ``wagtail_hooks``."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from audit.models import Action
from audit.recording import record

from ..models import ApprovalRequest, BulkIssue, Certificate, CertificationProgramme
from ..registry.eligibility import evaluate_eligibility
from ..registry.issuing import (
    IssuingRefused,
    approve,
    issue_certificate,
    reissue_certificate,
    reject,
    revoke_certificate,
)
from .bulk import BulkIssueInputError, emails_from_csv, start_bulk_issue
from .exports import registry_csv, registry_zip
from .filters import filtered_registry

MAX_PASTED_EMAILS = 5000


def _require(request, action: str):
    if not request.user.has_perm(f"certification.{action}"):
        raise PermissionDenied


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy("Shown on the public verification page and sent to the holder."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that revocation is permanent and public."), required=True
    )


def revoke(request, pk):
    _require(request, "change_certificate")
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revoke_certificate(certificate, reason=form.cleaned_data["reason"], by=request.user)
        except IssuingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Certificate %(serial)s revoked.") % {"serial": certificate.serial})
        return redirect("certification_certificate:index")
    return render(
        request,
        "certification/admin/form.html",
        {
            "title": _("Revoke %(serial)s") % {"serial": certificate.serial},
            "form": form,
            "certificate": certificate,
            "submit": _("Revoke"),
            "danger": True,
        },
    )


def reissue(request, pk):
    _require(request, "add_certificate")
    certificate = get_object_or_404(Certificate, pk=pk)
    if request.method == "POST":
        try:
            new = reissue_certificate(certificate, by=request.user)
        except IssuingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("%(new)s issued; it supersedes %(old)s.") % {"new": new.serial, "old": certificate.serial}
            )
        return redirect("certification_certificate:index")
    return render(
        request,
        "certification/admin/form.html",
        {
            "title": _("Reissue %(serial)s") % {"serial": certificate.serial},
            "certificate": certificate,
            "submit": _("Reissue with a new serial"),
            "explanation": _(
                "A new certificate is issued from the teacher's current profile and supersedes this one. "
                "Both stay on record; this one's verification page points to the new one."
            ),
        },
    )


class IssueForm(forms.Form):
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"), queryset=CertificationProgramme.objects.all())
    email = forms.EmailField(label=gettext_lazy("Teacher's e-mail address"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account with this e-mail address."))
        self.cleaned_data["user"] = user
        return email


def issue(request):
    _require(request, "add_certificate")
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = issue_certificate(
                form.cleaned_data["user"],
                form.cleaned_data["programme"],
                origin=Certificate.Origin.MANUAL,
                by=request.user,
            )
        except IssuingRefused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(request, _("Certificate %(serial)s issued.") % {"serial": certificate.serial})
            return redirect("certification_certificate:index")
    return render(
        request,
        "certification/admin/form.html",
        {"title": _("Issue a certificate"), "form": form, "submit": _("Issue")},
    )


class BulkIssueForm(forms.Form):
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"), queryset=CertificationProgramme.objects.all())
    approval_queue = forms.BooleanField(
        label=gettext_lazy("Everyone waiting in this programme's approval queue"), required=False
    )
    emails = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line."),
    )
    csv_file = forms.FileField(
        label=gettext_lazy("CSV file"),
        required=False,
        help_text=gettext_lazy("A column headed “email” (or the first column); UTF-8 or Big5, as Excel saves it."),
    )

    def clean(self):
        cleaned = super().clean()
        emails = [line.strip() for line in (cleaned.get("emails") or "").splitlines() if line.strip()]
        if len(emails) > MAX_PASTED_EMAILS:
            raise forms.ValidationError(
                _("Paste at most %(max)s addresses; upload a CSV for more.") % {"max": MAX_PASTED_EMAILS}
            )
        if cleaned.get("csv_file"):
            try:
                emails += emails_from_csv(cleaned["csv_file"].read())
            except BulkIssueInputError as error:
                self.add_error("csv_file", str(error))
        users = []
        if cleaned.get("approval_queue") and cleaned.get("programme"):
            users = [
                request.user
                for request in ApprovalRequest.objects.filter(
                    programme=cleaned["programme"], status=ApprovalRequest.Status.PENDING
                ).select_related("user")
            ]
        if not emails and not users and not self.errors:
            raise forms.ValidationError(_("Name at least one teacher: the approval queue, addresses or a CSV file."))
        cleaned["email_list"] = list(dict.fromkeys(emails))
        cleaned["users"] = users
        return cleaned


def bulk_issue(request):
    _require(request, "add_certificate")
    form = BulkIssueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("csv_file")
        batch = start_bulk_issue(
            form.cleaned_data["programme"],
            by=request.user,
            users=form.cleaned_data["users"],
            emails=form.cleaned_data["email_list"],
            source=upload.name if upload else "",
        )
        return redirect("certification_admin:bulk_progress", pk=batch.pk)
    return render(
        request,
        "certification/admin/form.html",
        {"title": _("Bulk issue"), "form": form, "submit": _("Start issuing"), "multipart": True},
    )


def bulk_progress(request, pk):
    _require(request, "view_certificate")
    batch = get_object_or_404(BulkIssue.objects.select_related("programme"), pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(batch.progress())
    failed = batch.items.filter(status="failed").order_by("pk")[:200]
    return render(
        request,
        "certification/admin/bulk_progress.html",
        {
            "batch": batch,
            "progress": batch.progress(),
            "failed": failed,
            "progress_url": reverse("certification_admin:bulk_progress", args=[batch.pk]) + "?format=json",
        },
    )


def review_request(request, pk):
    """An approval request with the teacher's checklist; approving issues the certificate, rejecting records why."""
    _require(request, "change_approvalrequest")
    approval = get_object_or_404(
        ApprovalRequest.objects.select_related("user", "programme"), pk=pk, status=ApprovalRequest.Status.PENDING
    )
    if request.method == "POST":
        if request.POST.get("decision") == "approve":
            _require(request, "add_certificate")
            try:
                certificate = approve(approval, by=request.user)
            except IssuingRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request, _("Approved: certificate %(serial)s issued.") % {"serial": certificate.serial}
                )
        elif request.POST.get("decision") == "reject":
            reject(approval, by=request.user, note=request.POST.get("note", "")[:1000])
            messages.success(request, _("Request rejected."))
        return redirect("certification_approvalrequest:index")
    record(Action.LEARNER_RECORD_VIEWED, actor=request.user, target=approval.user, changes={"approval": approval.pk})
    return render(
        request,
        "certification/admin/review.html",
        {"approval": approval, "eligibility": evaluate_eligibility(approval.user, approval.programme)},
    )


def _record_export(request, name):
    record(Action.DATA_EXPORTED, actor=request.user, target_label=name, changes={"filters": request.GET.dict()})


def export_csv(request):
    _require(request, "view_certificate")
    name = f"certificates-{timezone.localdate():%Y%m%d}.csv"
    _record_export(request, name)
    return registry_csv(filtered_registry(request), name)


def export_zip(request):
    _require(request, "view_certificate")
    name = f"certificates-{timezone.localdate():%Y%m%d}.zip"
    _record_export(request, name)
    return registry_zip(filtered_registry(request), name)
