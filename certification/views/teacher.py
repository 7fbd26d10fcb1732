"""A teacher's own certificates: the list with the eligibility checklist, downloads, renewal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..credentials.certificates import open_badge_jwt
from ..models import Certificate
from ..registry.eligibility import TeacherRecord, evaluate_all
from ..registry.issuing import IssuingRefused, verify_url
from ..registry.renewal import RenewalRefused, renew_certificate, renewal_check


def _own_certificate(request, public_id) -> Certificate:
    certificate = get_object_or_404(Certificate.objects.select_related("programme"), public_id=public_id)
    if certificate.user_id != request.user.pk and not request.user.has_perm("certification.view_certificate"):
        raise Http404
    return certificate


@login_required
def my_certificates(request):
    record = TeacherRecord.load(request.user)
    certificates = list(
        Certificate.objects.filter(user=request.user)
        .select_related("programme", "superseded_by")
        .order_by("-created_at")
    )
    rows = [
        {
            "certificate": certificate,
            "share_url": verify_url(certificate),
            "renewal": renewal_check(certificate, record),
        }
        for certificate in certificates
    ]
    return render(
        request,
        "certification/my_certificates.html",
        {"rows": rows, "eligibilities": evaluate_all(request.user, record=record)},
    )


@login_required
def certificate_pdf(request, public_id):
    certificate = _own_certificate(request, public_id)
    if certificate.status != Certificate.Status.ISSUED or not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.newest_pdf().open("rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )


@login_required
def certificate_credential(request, public_id):
    certificate = _own_certificate(request, public_id)
    if certificate.status != Certificate.Status.ISSUED:
        raise Http404
    response = HttpResponse(open_badge_jwt(certificate), content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.jwt"'
    return response


@login_required
@require_POST
def renew(request, public_id):
    certificate = get_object_or_404(Certificate, public_id=public_id, user=request.user)
    try:
        renewed = renew_certificate(certificate, by=request.user)
    except (RenewalRefused, IssuingRefused) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your certificate is renewed: %(serial)s.") % {"serial": renewed.serial})
    return redirect("certification:my_certificates")
