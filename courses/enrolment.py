"""Enrolling in and leaving courses, with the course's rules enforced and a reason given for every refusal."""

from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .learner_cache import learner_changed
from .models import CoursePage, Enrolment
from .models.pages import canonical


class EnrolmentRefused(Exception):
    """A teacher may not enrol (yet); ``str(error)`` tells them why in a sentence."""


def missing_prerequisites(user, course):
    """The prerequisite courses of ``course`` that ``user`` has not completed, in the language they were linked."""
    prerequisites = list(canonical(course).prerequisites.all())
    if not prerequisites:
        return []
    completed_keys = set(
        Enrolment.objects.filter(
            user=user,
            course__translation_key__in=[p.translation_key for p in prerequisites],
            completed_at__isnull=False,
        ).values_list("course__translation_key", flat=True)
    )
    return [p for p in prerequisites if p.translation_key not in completed_keys]


def passes_view_restrictions(user, page) -> bool:
    """Whether ``user`` may see ``page`` under its view restrictions and its ancestors' (Wagtail's own check).

    Outside a request there is no browser session, so a shared-password restriction, which only a session can
    have passed, keeps everyone out: enrolling and posting statements need the page to be open to the person.
    """
    outside_a_request = SimpleNamespace(user=user, session={})
    return all(restriction.accept_request(outside_a_request) for restriction in page.get_view_restrictions())


def refusal_reason(user, course, now=None):
    """Why ``user`` cannot enrol in ``course`` now, or ``""`` when they can."""
    now = now or timezone.now()
    course = canonical(course)
    if not course.live:
        return _("This course is not open.")
    if not passes_view_restrictions(user, course):
        return _("This course is open only to some groups of teachers.")
    if course.enrolment_opens and now < course.enrolment_opens:
        return _("Enrolment opens on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(course.enrolment_opens), "DATETIME_FORMAT")
        }
    if course.enrolment_closes and now >= course.enrolment_closes:
        return _("Enrolment closed on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(course.enrolment_closes), "DATETIME_FORMAT")
        }
    missing = missing_prerequisites(user, course)
    if missing:
        return _("Complete these courses first: %(courses)s.") % {"courses": "、".join(p.title for p in missing)}
    return ""


def enrol(user, course: CoursePage, now=None) -> Enrolment:
    """Enrol ``user`` in ``course`` (any language version), or re-activate a withdrawn enrolment.

    Raises ``EnrolmentRefused`` when the window is closed or prerequisites are missing.
    """
    course = canonical(course)
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing and existing.status == Enrolment.Status.ACTIVE:
        return existing
    reason = refusal_reason(user, course, now)
    if reason:
        raise EnrolmentRefused(reason)
    if existing:
        existing.status = Enrolment.Status.ACTIVE
        existing.save(update_fields=["status"])
        return existing
    try:
        with transaction.atomic():
            return Enrolment.objects.create(user=user, course=course)
    except IntegrityError:
        # A double click enrolled them in a parallel request: that enrolment is the one.
        return Enrolment.objects.get(user=user, course=course)


def unenrol(user, course: CoursePage) -> bool:
    """Withdraw ``user`` from ``course``; their progress is kept should they come back. False if not enrolled."""
    updated = Enrolment.objects.filter(user=user, course=canonical(course), status=Enrolment.Status.ACTIVE).update(
        status=Enrolment.Status.WITHDRAWN
    )
    if updated:
        learner_changed(user.pk)  # an UPDATE sends no post_save
    return bool(updated)
