"""Who takes part in a course's Q&A: its enrolled learners ask and reply, its trainers moderate and mark answers.

The board hangs on the course in the default language, where enrolments are kept (see ``canonical``).
"""

from discussions.access import Access, register_policy

from .models import CoursePage, Enrolment
from .models.pages import canonical


def course_access(page: CoursePage, user) -> Access:
    trainer = user.is_superuser or page.trainers.filter(pk=user.pk).exists()
    enrolled = trainer or Enrolment.objects.filter(user=user, course=page, status=Enrolment.Status.ACTIVE).exists()
    return Access(read=enrolled, post=enrolled, moderate=trainer, answers=True)


def course_moderators(page: CoursePage):
    return page.trainers.all()


def register():
    register_policy(CoursePage, access=course_access, moderators=course_moderators, home=canonical)
