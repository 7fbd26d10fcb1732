"""Asking for feedback: an attendee of a session, or a learner who completes a course, that has a questionnaire is
told it is waiting for them (once)."""

from django.db import transaction
from django.db.models.signals import post_save

from courses.models import Attendance, Enrolment
from notifications.delivery import notify
from notifications.models import Notification

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


def ask_completer(sender, instance: Enrolment, created, raw=False, **kwargs):
    # An enrolment is saved again and again as progress is made; only a completed one with a questionnaire asks.
    if raw or instance.completed_at is None:
        return
    survey = Survey.objects.filter(course_id=instance.course_id).select_related("course").first()
    if survey is None:
        return
    url = f"/feedback/{survey.pk}/"
    if Notification.objects.filter(recipient_id=instance.user_id, event="feedback_requested", url=url).exists():
        return
    transaction.on_commit(
        lambda: notify(
            instance.user,
            "feedback_requested",
            url=url,
            context={"subject": survey.course.title},
        )
    )


def connect():
    post_save.connect(ask_attendee, sender=Attendance, dispatch_uid="feedback.ask-attendee")
    post_save.connect(ask_completer, sender=Enrolment, dispatch_uid="feedback.ask-completer")
