"""Enrolment rules, module and course completion, study hours, the dashboard and the trainer's view."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.choices import Assurance
from courses.enrolment import EnrolmentRefused, enrol, refusal_reason, unenrol
from courses.learner_cache import learner_changed
from courses.models import Enrolment, H5PAttempt, ModulePage, ModuleProgress
from courses.progress import evaluate_module, record_view, study_hours
from courses.signals import progress_changed
from courses.views import spreadsheet_safe
from tests.certification.factories import ProgrammeFactory

from .factories import CoursePageFactory, EnrolmentFactory, ModulePageFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
class TestEnrolment:
    def test_enrol_and_unenrol_keep_progress(self, course, modules, teacher):
        enrol(teacher, course)
        record_view(teacher, modules[0])
        assert unenrol(teacher, course) is True
        assert not modules[0].is_visible_to(teacher)
        enrol(teacher, course)
        enrolment = Enrolment.objects.get(user=teacher)
        assert enrolment.status == Enrolment.Status.ACTIVE and enrolment.progress_percent == 33

    def test_unenrolling_when_not_enrolled(self, course, teacher):
        assert unenrol(teacher, course) is False

    def test_window_not_open_yet_and_closed(self, course, teacher):
        now = timezone.now()
        course.enrolment_opens = now + datetime.timedelta(days=3)
        course.save()
        with pytest.raises(EnrolmentRefused, match="opens"):
            enrol(teacher, course)
        course.enrolment_opens = None
        course.enrolment_closes = now - datetime.timedelta(minutes=1)
        course.save()
        with pytest.raises(EnrolmentRefused, match="closed"):
            enrol(teacher, course)
        assert not Enrolment.objects.exists()

    def test_prerequisites_must_be_completed(self, course, course_index, teacher):
        advanced = CoursePageFactory(parent=course_index, title="進階課程", level="advanced")
        advanced.prerequisites.add(course)
        advanced.save()
        with pytest.raises(EnrolmentRefused, match="國際教育概論"):
            enrol(teacher, advanced)
        EnrolmentFactory(user=teacher, course=course, completed_at=timezone.now())
        assert refusal_reason(teacher, advanced) == ""
        assert enrol(teacher, advanced).course_id == advanced.pk

    def test_views_give_clear_messages(self, client, course, teacher):
        course.enrolment_closes = timezone.now() - datetime.timedelta(days=1)
        course.save()
        client.force_login(teacher)
        response = client.post(reverse("courses:enrol", args=[course.pk]), follow=True)
        assert "closed" in response.content.decode() or "截止" in response.content.decode()
        assert not Enrolment.objects.exists()

    def test_enrol_view_needs_post_and_login(self, client, course, teacher):
        assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 302
        assert not Enrolment.objects.exists()
        client.force_login(teacher)
        assert client.get(reverse("courses:enrol", args=[course.pk])).status_code == 405
        client.post(reverse("courses:enrol", args=[course.pk]), {"next": "https://evil.example/"})
        assert Enrolment.objects.filter(user=teacher).exists()

    def test_enrolment_in_english_counts_for_the_course(self, course, locales, teacher):
        english = course.copy_for_translation(locales["en"], copy_parents=True, alias=False)
        english.save_revision().publish()
        enrolment = enrol(teacher, english)
        assert enrolment.course_id == course.pk


@pytest.mark.django_db
class TestCompletion:
    def test_course_completes_when_every_module_does(
        self, course, modules, teacher, django_capture_on_commit_callbacks
    ):
        EnrolmentFactory(user=teacher, course=course)
        received = []
        progress_changed.connect(lambda sender, user, **kw: received.append(user), weak=False, dispatch_uid="t2")
        try:
            with django_capture_on_commit_callbacks(execute=True):
                for module in modules:
                    record_view(teacher, module)
        finally:
            progress_changed.disconnect(dispatch_uid="t2")
        enrolment = Enrolment.objects.get(user=teacher)
        assert enrolment.progress_percent == 100 and enrolment.completed_at is not None
        # One re-evaluation per completion: the last module's covers the course it completes.
        assert received == [teacher] * 3

    def test_completion_stays_when_a_module_is_added(self, course, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)
        for module in modules:
            record_view(teacher, module)
        ModulePageFactory(parent=course)
        evaluate_module(teacher, modules[0])
        from courses.progress import refresh_enrolment

        enrolment = refresh_enrolment(teacher, course)
        assert enrolment.completed_at is not None and enrolment.progress_percent == 75

    def test_viewing_an_h5p_module_records_it_without_completing(self, course, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)

        def with_rule(rule):
            # An UPDATE: the rule's own validation (it needs an H5P activity in the body) is not what is tested.
            ModulePage.objects.filter(pk=modules[0].pk).update(completion_rule=rule)
            return ModulePage.objects.get(pk=modules[0].pk)

        module = with_rule("h5p_completed")
        first = record_view(teacher, module)
        assert first.pk and first.status == "in_progress" and first.completed_at is None
        assert record_view(teacher, module).pk == first.pk
        assert ModuleProgress.objects.filter(user=teacher).count() == 1
        assert Enrolment.objects.get(user=teacher).progress_percent == 0
        # The module's rule becomes "viewed": the next view completes the row it already has.
        again = record_view(teacher, with_rule("viewed"))
        assert again.pk == first.pk and again.is_completed and again.completed_at is not None
        assert Enrolment.objects.get(user=teacher).progress_percent == 33

    def test_a_view_without_enrolment_counts_nothing(self, course, modules, teacher):
        progress = record_view(teacher, modules[0])
        assert progress.is_completed and not Enrolment.objects.exists()

    def test_h5p_rules_over_every_activity(self, course, teacher):
        from courses.h5p.demo import load_demo_packages

        first, second = list(load_demo_packages().values())[:2]
        module = ModulePageFactory(parent=course)
        module.body = [("h5p", {"package": first, "title": ""}), ("h5p", {"package": second, "title": ""})]
        module.completion_rule = "h5p_passed"
        module.pass_mark = 80
        module.save_revision().publish()
        module.refresh_from_db()
        EnrolmentFactory(user=teacher, course=course)

        def attempt(package, raw, number=1, flagged=False, assurance=Assurance.CHECKED):
            H5PAttempt.objects.create(
                assurance=assurance,
                user=teacher,
                module=module,
                package=package,
                number=number,
                raw_score=raw,
                max_score=5,
                completed=True,
                finished_at=timezone.now(),
                flagged=flagged,
            )

        attempt(first, 5)
        attempt(second, 5, flagged=True)
        assert not evaluate_module(teacher, module).is_completed
        # A full score only the browser vouches for (a type the server cannot re-score) does not pass.
        attempt(second, 5, number=4, assurance=Assurance.REPORTED)
        assert not evaluate_module(teacher, module).is_completed
        attempt(second, 3, number=2)
        progress = evaluate_module(teacher, module)
        assert progress.best_score == 60 and not progress.is_completed
        attempt(second, 4, number=3)
        progress = evaluate_module(teacher, module)
        assert progress.best_score == 80 and progress.is_completed and progress.assurance == Assurance.CHECKED

        module.completion_rule = "h5p_completed"
        module.save()
        assert evaluate_module(teacher, module).is_completed


@pytest.mark.django_db
class TestStudyHours:
    def test_share_of_course_hours_per_completed_module(self, course, modules, teacher, course_index):
        EnrolmentFactory(user=teacher, course=course)
        record_view(teacher, modules[0])
        record_view(teacher, modules[1])
        other = CoursePageFactory(parent=course_index, study_hours=Decimal("4.5"))
        only_module = ModulePageFactory(parent=other)
        EnrolmentFactory(user=teacher, course=other)
        record_view(teacher, only_module)
        hours = study_hours(teacher)
        assert hours.course_hours == Decimal("8.5")  # 6 h × 2/3 + 4.5 h
        assert hours.total == Decimal("8.5")

    def test_unpublished_modules_do_not_count(self, course, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)
        record_view(teacher, modules[0])
        modules[0].unpublish()
        assert study_hours(teacher).course_hours == 0


@pytest.mark.django_db
class TestDashboard:
    @pytest.mark.parametrize(("enrolments", "language"), [(10, "zh-hant"), (50, "zh-hant"), (50, "en")])
    def test_query_count_is_flat(
        self, client, course_index, teacher, enrolments, language, django_assert_max_num_queries
    ):
        courses = []
        for number in range(enrolments):
            course = CoursePageFactory(parent=course_index)
            first = ModulePageFactory(parent=course)
            ModulePageFactory(parent=course)
            EnrolmentFactory(user=teacher, course=course)
            courses.append(course)
            if number % 3 == 0:
                ModuleProgress.objects.create(user=teacher, module=first, course=course, status="completed")
        # The checklist panel reads the programmes and their courses' titles: at national scale every teacher has
        # it, so the budget holds with programmes that require courses and another programme.
        basic = ProgrammeFactory(required_courses=courses[:3], minimum_hours=6)
        ProgrammeFactory(required_courses=courses[3:5], prerequisite=basic, minimum_score=60)
        client.force_login(teacher)
        url = f"/{language}/learning/"
        client.get(url)  # the site's settings row is created on the first visit
        learner_changed(teacher.pk)
        with django_assert_max_num_queries(15):
            cold = client.get(url).content.decode()
        assert cold.count('role="progressbar"') == enrolments
        with django_assert_max_num_queries(6):
            warm = client.get(url).content.decode()
        masked_token = re.compile(r'name="csrfmiddlewaretoken" value="\w+"')
        assert masked_token.sub("", warm) == masked_token.sub("", cold)

    def test_shows_progress_next_module_hours_and_completed(self, client, course, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)
        record_view(teacher, modules[0])
        client.force_login(teacher)
        html = client.get(reverse("courses:dashboard")).content.decode()
        assert "國際教育概論" in html and 'aria-valuenow="33"' in html
        assert f": {modules[1].title}</a>" in html  # the next module
        assert "<strong>2</strong>" in html  # hours: a third of the course's six

    def test_cached_dashboard_follows_progress_and_withdrawal(self, client, course, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)
        client.force_login(teacher)
        url = reverse("courses:dashboard")
        assert 'aria-valuenow="0"' in client.get(url).content.decode()
        record_view(teacher, modules[0])
        assert 'aria-valuenow="33"' in client.get(url).content.decode()
        for module in modules[1:]:
            record_view(teacher, module)
        html = client.get(url).content.decode()
        assert "badge-ok" in html and 'aria-valuenow="' not in html  # completed, out of the in-progress list
        other = CoursePageFactory(parent=course.get_parent(), title="永續發展教育")
        ModulePageFactory(parent=other)
        enrol(teacher, other)
        assert "永續發展教育" in client.get(url).content.decode()
        unenrol(teacher, other)  # an UPDATE, which sends no post_save
        assert "永續發展教育" not in client.get(url).content.decode()

    def test_cached_dashboard_follows_attendance_and_pages(self, client, course, modules, teacher):
        from courses.models import Attendance, TrainingSession

        EnrolmentFactory(user=teacher, course=course)
        client.force_login(teacher)
        url = reverse("courses:dashboard")
        assert "<strong>0</strong>" in client.get(url).content.decode()
        start = timezone.now() - datetime.timedelta(days=1)
        session = TrainingSession.objects.create(
            kind="workshop", title="研習", starts_at=start, ends_at=start + datetime.timedelta(hours=3), hours=3
        )
        Attendance.objects.create(session=session, user=teacher, method="list")
        assert "<strong>3</strong>" in client.get(url).content.decode()
        course.title = "國際教育概論（新版）"
        course.save_revision().publish()
        assert "國際教育概論（新版）" in client.get(url).content.decode()

    def test_one_teacher_never_sees_anothers_dashboard(self, client, course, course_index, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)
        record_view(teacher, modules[0])
        client.force_login(teacher)
        url = reverse("courses:dashboard")
        assert "國際教育概論" in client.get(url).content.decode()
        other = UserFactory(email="other@school.example.tw")
        private = CoursePageFactory(parent=course_index, title="另一位老師的課程")
        EnrolmentFactory(user=other, course=private)
        client.force_login(other)
        html = client.get(url).content.decode()
        assert "另一位老師的課程" in html and "國際教育概論" not in html
        assert "國際教育概論" not in client.get("/en/learning/").content.decode()
        client.force_login(teacher)
        html = client.get(url).content.decode()
        assert "國際教育概論" in html and "另一位老師的課程" not in html

    def test_needs_login(self, client, db):
        assert client.get(reverse("courses:dashboard")).status_code == 302


@pytest.mark.django_db
class TestTrainerView:
    def test_trainer_sees_own_learners_only(self, client, course, course_index, trainer, teacher):
        EnrolmentFactory(user=teacher, course=course)
        other_course = CoursePageFactory(parent=course_index)
        EnrolmentFactory(user=UserFactory(email="secret@school.example.tw"), course=other_course)
        client.force_login(trainer)
        response = client.get(reverse("courses:trainer_learners", args=[course.pk]))
        assert teacher.email in response.content.decode()
        assert client.get(reverse("courses:trainer_learners", args=[other_course.pk])).status_code == 404
        assert client.get(reverse("courses:trainer_learners_csv", args=[other_course.pk])).status_code == 404
        listing = client.get(reverse("courses:trainer_courses")).content.decode()
        assert course.title in listing and other_course.title not in listing

    def test_teacher_is_not_a_trainer(self, client, course, teacher):
        client.force_login(teacher)
        assert client.get(reverse("courses:trainer_courses")).status_code == 403
        assert client.get(reverse("courses:trainer_learners", args=[course.pk])).status_code == 404

    def test_csv_export_streams_and_neutralises_formulas(self, client, course, trainer):
        from accounts.models import TeacherProfile

        evil = UserFactory(email="evil@school.example.tw")
        TeacherProfile.objects.create(user=evil, name_zh="=cmd|' /C calc'!A0", name_en="+SUM(1,2)", school="@school")
        EnrolmentFactory(user=evil, course=course)
        client.force_login(trainer)
        response = client.get(reverse("courses:trainer_learners_csv", args=[course.pk]))
        assert response.streaming
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[1][:4] == ["evil@school.example.tw", "'=cmd|' /C calc'!A0", "'+SUM(1,2)", "'@school"]

    @pytest.mark.parametrize(
        ("value", "safe"), [("=1+1", "'=1+1"), ("-2", "'-2"), ("@a", "'@a"), ("林老師", "林老師"), (None, "")]
    )
    def test_spreadsheet_safe(self, value, safe):
        assert spreadsheet_safe(value) == safe


@pytest.mark.django_db
def test_dashboard_speaks_the_readers_language(client, course, modules, teacher, locales):
    english = course.copy_for_translation(locales["en"], copy_parents=True, alias=False)
    english.title = "Introduction to international education"
    english.save_revision().publish()
    EnrolmentFactory(user=teacher, course=course)
    client.force_login(teacher)
    html = client.get("/en/learning/").content.decode()
    assert "Introduction to international education" in html and "國際教育概論" not in html
    # A module not yet translated is offered in the default language rather than not at all.
    assert "第 1 單元" in html
