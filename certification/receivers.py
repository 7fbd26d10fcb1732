"""Listening to ``courses``: when a teacher's progress changes, their eligibility is evaluated again in a task."""

from django.dispatch import receiver

from courses.signals import progress_changed

from .tasks import reevaluate_teacher


@receiver(progress_changed, dispatch_uid="certification.reevaluate_on_progress")
def reevaluate_on_progress(sender, user, **kwargs):
    reevaluate_teacher.enqueue(user.pk)
