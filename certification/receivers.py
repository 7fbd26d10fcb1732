"""Where certification's background work is queued: the rooms announce work with signals, and this module (with
``certification.tasks``) is the only place that turns them into tasks, so no room ever imports a task.

Listening to ``courses`` and ``resources``: when a teacher's progress changes or a resource of theirs is
accepted, their eligibility is evaluated again in a task.
When a programme, its required courses or a course page changes, every process reads the programmes again.
Listening to the rooms: a pending certificate is rendered and signed in a task, a bulk issue's items in tasks of
:data:`~certification.admin.bulk.ITEMS_PER_TASK`."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from courses.models import CoursePage
from courses.signals import progress_changed
from resources.signals import resource_accepted

from .admin.bulk import bulk_items_waiting
from .models import CertificationProgramme, ModuleRequirement
from .registry.eligibility import programmes_changed
from .registry.issuing import certificate_pending
from .tasks import issue_bulk_items, reevaluate_teacher, render_and_sign_certificate


@receiver(progress_changed, dispatch_uid="certification.reevaluate_on_progress")
def reevaluate_on_progress(sender, user, **kwargs):
    reevaluate_teacher.enqueue(user.pk)


@receiver(resource_accepted, dispatch_uid="certification.reevaluate_on_resource")
def reevaluate_on_resource(sender, user_ids, **kwargs):
    """A programme may ask for accepted teaching resources: their authors may have become eligible."""
    for user_id in user_ids:
        reevaluate_teacher.enqueue(user_id)


@receiver(certificate_pending, dispatch_uid="certification.render_pending")
def render_pending(sender, certificate_id, **kwargs):
    render_and_sign_certificate.enqueue(certificate_id)


@receiver(bulk_items_waiting, dispatch_uid="certification.issue_bulk_items")
def issue_waiting_items(sender, item_ids, **kwargs):
    issue_bulk_items.enqueue(item_ids)


for changed in (post_save, post_delete):
    for model in (CertificationProgramme, ModuleRequirement, CoursePage):
        changed.connect(programmes_changed, sender=model, dispatch_uid=f"certification.catalogue.{model.__name__}")
m2m_changed.connect(
    programmes_changed, sender=CertificationProgramme.required_courses.through, dispatch_uid="certification.catalogue"
)
