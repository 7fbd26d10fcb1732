"""Where privacy's background work is queued, and where sign-ins are noted for the person's own history."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from core.network import client_address

from .export import export_requested
from .models import SignIn
from .tasks import build_data_export


@receiver(export_requested, dispatch_uid="privacy.build_export")
def build_requested_export(sender, export_id, **kwargs):
    build_data_export.enqueue(export_id)


@receiver(user_logged_in, dispatch_uid="privacy.note_sign_in")
def note_sign_in(sender, request, user, **kwargs):
    SignIn.objects.create(
        user=user,
        ip_address=client_address(request) if request is not None else "",
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
    )
