"""The name correction queue's decisions in the Wagtail admin: a request with its evidence, approved or declined.

Like the rest of the admin, these views are behind ``accounts.middleware.AdminRequiresMFAMiddleware``: a
certification administrator reaches them only with two factors. Deciding also needs the permission to issue and
to revoke, since approval does both.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from audit.models import Action
from audit.recording import record

from ..models import NameCorrectionRequest
from ..registry.issuing import IssuingRefused
from ..registry.name_correction import (
    DECIDE_PERMISSION,
    NameCorrectionRefused,
    approve_name_correction,
    correctable_certificates,
    decline_name_correction,
)

DECIDING_PERMISSIONS = (DECIDE_PERMISSION, "certification.add_certificate", "certification.change_certificate")


def _require_decider(request, correction: NameCorrectionRequest):
    if not request.user.has_perms(DECIDING_PERMISSIONS):
        raise PermissionDenied
    if correction.user_id == request.user.pk:
        # Not even a superuser decides on their own name; nor sees the queue's copy of their papers here.
        raise PermissionDenied


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve and reissue")), ("decline", gettext_lazy("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent to the holder. Required to decline."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the request is declined; the holder is told."))
        return cleaned


def review_name_correction(request, pk):
    correction = get_object_or_404(NameCorrectionRequest.objects.select_related("user", "decided_by"), pk=pk)
    _require_decider(request, correction)
    pending = correction.status == NameCorrectionRequest.Status.PENDING
    form = DecisionForm(request.POST or None) if pending else None
    if request.method == "POST" and form is not None and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"].strip()
        try:
            if decision == "approve":
                approved = approve_name_correction(correction, by=request.user, note=reason)
                reissued = ", ".join(f"{old} → {new}" for old, new in approved.reissued)
                messages.success(request, _("Name corrected; reissued: %(reissued)s.") % {"reissued": reissued or "-"})
            else:
                decline_name_correction(correction, by=request.user, reason=reason)
                messages.success(request, _("Request declined; the holder is told why."))
        except (NameCorrectionRefused, IssuingRefused) as refusal:
            messages.error(request, str(refusal))
            return redirect("certification_admin:review_name_correction", pk=correction.pk)
        return redirect("certification_namecorrectionrequest:index")
    if pending:
        record(
            Action.LEARNER_RECORD_VIEWED,
            actor=request.user,
            target=correction.user,
            changes={"name_correction": correction.pk},
        )
    return render(
        request,
        "certification/admin/name_correction.html",
        {
            "correction": correction,
            "form": form,
            "certificates": correctable_certificates(correction.user) if pending else [],
        },
        status=400 if form is not None and form.errors else 200,
    )


def name_correction_evidence(request, pk):
    correction = get_object_or_404(NameCorrectionRequest, pk=pk)
    _require_decider(request, correction)
    if not correction.evidence:
        raise Http404
    record(
        Action.LEARNER_RECORD_VIEWED,
        actor=request.user,
        target=correction.user,
        changes={"name_correction_evidence": correction.pk},
    )
    response = FileResponse(
        correction.evidence.open("rb"), as_attachment=True, filename=correction.evidence.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
