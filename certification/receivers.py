"""Listening to ``courses``: when a teacher's progress changes, their eligibility is evaluated again in a task.
When a programme, its required courses or a course page changes, every process reads the programmes again."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from courses.models import CoursePage
from courses.signals import progress_changed

from .eligibility import programmes_changed
from .models import CertificationProgramme, ModuleRequirement
from .tasks import reevaluate_teacher


@receiver(progress_changed, dispatch_uid="certification.reevaluate_on_progress")
def reevaluate_on_progress(sender, user, **kwargs):
    reevaluate_teacher.enqueue(user.pk)


for changed in (post_save, post_delete):
    for model in (CertificationProgramme, ModuleRequirement, CoursePage):
        changed.connect(programmes_changed, sender=model, dispatch_uid=f"certification.catalogue.{model.__name__}")
m2m_changed.connect(
    programmes_changed, sender=CertificationProgramme.required_courses.through, dispatch_uid="certification.catalogue"
)
