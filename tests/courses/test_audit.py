"""Attendance recorded by organisers, and trainers opening or downloading their learners' records, are audited."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import Action, AuditEntry
from courses import attendance
from courses.models import Attendance

from .factories import RegistrationFactory, TrainingSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_attendance_ticked_by_an_organiser_is_audited_and_a_check_in_is_not(client):
    session = TrainingSessionFactory(capacity=5, hours=Decimal("3"))
    organiser = UserFactory(email="organiser@school.example.tw")
    ticked, checked_in = UserFactory(), UserFactory()
    for person in (ticked, checked_in):
        RegistrationFactory(session=session, user=person)
    assert attendance.attendance_from_list(session, [ticked.pk], organiser) == 1
    attendance.record_attendance(session, checked_in, Attendance.Method.CODE)
    entry = AuditEntry.objects.get(action=Action.ATTENDANCE_CHANGED)
    assert entry.actor == organiser
    assert entry.target_id == str(Attendance.objects.get(user=ticked).pk)
    assert entry.changes == {"attended": [False, True], "method": "list", "session": session.pk}
    # Ticking again changes nothing and writes nothing.
    assert attendance.attendance_from_list(session, [ticked.pk], organiser) == 0
    assert AuditEntry.objects.filter(action=Action.ATTENDANCE_CHANGED).count() == 1


def test_a_trainer_opening_and_downloading_the_learners_is_audited(client, course, trainer):
    client.force_login(trainer)
    assert client.get(reverse("courses:trainer_learners", args=[course.pk])).status_code == 200
    opened = AuditEntry.objects.get(action=Action.LEARNER_RECORD_VIEWED)
    assert opened.actor == trainer and opened.target_id == str(course.pk) and opened.ip_address == "127.0.0.1"
    assert client.get(reverse("courses:trainer_learners_csv", args=[course.pk])).status_code == 200
    exported = AuditEntry.objects.get(action=Action.DATA_EXPORTED)
    assert exported.target_label == f"course-{course.pk}-learners.csv"


def test_someone_who_trains_nothing_leaves_no_row(client, course):
    client.force_login(UserFactory())
    client.get(reverse("courses:trainer_learners", args=[course.pk]))
    assert not AuditEntry.objects.filter(action=Action.LEARNER_RECORD_VIEWED).exists()
