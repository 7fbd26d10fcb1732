"""Workshops: registration with a waiting list, and attendance by list, CSV and check-in code."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses import attendance
from courses.models import Attendance, Registration, TrainingSession
from courses.progress import study_hours

from .factories import (
    RegistrationFactory,
    TrainingSessionFactory,
    UserFactory,
    WorkshopIndexPageFactory,
    WorkshopPageFactory,
)


@pytest.fixture
def session(db):
    return TrainingSessionFactory(capacity=2, hours=Decimal("3"))


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
class TestRegistration:
    def test_waiting_list_and_promotion_in_order(self, session):
        first, second, third, fourth = UserFactory.create_batch(4)
        assert attendance.register(session, first).status == Registration.Status.REGISTERED
        assert attendance.register(session, second).status == Registration.Status.REGISTERED
        assert attendance.register(session, third).status == Registration.Status.WAITLISTED
        assert attendance.register(session, fourth).status == Registration.Status.WAITLISTED

        promoted = attendance.cancel_registration(session, first)
        assert promoted.user == third
        statuses = dict(Registration.objects.values_list("user_id", "status"))
        assert statuses == {
            first.pk: "cancelled",
            second.pk: "registered",
            third.pk: "registered",
            fourth.pk: "waitlisted",
        }

    def test_cancelling_a_waiting_place_promotes_nobody(self, session):
        users = UserFactory.create_batch(3)
        for user in users:
            attendance.register(session, user)
        assert attendance.cancel_registration(session, users[2]) is None
        assert Registration.objects.filter(status="registered").count() == 2

    def test_registering_twice_keeps_one_place(self, session):
        user = UserFactory()
        attendance.register(session, user)
        attendance.register(session, user)
        assert Registration.objects.filter(user=user).count() == 1

    def test_re_registering_after_cancelling_goes_to_the_back(self, session):
        a, b, c = UserFactory.create_batch(3)
        for user in (a, b, c):
            attendance.register(session, user)
        attendance.cancel_registration(session, a)  # c is promoted
        assert attendance.register(session, a).status == Registration.Status.WAITLISTED

    def test_a_past_session_is_closed(self, session):
        session.starts_at = timezone.now() - datetime.timedelta(days=2)
        session.ends_at = session.starts_at + datetime.timedelta(hours=2)
        session.save()
        with pytest.raises(attendance.AttendanceError):
            attendance.register(session, UserFactory())

    def test_register_and_cancel_views(self, client, home_page):
        workshop = WorkshopPageFactory(parent=WorkshopIndexPageFactory(parent=home_page), capacity=1)
        user, other = UserFactory.create_batch(2)
        client.force_login(user)
        client.post(reverse("courses:register", args=[workshop.session_id]))
        client.force_login(other)
        client.post(reverse("courses:register", args=[workshop.session_id]))
        assert Registration.objects.get(user=other).status == "waitlisted"
        client.force_login(user)
        client.post(reverse("courses:cancel_registration", args=[workshop.session_id]))
        assert Registration.objects.get(user=other).status == "registered"

    def test_workshop_page_shows_seats(self, client, home_page):
        workshop = WorkshopPageFactory(parent=WorkshopIndexPageFactory(parent=home_page), capacity=5)
        RegistrationFactory(session=workshop.session)
        response = client.get(f"/zh-hant/workshops/{workshop.slug}/")
        assert response.status_code == 200
        assert response.context["seats_left"] == 4


@pytest.mark.django_db
class TestWorkshopSession:
    def test_page_keeps_its_session_in_step(self, home_page):
        workshop = WorkshopPageFactory(parent=WorkshopIndexPageFactory(parent=home_page), hours=Decimal("4"))
        session = workshop.session
        assert session.kind == TrainingSession.Kind.WORKSHOP and session.hours == 4
        workshop.hours = Decimal("5")
        workshop.capacity = 30
        workshop.save()
        session.refresh_from_db()
        assert (session.hours, session.capacity, TrainingSession.objects.count()) == (5, 30, 1)

    def test_a_workshop_needs_a_place_or_a_link(self, home_page):
        from django.core.exceptions import ValidationError

        workshop = WorkshopPageFactory.build(place="", online_url="")
        with pytest.raises(ValidationError):
            workshop.clean()


def csv_upload(text, encoding):
    return SimpleUploadedFile("attendance.csv", text.encode(encoding), content_type="text/csv")


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
class TestAttendanceFromCsv:
    @pytest.fixture
    def people(self, session):
        people = [UserFactory(email="wang@school.example.tw"), UserFactory(email="Lin@School.example.tw")]
        for person in people:
            RegistrationFactory(session=session, user=person)
        return people

    def test_only_registered_participants_are_credited(self, session, people):
        # The tick list refuses strangers; so does the CSV, which reports them instead of recording them.
        UserFactory(email="stranger@school.example.tw")
        cancelled = UserFactory(email="gone@school.example.tw")
        RegistrationFactory(session=session, user=cancelled, status=Registration.Status.CANCELLED)
        text = "email\nwang@school.example.tw\nstranger@school.example.tw\ngone@school.example.tw\n"
        report = attendance.attendance_from_csv(session, csv_upload(text, "utf-8"), by=None)
        assert [user.email for user in report.recorded] == ["wang@school.example.tw"]
        assert [(row.value, row.reason) for row in report.unmatched] == [
            ("stranger@school.example.tw", "not registered for this session"),
            ("gone@school.example.tw", "not registered for this session"),
        ]
        assert list(Attendance.objects.values_list("user__email", flat=True)) == ["wang@school.example.tw"]

    @pytest.mark.parametrize("encoding", ["utf-8-sig", "cp950", "utf-8"])
    def test_encodings_from_excel(self, session, people, encoding):
        text = "姓名,電子郵件\r\n王小明,wang@school.example.tw\r\n林老師,lin@school.example.tw\r\n"
        report = attendance.attendance_from_csv(session, csv_upload(text, encoding), by=None)
        assert {user.email for user in report.recorded} == {"wang@school.example.tw", "Lin@School.example.tw"}
        assert report.unmatched == []
        assert Attendance.objects.filter(session=session, method="csv").count() == 2

    def test_every_unmatched_row_is_reported(self, session, people):
        text = "\n".join(
            [
                "email",
                "wang@school.example.tw",
                "nobody@school.example.tw",
                "not an address",
                "",
                "WANG@school.example.tw",
                '=HYPERLINK("http://evil")',
            ]
        )
        report = attendance.attendance_from_csv(session, csv_upload(text, "utf-8"), by=None)
        assert [u.email for u in report.recorded] == ["wang@school.example.tw"]
        assert [(row.line, row.value) for row in report.unmatched] == [
            (3, "nobody@school.example.tw"),
            (4, "not an address"),
            (6, "WANG@school.example.tw"),
            (7, '=HYPERLINK("http://evil")'),
        ]
        assert report.row_count == 5

    def test_first_column_without_header(self, session, people):
        report = attendance.attendance_from_csv(session, csv_upload("wang@school.example.tw,王\n", "utf-8"), by=None)
        assert len(report.recorded) == 1

    def test_already_recorded_is_not_duplicated(self, session, people):
        attendance.record_attendance(session, people[0], Attendance.Method.LIST, by=None)
        report = attendance.attendance_from_csv(session, csv_upload("wang@school.example.tw", "utf-8"), by=None)
        assert report.already_recorded == [people[0]] and Attendance.objects.count() == 1

    def test_binary_garbage_is_refused_with_a_message(self, session):
        upload = SimpleUploadedFile("x.csv", bytes(range(128, 256)) * 4)
        with pytest.raises(attendance.AttendanceError):
            attendance.attendance_from_csv(session, upload, by=None)
        assert Attendance.objects.count() == 0

    def test_oversize_file_is_refused(self, session):
        upload = SimpleUploadedFile("x.csv", b"a@b.tw\n" * (attendance.CSV_MAX_BYTES // 7 + 10))
        with pytest.raises(attendance.AttendanceError):
            attendance.attendance_from_csv(session, upload, by=None)


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
class TestCheckInCode:
    def test_code_checks_in_until_it_expires(self, session):
        now = timezone.now()
        early, late = UserFactory.create_batch(2)
        for user in (early, late):
            attendance.register(session, user)
        code = attendance.issue_checkin_code(session, minutes=15, now=now)
        assert len(code) == attendance.CHECKIN_CODE_LENGTH
        attendance.check_in(early, code.lower(), now=now + datetime.timedelta(minutes=14))
        with pytest.raises(attendance.AttendanceError, match="expired"):
            attendance.check_in(late, code, now=now + datetime.timedelta(minutes=15, seconds=1))
        assert list(Attendance.objects.values_list("user_id", "method")) == [(early.pk, "code")]

    def test_wrong_code_and_guessing_are_refused(self, session):
        user = UserFactory()
        attendance.issue_checkin_code(session)
        with pytest.raises(attendance.AttendanceError, match="not valid"):
            attendance.check_in(user, "ZZZZZZ")
        for _ in range(attendance.CHECKIN_ATTEMPTS_PER_MINUTE):
            try:
                attendance.check_in(user, "ZZZZZZ")
            except attendance.AttendanceError:
                pass
        with pytest.raises(attendance.AttendanceError, match="Too many"):
            attendance.check_in(user, session.checkin_code)

    def test_a_session_with_registrations_admits_its_registered_participants(self, session):
        registered, waiting, stranger = UserFactory.create_batch(3)
        session.capacity = 1
        session.save()
        attendance.register(session, registered)
        attendance.register(session, waiting)
        code = attendance.issue_checkin_code(session)
        for user in (waiting, stranger):
            with pytest.raises(attendance.AttendanceError, match="not registered"):
                attendance.check_in(user, code)
        attendance.check_in(registered, code)
        assert list(Attendance.objects.values_list("user_id", flat=True)) == [registered.pk]

    def test_a_session_without_registrations_admits_anyone_with_the_code(self, session):
        user = UserFactory()
        attendance.check_in(user, attendance.issue_checkin_code(session))
        assert Attendance.objects.filter(user=user).exists()


@pytest.mark.django_db
class TestAttendanceViews:
    @pytest.fixture
    def workshop(self, course):
        return WorkshopPageFactory(parent=course, capacity=10)

    def test_trainer_ticks_the_list(self, client, workshop, trainer):
        registered = [UserFactory() for _ in range(3)]
        for user in registered:
            attendance.register(workshop.session, user)
        client.force_login(trainer)
        url = reverse("courses:session_attendance", args=[workshop.session_id])
        client.post(url, {"action": "list", "attended": [registered[0].pk, registered[2].pk, "x", UserFactory().pk]})
        assert set(Attendance.objects.values_list("user_id", flat=True)) == {registered[0].pk, registered[2].pk}

    def test_trainer_uploads_a_csv_and_sees_unmatched_rows(self, client, workshop, trainer):
        attendance.register(workshop.session, UserFactory(email="a@school.example.tw"))
        client.force_login(trainer)
        url = reverse("courses:session_attendance", args=[workshop.session_id])
        upload = io.BytesIO("電子郵件\na@school.example.tw\nb@school.example.tw\n".encode("cp950"))
        upload.name = "list.csv"
        response = client.post(url, {"action": "csv", "file": upload})
        assert "b@school.example.tw" in response.content.decode()
        assert response.context["report"].unmatched[0].line == 3

    @pytest.mark.parametrize("who", ["teacher", "other_trainer", "anonymous"])
    def test_others_cannot_record(self, client, workshop, teacher, course_index, who):
        if who == "other_trainer":
            from .factories import CoursePageFactory

            other_course = CoursePageFactory(parent=course_index)
            other = UserFactory()
            other_course.trainers.add(other)
            other_course.save()
            client.force_login(other)
        elif who == "teacher":
            client.force_login(teacher)
        url = reverse("courses:session_attendance", args=[workshop.session_id])
        response = client.post(url, {"action": "code"})
        assert response.status_code in (302, 404)
        if who == "anonymous":
            assert "/accounts/login/" in response["Location"]
        workshop.session.refresh_from_db()
        assert workshop.session.checkin_code == ""

    def test_participant_checks_in_with_the_code(self, client, workshop, trainer, teacher):
        attendance.register(workshop.session, teacher)
        client.force_login(trainer)
        client.post(reverse("courses:session_attendance", args=[workshop.session_id]), {"action": "code"})
        workshop.session.refresh_from_db()
        client.force_login(teacher)
        response = client.post(reverse("courses:check_in"), {"code": workshop.session.checkin_code})
        assert response.status_code == 302
        assert Attendance.objects.get(user=teacher).method == "code"

    def test_attended_hours_count_toward_study_hours(self, workshop, teacher):
        attendance.record_attendance(workshop.session, teacher, Attendance.Method.LIST, by=None)
        assert study_hours(teacher).attended_hours == Decimal("3")
