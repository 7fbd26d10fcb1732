"""Contact requests from signed-in teachers to experts: kept, rate-limited per sender, delivered by e-mail."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .models import ContactRequest

REQUESTS_PER_DAY = 5


class ContactLimitReached(Exception):
    """The sender has sent as many contact requests as a day allows."""


def contact_address(expert):
    return expert.email or (expert.user.email if expert.user_id else "")


def send_contact_request(sender, expert, message):
    """Store the request and queue its e-mail, unless the sender reached today's limit."""
    with transaction.atomic():
        # Locking the sender's row serialises their concurrent requests, so the limit cannot be overrun by a race.
        get_user_model().objects.select_for_update().filter(pk=sender.pk).exists()
        since = timezone.now() - timedelta(days=1)
        if ContactRequest.objects.filter(sender=sender, created_at__gte=since).count() >= REQUESTS_PER_DAY:
            raise ContactLimitReached
        contact_request = ContactRequest.objects.create(sender=sender, expert=expert, message=message)
    deliver_contact_request.enqueue(contact_request.pk)
    return contact_request


@task()
def deliver_contact_request(contact_request_id):
    contact_request = ContactRequest.objects.select_related("sender__teacher_profile", "expert__user").get(
        pk=contact_request_id
    )
    expert = contact_request.expert
    sender = contact_request.sender
    context = {"expert": expert, "sender": sender, "message": contact_request.message}
    # Both languages in one message: we do not know which one the expert reads first.
    parts = []
    for language in ["zh-hant", "en"]:
        with translation.override(language):
            parts.append(render_to_string("community/email/contact_request.txt", context))
    with translation.override("zh-hant"):
        subject = render_to_string("community/email/contact_request_subject.txt", context).strip()
    EmailMessage(
        subject=subject,
        body="\n\n".join(parts),
        to=[contact_address(expert)],
        reply_to=[sender.email],
    ).send()
