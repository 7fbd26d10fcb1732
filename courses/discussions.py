"""Who takes part in a course's Q&A: its enrolled learners ask and reply, its trainers moderate and mark answers.

The board hangs on the course in the default language, where enrolments are kept (see ``canonical``).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from discussions.access import Access, register_policy

from .models import CoursePage, Enrolment
from .models.pages import canonical


def course_access(page: CoursePage, user) -> Access:
    trainer = user.is_superuser or page.trainers.filter(pk=user.pk).exists()
    enrolled = trainer or Enrolment.objects.filter(user=user, course=page, status=Enrolment.Status.ACTIVE).exists()
    return Access(read=enrolled, post=enrolled, moderate=trainer, answers=True)


def course_moderators(page: CoursePage):
    return page.trainers.all()


def course_members(page: CoursePage):
    return (
        get_user_model()
        .objects.filter(
            Q(enrolments__course=page, enrolments__status=Enrolment.Status.ACTIVE) | Q(trained_courses=page)
        )
        .distinct()
    )


def register():
    register_policy(
        CoursePage, access=course_access, moderators=course_moderators, home=canonical, members=course_members
    )
