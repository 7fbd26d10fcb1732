"""Asking for feedback: an attendee of a session that has a questionnaire is told it is waiting for them."""

from django.db import transaction
from django.db.models.signals import post_save

from courses.models import Attendance
from notifications.delivery import notify

from .models import Survey


def ask_attendee(sender, instance: Attendance, created, raw=False, **kwargs):
    if not created or raw:
        return
    survey = Survey.objects.filter(session_id=instance.session_id).select_related("session").first()
    if survey is None:
        return
    transaction.on_commit(
        lambda: notify(
            instance.user,
            "feedback_requested",
            url=f"/feedback/{survey.pk}/",
            context={"subject": survey.session.title},
        )
    )


def connect():
    post_save.connect(ask_attendee, sender=Attendance, dispatch_uid="feedback.ask-attendee")
