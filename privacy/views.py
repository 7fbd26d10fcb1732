from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import deletion, export
from .models import DataExport
from .registry import parts

RECENT_EXPORTS = 5


@login_required
def personal_data(request):
    """The person's copies of their data, and the way to their account's deletion."""
    exports = list(DataExport.objects.filter(user=request.user).order_by("-created_at", "-pk")[:RECENT_EXPORTS])
    for item in exports:
        item.link = (
            export.download_url(item) if item.status == DataExport.Status.READY and not item.is_expired() else ""
        )
    return render(
        request,
        "privacy/personal_data.html",
        {
            "exports": exports,
            "pending": any(item.is_pending for item in exports),
            "retention_days": export.RETENTION_DAYS,
        },
    )


@login_required
@require_POST
def ask_for_export(request):
    try:
        export.request_export(request.user, request)
    except export.ExportRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Your copy is being prepared. We will tell you, here and by e-mail, when it is ready.")
        )
    return redirect("privacy:personal_data")


@login_required
def download_export(request, token):
    """The signed-in person's own copy, through the link they were sent, until it expires."""
    item = export.export_for_token(token, request.user)
    if item is None or not item.file.storage.exists(item.file.name):
        return render(request, "privacy/link_invalid.html", {"kind": "download"}, status=404)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )


@login_required
def delete_account(request):
    """What deletion erases and keeps; a POST sends the confirmation link to the account's e-mail address."""
    reason = deletion.refusal(request.user)
    sent = False
    if request.method == "POST" and not reason:
        try:
            deletion.send_confirmation(request.user)
        except deletion.DeletionRefused as refused:
            messages.error(request, str(refused))
        else:
            sent = True
    return render(
        request,
        "privacy/delete_account.html",
        {
            "refusal": reason,
            "sent": sent,
            "kept": [part.kept for part in parts() if part.kept],
            "hours": deletion.CONFIRMATION_HOURS,
        },
        status=403 if reason and request.method == "POST" else 200,
    )


@login_required
def confirm_deletion(request, token):
    """The e-mailed link: shows what will happen; only a POST, from the person the link was sent to, deletes."""
    if not deletion.token_is_valid(token, request.user):
        return render(request, "privacy/link_invalid.html", {"kind": "deletion"}, status=404)
    reason = deletion.refusal(request.user)
    if request.method == "POST" and not reason and request.POST.get("confirm") == "delete":
        deletion.delete_account(request.user, request)
        return redirect("privacy:account_deleted")
    return render(
        request,
        "privacy/confirm_deletion.html",
        {"refusal": reason, "kept": [part.kept for part in parts() if part.kept]},
        status=403 if reason else 200,
    )


def account_deleted(request):
    return render(request, "privacy/account_deleted.html")
