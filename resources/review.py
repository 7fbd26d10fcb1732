"""The review of a teaching resource: who may do what at each status, and what each step changes and tells.

draft ──submit──► submitted ──accept──► accepted (public)
  ▲                   │  └────decline──► declined (final, with a reason)
  └── changes requested ◄──ask for changes (with comments)
      (the author edits, then submits again)

Our own queue rather than a Wagtail workflow: a resource is not a page, its authors are teachers who never enter
the admin, and "ask for changes" and "decline" are two different outcomes here, each with its own message, where
a Wagtail task knows only approve and reject. Reviewers are the ``Resource reviewers`` group (the
``resources.review_resource`` permission), which counts as privileged: they sign in with two factors.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import notify

from .choices import Status
from .models import Resource, ReviewEvent
from .signals import announce_acceptance

REVIEW_PERMISSION = "resources.review_resource"
EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED)


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.has_perm(REVIEW_PERMISSION)


def is_author(user, resource: Resource) -> bool:
    if not user.is_authenticated:
        return False
    return resource.author_id == user.pk or resource.co_authors.filter(pk=user.pk).exists()


def can_view(user, resource: Resource) -> bool:
    return resource.is_public or is_author(user, resource) or is_reviewer(user)


def can_edit(user, resource: Resource) -> bool:
    return resource.status in EDITABLE and is_author(user, resource)


def can_review(user, resource: Resource) -> bool:
    """Reviewers decide on submitted resources, never on their own."""
    return resource.status == Status.SUBMITTED and is_reviewer(user) and not is_author(user, resource)


def reviewers():
    permission = Permission.objects.filter(codename="review_resource", content_type__app_label="resources")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission) | Q(is_superuser=True))
        .distinct()
    )


def _subject(resource):
    return {"subject": resource.title}


@transaction.atomic
def submit(resource: Resource, user) -> None:
    if not can_edit(user, resource):
        raise PermissionDenied
    resource.status = Status.SUBMITTED
    resource.submitted_at = timezone.now()
    resource.save(update_fields=["status", "submitted_at", "updated_at"])
    ReviewEvent.objects.create(resource=resource, actor=user, action=ReviewEvent.Action.SUBMITTED)
    url = reverse("resources:review", args=[resource.pk])
    for reviewer in reviewers().exclude(pk=resource.author_id):
        notify(reviewer, "resource_submitted", url=url, context={**_subject(resource), "actor": user.display_name})


def _decide(resource, reviewer, action, status, comment, event):
    if not can_review(reviewer, resource):
        raise PermissionDenied
    resource.status = status
    fields = ["status", "updated_at"]
    if status == Status.ACCEPTED:
        resource.accepted_at = timezone.now()
        fields.append("accepted_at")
    resource.save(update_fields=fields)
    ReviewEvent.objects.create(resource=resource, actor=reviewer, action=action, comment=comment)
    url = reverse("resources:detail", args=[resource.pk])
    for author in [resource.author, *resource.co_authors.all()]:
        notify(author, event, url=url, context={**_subject(resource), "reason": comment})


@transaction.atomic
def accept(resource: Resource, reviewer, comment: str = "") -> None:
    _decide(resource, reviewer, ReviewEvent.Action.ACCEPTED, Status.ACCEPTED, comment, "resource_accepted")
    announce_acceptance(resource)


@transaction.atomic
def request_changes(resource: Resource, reviewer, comment: str) -> None:
    _decide(
        resource,
        reviewer,
        ReviewEvent.Action.CHANGES_REQUESTED,
        Status.CHANGES_REQUESTED,
        comment,
        "resource_changes_requested",
    )


@transaction.atomic
def decline(resource: Resource, reviewer, reason: str) -> None:
    _decide(resource, reviewer, ReviewEvent.Action.DECLINED, Status.DECLINED, reason, "resource_declined")
