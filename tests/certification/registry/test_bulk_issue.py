"""Bulk issue by batches: a task issues many items, each on its own, and reads what they share once."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.admin.bulk import ITEMS_PER_TASK, issue_items, start_bulk_issue
from certification.models import BulkIssue, BulkIssueItem, Certificate
from certification.registry.issuing import certificate_file_name, issue_certificate
from notifications.models import Notification
from tests.certification.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def items_of(batch) -> list[int]:
    return list(BulkIssueItem.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))


def test_a_bulk_issue_enqueues_one_task_per_batch_of_items(settings, programme, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    teachers = TeacherFactory.create_batch(ITEMS_PER_TASK + 3)
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_bulk_issue(programme, by=None, users=teachers, emails=["nobody@example.invalid"])
    enqueued = [result.args[0] for result in default_task_backend.results]
    assert [len(chunk) for chunk in enqueued] == [ITEMS_PER_TASK, 3]
    waiting = BulkIssueItem.objects.filter(batch=batch, status=BulkIssueItem.Status.WAITING)
    assert sorted(pk for chunk in enqueued for pk in chunk) == sorted(waiting.values_list("pk", flat=True))
    assert batch.progress() == {"issued": 0, "failed": 1, "left": ITEMS_PER_TASK + 3, "total": ITEMS_PER_TASK + 4}


def test_a_batch_issues_every_item_and_refuses_one_without_a_name(
    settings, programme, platform_pki, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    teachers = TeacherFactory.create_batch(4)
    nameless = TeacherFactory(profile__name_zh="", profile__name_en="")
    batch = start_bulk_issue(programme, by=None, users=[*teachers, nameless])

    with django_capture_on_commit_callbacks(execute=True):
        assert issue_items(items_of(batch)) == {"waiting": 0, "issued": 4, "failed": 1}

    issued = BulkIssueItem.objects.filter(batch=batch, status=BulkIssueItem.Status.ISSUED).select_related(
        "certificate"
    )
    assert sorted(item.user_id for item in issued) == sorted(teacher.pk for teacher in teachers)
    assert all(item.certificate.status == Certificate.Status.ISSUED and item.certificate.pdf for item in issued)
    refused = BulkIssueItem.objects.get(batch=batch, user=nameless)
    assert refused.status == BulkIssueItem.Status.FAILED and nameless.email in refused.message
    assert not Certificate.objects.filter(user=nameless).exists()
    # The certificates were completed in this process: no rendering task waits for them; each holder is told.
    from django_tasks import default_task_backend

    assert not [result for result in default_task_backend.results if "render" in result.task.name]
    # The e-mail goes through the notification centre, by the workers (here: queued, not run).
    emails = [result.args[0] for result in default_task_backend.results if "notification_email" in result.task.name]
    told = Notification.objects.filter(pk__in=emails, event="certificate_issued").values_list("recipient", flat=True)
    assert sorted(told) == sorted(teacher.pk for teacher in teachers)


def test_running_a_batch_again_issues_nothing_twice(settings, programme, platform_pki):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    batch = start_bulk_issue(programme, by=None, users=TeacherFactory.create_batch(3))
    issue_items(items_of(batch))
    serials = sorted(Certificate.objects.filter(programme=programme).values_list("serial", flat=True))

    assert issue_items(items_of(batch)) == {"waiting": 0, "issued": 0, "failed": 0}
    assert sorted(Certificate.objects.filter(programme=programme).values_list("serial", flat=True)) == serials


def test_a_teacher_who_already_holds_the_certificate_gets_no_second_one(settings, programme, teacher, issue):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    held = issue(teacher, programme)
    batch = start_bulk_issue(programme, by=None, users=[teacher])

    issue_items(items_of(batch))

    item = BulkIssueItem.objects.get(batch=batch)
    assert item.status == BulkIssueItem.Status.ISSUED and item.certificate == held
    assert held.serial in item.message
    assert Certificate.objects.filter(user=teacher, programme=programme).count() == 1


def test_one_item_that_fails_leaves_the_others_issued_and_a_retry_completes_it(settings, programme, platform_pki):
    """A hostile storage: a folder sits where one certificate's PDF must go. That item stays waiting with its
    pending certificate (and serial); the others are issued; once the folder is gone, running the batch again
    completes it with the same serial, and nothing is issued twice."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    teachers = TeacherFactory.create_batch(3)
    blocked = issue_certificate(teachers[1], programme, origin=Certificate.Origin.BULK, render_later=False)
    folder = Path(default_storage.path(certificate_file_name(blocked)))
    (folder / "in-the-way").mkdir(parents=True)
    batch = start_bulk_issue(programme, by=None, users=teachers)

    assert issue_items(items_of(batch)) == {"waiting": 1, "issued": 2, "failed": 0}
    stuck = BulkIssueItem.objects.get(batch=batch, user=teachers[1])
    assert stuck.status == BulkIssueItem.Status.WAITING and stuck.certificate is None
    blocked.refresh_from_db()
    assert blocked.status == Certificate.Status.PENDING and not blocked.pdf

    (folder / "in-the-way").rmdir()
    folder.rmdir()
    assert issue_items(items_of(batch)) == {"waiting": 0, "issued": 1, "failed": 0}
    stuck.refresh_from_db()
    assert stuck.certificate_id == blocked.pk
    assert stuck.certificate.status == Certificate.Status.ISSUED and stuck.certificate.serial == blocked.serial
    assert Certificate.objects.filter(programme=programme).count() == 3
    assert BulkIssue.objects.get(pk=batch.pk).progress() == {"issued": 3, "failed": 0, "left": 0, "total": 3}


def test_what_items_share_is_read_once_per_batch(settings, programme, courses, platform_pki):
    """The teachers' records, profiles, the programme's courses and the organisation are read once for the whole
    batch; per certificate, only its own rows are written."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    programme.required_courses.set(courses)
    batch = start_bulk_issue(programme, by=None, users=TeacherFactory.create_batch(6))

    with CaptureQueriesContext(connection) as queries:
        issue_items(items_of(batch))

    statements = [query["sql"] for query in queries.captured_queries]

    def reads_of(table):
        """Statements that read ``table``, however the reading code joins or unites it with others."""
        return sum(
            f'"{table}"' in statement and not statement.startswith(("INSERT", "UPDATE")) for statement in statements
        )

    assert reads_of("courses_enrolment") == 1
    assert reads_of("accounts_teacherprofile") == 1
    assert reads_of("home_organisationsettings") <= 1
    assert reads_of("certification_certificationprogramme_required_courses") <= 1
    assert not [statement for statement in statements if "django_tasks" in statement]
    # Per item: its certificate's rows (6), its transparency-log leaf with the subtree hashes it completes, and its
    # audit row; nothing that grows with the batch.
    assert len(statements) <= 12 + 10 * 18


def test_issuing_queues_no_reference_index_task(
    settings, programme, teacher, platform_pki, django_capture_on_commit_callbacks
):
    """Wagtail indexes the references of models with an admin viewset by a task per save; certificates are left
    out, or a bulk issue of 10,000 would leave 20,000 tasks for the workers."""
    from django_tasks import default_task_backend
    from wagtail.models import ReferenceIndex

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    batch = start_bulk_issue(programme, by=None, users=[teacher])
    with django_capture_on_commit_callbacks(execute=True):
        issue_items(items_of(batch))

    assert not ReferenceIndex.model_is_indexable(Certificate)
    assert Certificate.objects.get(user=teacher).status == Certificate.Status.ISSUED
    assert not [result for result in default_task_backend.results if "reference_index" in result.task.module_path]
