"""The review: who may submit, edit and decide, what each decision changes, and that the author is told."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from lms.roles import RESOURCE_REVIEWERS
from notifications.models import Notification
from resources.choices import Status
from resources.models import Resource, ReviewEvent

from .factories import ResourceFactory, TeacherFactory

pytestmark = pytest.mark.django_db

FORM = {
    "title": "姊妹校視訊交流教案",
    "summary": "兩節課：準備問題、視訊交流、反思。",
    "kind": "lesson_plan",
    "url": "",
    "school_level": "junior_high",
    "subject_domain": "languages",
    "theme": "exchange",
    "language": "zh_en",
    "duration_minutes": "90",
    "licence": "cc-by-nc-sa-4.0",
    "co_author_emails": "",
}


def submitted(author, **fields):
    return ResourceFactory(author=author, status=Status.SUBMITTED, **fields)


def test_a_teacher_submits_a_link_and_reviewers_are_told(client, teacher, reviewer):
    client.force_login(teacher)
    data = {**FORM, "kind": "link", "url": "https://www.ied.edu.tw/", "submit": "1"}
    response = client.post(reverse("resources:create"), data)
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert resource.status == Status.SUBMITTED and resource.author == teacher and resource.submitted_at
    assert list(resource.review_events.values_list("action", flat=True)) == [ReviewEvent.Action.SUBMITTED]
    assert Notification.objects.get(recipient=reviewer).event == "resource_submitted"
    # Not public yet: anonymous visitors and other teachers get nothing.
    client.logout()
    assert client.get(resource.get_absolute_url()).status_code == 404
    client.force_login(TeacherFactory())
    assert client.get(resource.get_absolute_url()).status_code == 404


def test_a_draft_is_saved_without_review(client, teacher, reviewer):
    client.force_login(teacher)
    client.post(reverse("resources:create"), {**FORM, "kind": "video", "url": "https://video.example.org/1"})
    assert Resource.objects.get().status == Status.DRAFT
    assert not Notification.objects.exists()


def test_a_lesson_plan_needs_its_file_and_a_link_its_address(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("resources:create"), {**FORM, "submit": "1"})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    response = client.post(reverse("resources:create"), {**FORM, "kind": "link", "submit": "1"})
    assert "url" in response.context["form"].errors
    assert not Resource.objects.exists()


def test_co_authors_are_named_by_their_addresses(client, teacher):
    colleague = TeacherFactory(email="colleague@school.example.tw")
    client.force_login(teacher)
    data = {**FORM, "kind": "link", "url": "https://example.org", "co_author_emails": "nobody@example.org"}
    response = client.post(reverse("resources:create"), data)
    assert "nobody@example.org" in str(response.context["form"].errors["co_author_emails"])
    data["co_author_emails"] = " Colleague@school.example.tw , author@school.example.tw"
    client.post(reverse("resources:create"), data)
    assert list(Resource.objects.get().co_authors.all()) == [colleague]


def test_the_reviewer_asks_for_changes_the_author_fixes_and_it_is_accepted(
    client, teacher, reviewer, django_capture_on_commit_callbacks
):
    resource = submitted(teacher)
    client.force_login(reviewer)
    queue = client.get(reverse("resources:review_queue"))
    assert resource.title in queue.content.decode()
    # Asking for changes needs a comment.
    response = client.post(reverse("resources:review", args=[resource.pk]), {"action": "changes", "comment": " "})
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    comment = "請補上學習目標與評量方式。"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("resources:review", args=[resource.pk]), {"action": "changes", "comment": comment})
    resource.refresh_from_db()
    assert resource.status == Status.CHANGES_REQUESTED
    notification = Notification.objects.get(recipient=teacher)
    assert notification.event == "resource_changes_requested" and notification.context["reason"] == comment
    assert comment in mail.outbox[-1].body and mail.outbox[-1].to == [teacher.email]

    client.force_login(teacher)
    edit = client.get(reverse("resources:edit", args=[resource.pk]))
    assert comment in edit.content.decode()
    data = {**FORM, "kind": "link", "url": "https://example.org/v2", "title": "修訂後的教案", "submit": "1"}
    client.post(reverse("resources:edit", args=[resource.pk]), data)
    resource.refresh_from_db()
    assert (resource.status, resource.title) == (Status.SUBMITTED, "修訂後的教案")
    # Submitted again: the author can no longer edit it.
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 403

    client.force_login(reviewer)
    client.post(reverse("resources:review", args=[resource.pk]), {"action": "accept", "comment": ""})
    resource.refresh_from_db()
    assert resource.status == Status.ACCEPTED and resource.accepted_at
    assert Notification.objects.filter(recipient=teacher, event="resource_accepted").exists()
    client.logout()
    assert client.get(resource.get_absolute_url()).status_code == 200
    assert resource.title in client.get(reverse("resources:list")).content.decode()
    actions = list(resource.review_events.values_list("action", flat=True))
    assert actions == ["changes_requested", "submitted", "accepted"]


def test_a_declined_resource_stays_private_and_final(client, teacher, reviewer):
    resource = submitted(teacher)
    co_author = TeacherFactory()
    resource.co_authors.add(co_author)
    client.force_login(reviewer)
    reason = "內容與國際教育無關。"
    client.post(reverse("resources:review", args=[resource.pk]), {"action": "decline", "comment": reason})
    resource.refresh_from_db()
    assert resource.status == Status.DECLINED
    for author in (teacher, co_author):
        assert Notification.objects.get(recipient=author).context["reason"] == reason
    client.force_login(teacher)
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 403
    assert client.post(reverse("resources:submit", args=[resource.pk])).status_code == 403
    assert reason in client.get(resource.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(resource.get_absolute_url()).status_code == 404


def test_teachers_cannot_review(client, teacher):
    resource = submitted(TeacherFactory())
    client.force_login(teacher)
    assert client.get(reverse("resources:review_queue")).status_code == 403
    response = client.post(reverse("resources:review", args=[resource.pk]), {"action": "accept"})
    assert response.status_code == 403
    resource.refresh_from_db()
    assert resource.status == Status.SUBMITTED


def test_reviewers_never_decide_on_their_own_resources(client, reviewer):
    own = submitted(reviewer)
    client.force_login(reviewer)
    assert own.title not in client.get(reverse("resources:review_queue")).content.decode()
    client.post(reverse("resources:review", args=[own.pk]), {"action": "accept"})
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED


def test_a_decision_is_taken_once(client, teacher, reviewer):
    resource = submitted(teacher)
    client.force_login(reviewer)
    client.post(reverse("resources:review", args=[resource.pk]), {"action": "accept"})
    response = client.post(reverse("resources:review", args=[resource.pk]), {"action": "decline", "comment": "x"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == Status.ACCEPTED
    assert resource.review_events.filter(action="declined").count() == 0


def test_a_reviewer_without_two_factors_is_held_at_the_set_up_page(client, teacher):
    reviewer = TeacherFactory()
    reviewer.groups.add(Group.objects.get(name=RESOURCE_REVIEWERS))
    client.force_login(reviewer)
    response = client.get(reverse("resources:review_queue"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa_required")


def test_only_authors_edit_and_only_drafts_or_changes_requested(client, teacher):
    resource = ResourceFactory(author=teacher, status=Status.CHANGES_REQUESTED)
    client.force_login(TeacherFactory())
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 403
    assert client.post(reverse("resources:submit", args=[resource.pk])).status_code == 403
    co_author = TeacherFactory()
    resource.co_authors.add(co_author)
    client.force_login(co_author)
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 200
    client.post(reverse("resources:submit", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.status == Status.SUBMITTED
