"""SCORM's run-time frames and commit endpoint: real packages, real tokens, real progress; forged, foreign,
malformed or excessive commits refused with nothing stored."""

import csv
import html
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from courses.choices import Assurance
from courses.models import Enrolment, ModuleProgress, ScormPackage, ScormTrack
from courses.scorm.demo import build_demo_package
from courses.scorm.tracking import seconds_of

from .factories import EnrolmentFactory, ModulePageFactory, UserFactory
from .scorm_packages import REAL_SCORM_DIR, build_scorm, needs_real_scorm

CONTENT = "content.example.tw"
FRAME_SRC = re.compile(r'<iframe[^>]*data-scorm-frame src="([^"]+)" sandbox="([^"]*)"')
COMMIT_URL = "/zh-hant/learning/scorm/commit/"


@pytest.fixture(autouse=True)
def content_origin(settings):
    settings.CONTENT_ORIGIN = f"https://{CONTENT}"


@pytest.fixture
def package(db):
    return ScormPackage.from_upload(ContentFile(build_demo_package(), name="demo.zip"))


def module_with(course, package, rule="scorm_passed", pass_mark=80):
    module = ModulePageFactory(parent=course, pass_mark=pass_mark)
    module.body = [("scorm", {"package": package, "title": ""})]
    module.completion_rule = rule
    module.save_revision().publish()
    module.refresh_from_db()
    return module


@pytest.fixture
def module(course, package):
    return module_with(course, package)


@pytest.fixture
def learner(course):
    learner = UserFactory(email="learner@school.example.tw")
    EnrolmentFactory(user=learner, course=course)
    return learner


def client_for(user):
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def commit(user, module, package, cmi, sco="goals_item", client=None, attempt=None):
    client = client or client_for(user)
    body = {"module_id": module.pk, "package_id": package.pk, "sco": sco, "cmi": cmi}
    if attempt is not None:
        body["attempt"] = attempt
    return client.post(COMMIT_URL, json.dumps(body), content_type="application/json")


def cmi12(status="incomplete", raw="", location="", suspend="", total="0000:00:00", session="00:00:10"):
    """What scorm-again's renderCommitCMI gives for SCORM 1.2."""
    return {
        "cmi": {
            "core": {
                "student_id": "forged",
                "lesson_status": status,
                "lesson_location": location,
                "score": {"raw": raw, "min": "0", "max": "100"},
                "total_time": total,
                "session_time": session,
            },
            "suspend_data": suspend,
            "interactions": {"childArray": []},
        }
    }


def frame_path(module, user):
    page = client_for(user).get(module.url).content.decode()
    found = FRAME_SRC.search(page)
    assert found, "no SCORM frame on the page"
    assert found.group(2) == "allow-scripts allow-same-origin allow-forms allow-modals"
    assert found.group(1).startswith(f"https://{CONTENT}/scorm-content/")
    return urlsplit(html.unescape(found.group(1))).path


def frame(module, user):
    return Client().get(frame_path(module, user), headers={"host": CONTENT}, secure=True)


def frame_config(response):
    found = re.search(
        r'<script id="scorm-frame-config" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(found.group(1))


# Commits.


def test_commit_stores_the_learners_cmi_data(module, package, learner):
    response = commit(learner, module, package, cmi12(location="2", suspend="answer=3"))
    assert response.status_code == 200, response.content
    track = ScormTrack.objects.get(user=learner, sco="goals_item")
    assert (track.module_id, track.package_id, track.attempt) == (module.pk, package.pk, 1)
    assert track.completion_status == "incomplete" and track.location == "2" and track.suspend_data == "answer=3"
    assert track.total_seconds == 10
    # The browser's claim of who the learner is changes nothing: the row is the session's user's.
    assert track.user == learner


def test_passing_completes_the_module_at_the_reported_level_and_updates_the_enrolment(
    module, package, learner, course
):
    commit(learner, module, package, cmi12(status="passed", raw="100"))
    progress = ModuleProgress.objects.get(user=learner, module=module)
    assert progress.is_completed and progress.assurance == Assurance.REPORTED
    assert progress.best_score == 100
    assert Enrolment.objects.get(user=learner, course=course).progress_percent > 0


def test_a_lower_score_reported_later_keeps_the_best(module, package, learner):
    """A SCO's commit replaces its data (the quiz taken again in the same attempt): the module keeps the best."""
    commit(learner, module, package, cmi12(status="passed", raw="90"))
    commit(learner, module, package, cmi12(status="failed", raw="40"))
    assert ScormTrack.objects.get(user=learner).score_raw == 40
    progress = ModuleProgress.objects.get(user=learner, module=module)
    assert progress.best_score == 90 and progress.is_completed


def test_failing_does_not_complete_a_passed_rule(module, package, learner):
    commit(learner, module, package, cmi12(status="failed", raw="0"))
    progress = ModuleProgress.objects.filter(user=learner, module=module).first()
    assert progress is not None and not progress.is_completed and progress.best_score == 0


def test_score_rule_needs_the_pass_mark(course, package, learner):
    module = module_with(course, package, rule="scorm_score", pass_mark=80)
    commit(learner, module, package, cmi12(status="completed", raw="70"))
    assert not ModuleProgress.objects.get(user=learner, module=module).is_completed
    commit(learner, module, package, cmi12(status="completed", raw="85"))
    assert ModuleProgress.objects.get(user=learner, module=module).is_completed


def test_completed_rule(course, package, learner):
    module = module_with(course, package, rule="scorm_completed")
    commit(learner, module, package, cmi12(status="incomplete"))
    assert not ModuleProgress.objects.filter(user=learner, module=module, status="completed").exists()
    commit(learner, module, package, cmi12(status="completed"))
    assert ModuleProgress.objects.get(user=learner, module=module).is_completed


def test_scorm_2004_data_is_read_as_2004(course, learner):
    package = ScormPackage.from_upload(ContentFile(build_scorm(version="2004 4th Edition"), name="x.zip"))
    module = module_with(course, package, rule="scorm_passed")
    cmi = {
        "cmi": {
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": "0.9", "raw": "9", "min": "0", "max": "10"},
            "location": "page-3",
            "suspend_data": "state",
            "session_time": "PT1M30S",
            "total_time": "PT1H",
            "interactions": {"childArray": [{"id": "q1", "type": "choice", "result": "correct"}]},
        }
    }
    commit(learner, module, package, cmi, sco="one")
    commit(learner, module, package, cmi, sco="two")
    track = ScormTrack.objects.get(user=learner, sco="one")
    assert (track.success_status, track.location, track.total_seconds) == ("passed", "page-3", 3600)
    assert float(track.percent) == 90.0 and track.interactions[0]["id"] == "q1"
    assert ModuleProgress.objects.get(user=learner, module=module).is_completed


def test_multi_sco_module_completes_only_when_every_sco_does(course, learner):
    package = ScormPackage.from_upload(ContentFile(build_scorm(), name="two.zip"))
    module = module_with(course, package, rule="scorm_completed")
    commit(learner, module, package, cmi12(status="completed"), sco="one")
    assert not ModuleProgress.objects.get(user=learner, module=module).is_completed
    commit(learner, module, package, cmi12(status="completed"), sco="two")
    assert ModuleProgress.objects.get(user=learner, module=module).is_completed


def test_commit_costs_a_bounded_number_of_queries(module, package, learner, django_assert_max_num_queries):
    client = client_for(learner)
    commit(learner, module, package, cmi12(location="1"), client=client)
    with django_assert_max_num_queries(8):
        response = commit(learner, module, package, cmi12(location="2", suspend="x" * 1000), client=client)
    assert response.status_code == 200


def test_a_scored_commit_costs_a_bounded_number_of_queries(module, package, learner, django_assert_max_num_queries):
    """The commit that changes the result re-derives the module's progress; the ones repeating it do not."""
    client = client_for(learner)
    commit(learner, module, package, cmi12(location="1"), client=client)
    with django_assert_max_num_queries(18):
        response = commit(learner, module, package, cmi12(status="passed", raw="90", location="2"), client=client)
    assert response.json()["completed"] and ModuleProgress.objects.get(user=learner).is_completed
    with django_assert_max_num_queries(7):
        response = commit(learner, module, package, cmi12(status="passed", raw="90", location="3"), client=client)
    assert response.status_code == 200 and ScormTrack.objects.get(user=learner).location == "3"


def test_not_enrolled_is_refused(module, package, teacher):
    response = commit(teacher, module, package, cmi12(status="passed", raw="100"))
    assert response.status_code == 403
    assert not ScormTrack.objects.exists()


def test_package_not_in_the_module_is_refused(course, module, learner):
    other = ScormPackage.from_upload(ContentFile(build_scorm(), name="other.zip"))
    response = commit(learner, module, other, cmi12(), sco="one")
    assert response.status_code == 404
    assert not ScormTrack.objects.exists()


def test_unknown_sco_is_refused(module, package, learner):
    assert commit(learner, module, package, cmi12(), sco="not_a_sco").status_code == 404
    assert commit(learner, module, package, cmi12(), sco="../../x").status_code == 400
    assert not ScormTrack.objects.exists()


@pytest.mark.parametrize(
    "cmi",
    [
        cmi12(status="mastered"),
        cmi12(raw="NaN"),
        cmi12(raw="1e400"),
        cmi12(total="soon"),
        cmi12(suspend="x" * 70000),
        {"cmi": {"core": {"lesson_status": ["passed"]}}},
        {"cmi": {"interactions": "all"}},
    ],
    ids=["status", "nan", "huge", "time", "suspend", "type", "interactions"],
)
def test_malformed_data_is_refused(module, package, learner, cmi):
    response = commit(learner, module, package, cmi)
    assert response.status_code == 400, response.content
    assert not ScormTrack.objects.exists()


def test_body_too_large_and_not_json(module, package, learner):
    client = client_for(learner)
    assert client.post(COMMIT_URL, b"x" * (300 * 1024), content_type="application/json").status_code == 413
    assert client.post(COMMIT_URL, b"{not json", content_type="application/json").status_code == 400
    assert client.post(COMMIT_URL, b'{"cmi": 1}', content_type="application/json").status_code == 400


def test_rate_limit(module, package, learner, settings):
    settings.SCORM_COMMITS_PER_MINUTE = 3
    client = client_for(learner)
    statuses = [commit(learner, module, package, cmi12(), client=client).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_commit_needs_sign_in_and_csrf(module, package, learner):
    anonymous = Client().post(COMMIT_URL, "{}", content_type="application/json")
    assert anonymous.status_code == 302
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(learner)
    body = json.dumps({"module_id": module.pk, "package_id": package.pk, "sco": "goals_item", "cmi": cmi12()})
    assert csrf_client.post(COMMIT_URL, body, content_type="application/json").status_code == 403


def test_scorm_time_spans():
    assert seconds_of("0001:02:03.5", False) == 3723
    assert seconds_of("P1DT2H3M4.5S", True) == 93784
    assert seconds_of("", True) == 0


# The frames.


def test_module_page_frames_the_runtime_on_the_content_origin(module, package, learner):
    page = client_for(learner).get(module.url)
    assert "data-scorm-player" in page.content.decode()
    assert f"https://{CONTENT}" in page["Content-Security-Policy"].split("frame-src", 1)[1].split(";")[0]
    found = FRAME_SRC.search(page.content.decode())
    assert parse_qs(urlsplit(html.unescape(found.group(1))).query) == {"lang": ["zh-hant"]}


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("zh-hant", "此教材包的分數與完成狀態由教材包自行回報，可信程度為「由活動回報」"),
        ("en", "reported by the package itself: their assurance is “Reported by the activity”"),
    ],
)
def test_learner_is_told_the_results_are_only_reported(module, package, learner, language, notice):
    """The notice names the level programmes and reports use (``Assurance.REPORTED``), in the page's language."""
    with translation.override(language):
        label = str(Assurance.REPORTED.label)
        url = module.url if language == "zh-hant" else module.url.replace("/zh-hant/", "/en/", 1)
    assert label in notice
    page = client_for(learner).get(url, headers={"accept-language": language})
    assert page.status_code == 200
    shown = re.search(r"<p[^>]*data-scorm-assurance>(.*?)</p>", page.content.decode(), re.S)
    assert shown and notice in html.unescape(shown.group(1))


@pytest.mark.parametrize(
    ("language", "labels"),
    [("zh-hant", ("目錄", "上一節", "下一節")), ("en", ("Table of contents", "Previous", "Next"))],
)
def test_runtime_frame_speaks_the_pages_language(course, learner, language, labels):
    """The frame is on the content origin, without the page's language in its path: the page's URL tells it."""
    two_scos = module_with(course, ScormPackage.from_upload(ContentFile(build_scorm(), name="two.zip")))
    path = frame_path(two_scos, learner)
    content = Client().get(path, {"lang": language}, headers={"host": CONTENT}, secure=True).content.decode()
    toc, previous, next_sco = labels
    assert f'<html lang="{language}">' in content and f'aria-label="{toc}"' in content
    assert f"data-previous>{previous}</button>" in content and f"data-next>{next_sco}</button>" in content
    unknown = Client().get(path, {"lang": "xx"}, headers={"host": CONTENT}, secure=True).content.decode()
    assert '<html lang="zh-hant">' in unknown


def test_without_a_separate_content_origin_nothing_plays(module, package, learner, settings):
    settings.CONTENT_ORIGIN = ""
    page = client_for(learner).get(module.url).content.decode()
    assert "data-scorm-frame" not in page and "CONTENT_ORIGIN" in page


def test_runtime_frame_restores_the_bookmark_and_suspend_data(module, package, learner):
    commit(learner, module, package, cmi12(location="2", suspend="answer=3"))
    response = frame(module, learner)
    assert response.status_code == 200
    config = frame_config(response)
    assert config["parentOrigin"] == "http://testserver" and config["version"] == "1.2"
    sco = config["scos"][0]
    assert sco["resume"]["core"]["lesson_location"] == "2"
    assert sco["resume"]["core"]["entry"] == "resume"
    assert sco["resume"]["suspend_data"] == "answer=3"
    assert sco["resume"]["core"]["student_id"] == str(learner.pk)
    policy = response["Content-Security-Policy"]
    assert f"frame-ancestors http://testserver https://{CONTENT}" in policy
    assert "scorm-again/scorm12.min.js" in response.content.decode()


def test_a_completed_sco_launched_again_begins_a_new_attempt_and_keeps_the_first(module, package, learner):
    assert frame_config(frame(module, learner))["scos"][0]["attempt"] == 1
    assert commit(learner, module, package, cmi12("passed", raw="90"), attempt=1).status_code == 200
    sco = frame_config(frame(module, learner))["scos"][0]
    assert sco["attempt"] == 2 and sco["completed"]
    assert "lesson_location" not in sco["resume"]["core"], "a new attempt starts from nothing"

    response = commit(learner, module, package, cmi12("incomplete", raw="40", location="3"), attempt=2)
    assert response.status_code == 200 and response.json()["attempt"] == 2
    first, second = ScormTrack.objects.filter(user=learner).order_by("attempt")
    assert (first.attempt, first.completion_status, first.score_raw) == (1, "passed", 90)
    assert (second.attempt, second.completion_status, second.score_raw, second.location) == (2, "incomplete", 40, "3")
    # The module keeps the best result; the attempt in progress is what the next launch resumes.
    assert ModuleProgress.objects.get(user=learner, module=module).best_score == 90
    sco = frame_config(frame(module, learner))["scos"][0]
    assert sco["attempt"] == 2 and sco["resume"]["core"]["lesson_location"] == "3"


def test_commits_for_an_attempt_no_launch_began_are_refused_and_change_nothing(module, package, learner):
    commit(learner, module, package, cmi12("passed", raw="90"), attempt=1)
    commit(learner, module, package, cmi12("incomplete", raw="40"), attempt=2)
    before = list(ScormTrack.objects.filter(user=learner).order_by("attempt").values())

    over = commit(learner, module, package, cmi12("failed", raw="0"), attempt=1)
    with translation.override("zh-hant"):
        said = translation.gettext("This attempt is over: the SCO has been launched again since.")
    assert over.status_code == 409 and over.json()["message"] == said
    skipped = commit(learner, module, package, cmi12("passed", raw="100"), attempt=4)
    assert skipped.status_code == 409
    # Attempt 2 is unfinished: a launch resumes it, so no launch began a third.
    unfinished = commit(learner, module, package, cmi12("passed", raw="100"), attempt=3)
    assert unfinished.status_code == 409
    for bad in (0, -1, "2", 1.5, True):
        response = commit(learner, module, package, cmi12("passed", raw="100"), attempt=bad)
        assert response.status_code == 400, bad
    assert list(ScormTrack.objects.filter(user=learner).order_by("attempt").values()) == before


def test_package_files_are_served_for_the_token_only(module, package, learner):
    path = frame_path(module, learner)
    served = Client().get(path + "files/index.html", headers={"host": CONTENT}, secure=True)
    assert served.status_code == 200 and served["Content-Type"].startswith("text/html")
    assert b"".join(served.streaming_content).startswith(b"<!DOCTYPE html>")
    assert "sandbox" not in served["Content-Security-Policy"]
    forged = path.replace("/scorm-content/", "/scorm-content/x")
    assert Client().get(forged + "files/index.html").status_code == 403
    assert Client().get(path + "files/../../etc/passwd").status_code == 404
    assert Client().get(path + "files/imsmanifest.xml").status_code == 200


def test_an_h5p_token_does_not_open_scorm_and_back(module, package, learner):
    path = frame_path(module, learner)
    token = path.split("/")[2]
    assert Client().get(reverse("h5p_content:frame", args=[token])).status_code == 403


def test_outsiders_get_no_frame(module, package, teacher):
    page = client_for(teacher).get(module.url).content.decode()
    assert "data-scorm-frame" not in page


@needs_real_scorm
def test_real_multi_sco_package_frame_lists_every_sco(course, learner):
    upload = ContentFile((REAL_SCORM_DIR / "RuntimeMinimumCalls_SCORM12.zip").read_bytes(), name="golf.zip")
    package = ScormPackage.from_upload(upload)
    module = module_with(course, package, rule="scorm_completed")
    response = frame(module, learner)
    config = frame_config(response)
    assert len(config["scos"]) == 18
    assert config["scos"][5]["url"].endswith("files/shared/assessmenttemplate.html?questions=Playing")
    assert response.content.decode().count("data-sco=") == 18


# The trainer's view.


def test_trainer_sees_scores_and_exports_them(module, package, learner, trainer, course):
    commit(learner, module, package, cmi12(status="passed", raw="90"))
    client = client_for(trainer)
    page = client.get(reverse("courses:trainer_scorm", args=[course.pk]))
    assert page.status_code == 200 and "learner@school.example.tw" in page.content.decode()
    export = client.get(reverse("courses:trainer_scorm_csv", args=[course.pk]))
    text = b"".join(export.streaming_content).decode()
    assert "learner@school.example.tw" in text and "90.00" in text and "passed" in text
    # Both say what the results are worth, by the label programmes use.
    with translation.override("zh-hant"):
        label = str(Assurance.REPORTED.label)
    assert label in page.content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2 and rows[1][0] == "learner@school.example.tw" and rows[1][-2] == label
    assert export["Content-Disposition"] == f'attachment; filename="scorm-{course.pk}.csv"'


def test_learner_cannot_see_the_trainer_view(learner, course):
    assert client_for(learner).get(reverse("courses:trainer_scorm", args=[course.pk])).status_code == 404
    assert client_for(learner).get(reverse("courses:trainer_scorm_csv", args=[course.pk])).status_code == 404


def test_export_neutralises_formulas_a_learner_could_plant(module, package, learner, trainer, course):
    """A learner's e-mail address is theirs to choose: a cell starting with = is not run by the spreadsheet."""
    learner.email = '=HYPERLINK("http://evil.example")@school.example.tw'
    learner.save()
    commit(learner, module, package, cmi12(status="passed", raw="90"))
    export = client_for(trainer).get(reverse("courses:trainer_scorm_csv", args=[course.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[1][0].startswith("'=")
