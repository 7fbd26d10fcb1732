"""The player's server side: who may fetch package files and resume state, with which types, and the block."""

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from courses.h5p.player import (
    FRAME_INLINE_SCRIPT,
    FRAME_INLINE_SCRIPT_HASH,
    H5P_PLAYER_CSP,
    activity_iri,
    is_activity_of,
    player_csp,
)
from courses.models import ContentUserData, Enrolment, H5PPackage

from .factories import EnrolmentFactory, ModulePageFactory, UserFactory
from .h5p_packages import build_package, upload_of


@pytest.fixture
def package(db):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    return H5PPackage.from_upload(upload_of(build_package(**{"content/images/map.svg": svg})))


@pytest.fixture
def other_package(db):
    return H5PPackage.from_upload(upload_of(build_package(**{"content/other.txt": b"other"})))


@pytest.fixture
def module(course, package):
    module = course.modules()[0].specific
    module.body = [("h5p", {"package": package, "title": "小測驗"})]
    module.save_revision().publish()
    module.refresh_from_db()
    return module


@pytest.fixture
def learner(course):
    learner = UserFactory(email="learner@school.example.tw")
    EnrolmentFactory(user=learner, course=course)
    return learner


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def file_url(module, package, path):
    return reverse("courses:h5p_file", args=[module.pk, package.pk, path])


def user_data_url(module, package, **query):
    url = reverse("courses:h5p_user_data", args=[module.pk, package.pk])
    query = {"dataType": "state", "subContentId": "0", **query}
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items())


# Package files


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("h5p.json", "application/json"),
        ("content/content.json", "application/json"),
        ("H5P.Sample-1.2/sample.js", "text/javascript; charset=utf-8"),
        ("H5P.Sample-1.2/sample.css", "text/css; charset=utf-8"),
        ("content/images/map.png", "image/png"),
        ("content/images/map.svg", "image/svg+xml"),
    ],
)
def test_enrolled_learner_gets_files_with_their_types(module, package, learner, path, content_type):
    response = client_for(learner).get(file_url(module, package, path))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content)


def test_served_bytes_are_the_stored_bytes(module, package, learner):
    response = client_for(learner).get(file_url(module, package, "H5P.Sample-1.2/sample.js"))
    assert b"".join(response.streaming_content) == b"H5P.Sample = function () {};"


def test_a_player_fetching_many_files_costs_few_queries(module, package, learner, django_assert_max_num_queries):
    client = client_for(learner)
    client.get(file_url(module, package, "h5p.json"))
    with django_assert_max_num_queries(2):
        response = client.get(file_url(module, package, "H5P.Sample-1.2/sample.js"))
    assert response.status_code == 200


def test_trainer_of_the_course_and_staff_with_two_factors_may_fetch(module, package, trainer):
    staff = UserFactory(email="staff@example.tw", is_staff=True)
    # Without two factors, staff are held at the set-up page before the view is reached.
    response = client_for(staff).get(file_url(module, package, "h5p.json"))
    assert response.status_code == 302 and "mfa-required" in response["Location"]
    TOTP.activate(staff, generate_totp_secret())
    for user in (trainer, staff):
        assert client_for(user).get(file_url(module, package, "h5p.json")).status_code == 200


def test_anonymous_and_not_enrolled_are_refused(module, package, teacher):
    assert Client().get(file_url(module, package, "h5p.json")).status_code == 403
    assert client_for(teacher).get(file_url(module, package, "h5p.json")).status_code == 403


def test_withdrawn_learner_is_refused(module, package, learner):
    Enrolment.objects.filter(user=learner).update(status=Enrolment.Status.WITHDRAWN)
    assert client_for(learner).get(file_url(module, package, "h5p.json")).status_code == 403


def test_package_not_shown_by_the_module_is_not_served(module, other_package, learner):
    assert client_for(learner).get(file_url(module, other_package, "h5p.json")).status_code == 404


def test_learner_of_another_course_is_refused(module, package, course_index):
    from .factories import CoursePageFactory

    other_course = CoursePageFactory(parent=course_index)
    ModulePageFactory(parent=other_course)
    outsider = UserFactory(email="outsider@school.example.tw")
    EnrolmentFactory(user=outsider, course=other_course)
    assert client_for(outsider).get(file_url(module, package, "h5p.json")).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "content/missing.json",
        "content/../h5p.json",
        "../../../settings.py",
        "content/.hidden.json",
        "content/_private.json",
        "content/images",
        "content/content.php",
        "H5P.Sample-1.2/library.json/x.js",
    ],
)
def test_unsafe_or_missing_paths_are_not_found(module, package, learner, path):
    assert client_for(learner).get(file_url(module, package, "h5p.json").replace("h5p.json", path)).status_code == 404


def test_only_get_and_head(module, package, learner):
    client = client_for(learner)
    assert client.head(file_url(module, package, "h5p.json")).status_code == 200
    assert client.post(file_url(module, package, "h5p.json")).status_code == 405


# Resume state (contentUserData)


def test_state_is_saved_restored_and_deleted(module, package, learner):
    client = client_for(learner)
    assert client.get(user_data_url(module, package)).json() == {"success": True, "data": False}

    state = json.dumps({"chosen": {"q1": [0]}, "checked": {}})
    response = client.post(user_data_url(module, package), {"data": state, "preload": "1", "invalidate": "1"})
    assert response.json() == {"success": True}
    assert client.get(user_data_url(module, package)).json() == {"success": True, "data": state}

    newer = json.dumps({"chosen": {"q1": [1]}})
    client.post(user_data_url(module, package), {"data": newer})
    assert ContentUserData.objects.get(user=learner, package=package).data == newer

    client.post(user_data_url(module, package), {"data": "0"})
    assert not ContentUserData.objects.exists()


def test_state_is_per_user(module, package, learner, course):
    other = UserFactory(email="other@school.example.tw")
    EnrolmentFactory(user=other, course=course)
    client_for(learner).post(user_data_url(module, package), {"data": '{"mine": 1}'})
    assert client_for(other).get(user_data_url(module, package)).json()["data"] is False


def test_state_needs_the_csrf_token(module, package, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(user_data_url(module, package), {"data": "{}"}).status_code == 403
    client.get(module.url)
    token = client.cookies["csrftoken"].value
    response = client.post(user_data_url(module, package), {"data": "{}"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_state_refused_to_outsiders(module, package, teacher):
    assert Client().get(user_data_url(module, package)).status_code == 403
    assert client_for(teacher).post(user_data_url(module, package), {"data": "{}"}).status_code == 403
    assert not ContentUserData.objects.exists()


@pytest.mark.parametrize(
    ("query", "data", "status"),
    [
        ({"dataType": "state;drop"}, "{}", 400),
        ({"subContentId": "x" * 65}, "{}", 400),
        ({}, None, 400),
        ({}, "x" * (64 * 1024 + 1), 413),
    ],
)
def test_bad_state_requests(module, package, learner, query, data, status):
    payload = {} if data is None else {"data": data}
    response = client_for(learner).post(user_data_url(module, package, **query), payload)
    assert response.status_code == status
    assert response.json()["success"] is False
    assert not ContentUserData.objects.exists()


# The block and the activity ids


def test_module_page_boots_a_player_for_its_learner(module, package, learner):
    response = client_for(learner).get(module.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-h5p-player" in html
    assert f'data-h5p-json-path="{file_url(module, package, "h5p.json").removesuffix("/h5p.json")}"' in html
    assert f'data-package-id="{package.pk}"' in html
    assert f'data-module-id="{module.pk}"' in html
    assert "/static/h5p-standalone/main.bundle.js" in html
    assert "/static/courses/js/h5p-player.js" in html
    assert f'data-xapi-url="{reverse("courses:xapi")}"' in html
    assert "/:contentId/?dataType=:dataType&amp;subContentId=:subContentId" in html
    assert f"/h5p/activities/{package.content_hash}" in html
    assert "cdn" not in html.lower()


def test_module_page_hands_the_saved_state_to_the_player(module, package, learner):
    ContentUserData.objects.create(user=learner, package=package, data='{"chosen": {"q": [1]}}')
    html = client_for(learner).get(module.url).content.decode()
    assert 'data-saved-state="{&quot;chosen&quot;: {&quot;q&quot;: [1]}}"' in html


def test_module_page_has_no_player_for_outsiders(module, teacher):
    html = client_for(teacher).get(module.url).content.decode()
    assert "data-h5p-player" not in html


def test_activity_iri_identifies_the_package(rf, package, other_package):
    iri = activity_iri(rf.get("/"), package)
    assert is_activity_of(iri, package)
    assert is_activity_of(iri + "?subContentId=abc", package)
    assert not is_activity_of(iri, other_package)
    assert not is_activity_of(None, package)


def test_unsafe_eval_only_for_packages_that_evaluate_code(package, other_package):
    assert "'unsafe-eval'" not in player_csp([package, other_package])["script-src"]
    other_package.evaluates_code = True
    assert "'unsafe-eval'" in player_csp([package, other_package])["script-src"]
    assert "'unsafe-eval'" not in H5P_PLAYER_CSP["script-src"]


def test_module_page_relaxes_the_policy_only_for_packages_that_evaluate_code(module, package, learner):
    policy = client_for(learner).get(module.url)["Content-Security-Policy"]
    assert FRAME_INLINE_SCRIPT_HASH in policy
    assert "'unsafe-eval'" not in policy

    H5PPackage.objects.filter(pk=package.pk).update(evaluates_code=True)
    policy = client_for(learner).get(module.url)["Content-Security-Policy"]
    assert "'unsafe-eval'" in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_player_csp_allows_the_frame_script_by_hash_and_nothing_remote():
    assert FRAME_INLINE_SCRIPT_HASH in H5P_PLAYER_CSP["script-src"]
    assert "'unsafe-inline'" not in H5P_PLAYER_CSP["script-src"]
    sources = [source for values in H5P_PLAYER_CSP.values() for source in values]
    assert not any(source.startswith(("http:", "https:", "*")) for source in sources)


def test_the_hashed_frame_script_is_the_one_the_installed_player_writes():
    from django.conf import settings

    bundle = settings.BASE_DIR / "node_modules" / "h5p-standalone" / "dist" / "frame.bundle.js"
    if not bundle.is_file():
        pytest.skip("node_modules is not installed: `make install` runs npm ci")
    assert f"<script>{FRAME_INLINE_SCRIPT}<\\/script>" in bundle.read_text()
