"""The player's server side: the sandboxed frame, who may fetch package files (signed URLs) and resume state, with
which types, and the block."""

import html
import json
import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.h5p import access
from courses.h5p.player import activity_iri, frame_csp, is_activity_of
from courses.models import ContentUserData, Enrolment, H5PPackage

from .factories import EnrolmentFactory, UserFactory
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


FRAME_SRC = re.compile(r'<iframe[^>]*data-h5p-frame src="([^"]+)" sandbox="([^"]*)"')


def frame_url(module, user):
    """The player frame's URL (path and query) as the module page hands it to ``user``'s browser."""
    page = client_for(user).get(module.url).content.decode()
    found = FRAME_SRC.search(page)
    assert found, "no player frame on the page"
    return urlsplit(html.unescape(found.group(1))).path


def file_url(module, package, path, user):
    assert package.pk in module.h5p_package_ids
    return frame_url(module, user) + "files/" + path


def user_data_url(module, package, **query):
    url = reverse("courses:h5p_user_data", args=[module.pk, package.pk])
    query = {"dataType": "state", "subContentId": "0", **query}
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items())


# The frame and the package files (signed URLs, no cookies)


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
    # No session: the sandboxed frame sends no cookie, the URL is the permission.
    response = Client().get(file_url(module, package, path, learner))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"".join(response.streaming_content)


def test_served_bytes_are_the_stored_bytes(module, package, learner):
    response = Client().get(file_url(module, package, "H5P.Sample-1.2/sample.js", learner))
    assert b"".join(response.streaming_content) == b"H5P.Sample = function () {};"


def test_a_player_fetching_many_files_costs_no_queries(module, package, learner, django_assert_max_num_queries):
    url = file_url(module, package, "h5p.json", learner)
    client = Client()
    client.get(url)
    with django_assert_max_num_queries(0):
        response = client.get(url.replace("h5p.json", "H5P.Sample-1.2/sample.js"))
    assert response.status_code == 200


def test_frame_is_sandboxed_and_holds_nothing_of_the_site(module, package, learner):
    page = client_for(learner).get(module.url)
    found = FRAME_SRC.search(page.content.decode())
    assert found.group(2) == "allow-scripts"
    frame = Client().get(urlsplit(html.unescape(found.group(1))).path)
    body = frame.content.decode()
    assert frame.status_code == 200
    assert "csrf" not in body.lower() and learner.email not in body and "sessionid" not in body
    policy = frame["Content-Security-Policy"]
    assert "frame-ancestors http://testserver" in policy and "form-action 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0] and "'unsafe-eval'" not in policy
    assert "X-Frame-Options" not in frame and frame["Referrer-Policy"] == "no-referrer"
    assert frame["Cache-Control"] == "no-store"
    config = json.loads(re.search(r'id="h5p-frame-config"[^>]*>(.*?)</script>', body).group(1))
    assert config["parentOrigin"] == "http://testserver"
    assert config["activityIri"] == f"http://testserver/h5p/activities/{package.content_hash}"


def test_frame_and_files_come_from_the_content_origin(module, package, learner, settings):
    settings.CONTENT_ORIGIN = "https://content.example.tw"
    page = client_for(learner).get(module.url)
    assert 'src="https://content.example.tw/h5p-content/' in page.content.decode()
    assert "frame-src 'self' https://www.youtube-nocookie.com" in page["Content-Security-Policy"]
    assert "https://content.example.tw" in page["Content-Security-Policy"].split("frame-src", 1)[1].split(";")[0]
    # The page's own policy runs no package script: its scripts are 'self' and the nonce.
    assert "'sha256-" not in page["Content-Security-Policy"]
    frame = Client().get(frame_url(module, learner), headers={"host": "content.example.tw"}, secure=True)
    assert "script-src https://content.example.tw;" in frame["Content-Security-Policy"]
    assert "connect-src https://content.example.tw;" in frame["Content-Security-Policy"]


def test_module_page_lets_code_evaluate_only_in_frames_of_packages_that_need_it(module, package, learner):
    assert "'unsafe-eval'" not in client_for(learner).get(module.url)["Content-Security-Policy"]
    H5PPackage.objects.filter(pk=package.pk).update(evaluates_code=True)
    page = client_for(learner).get(module.url)
    assert "'unsafe-eval'" not in page["Content-Security-Policy"]
    frame = Client().get(urlsplit(html.unescape(FRAME_SRC.search(page.content.decode()).group(1))).path)
    assert "'unsafe-eval'" in frame["Content-Security-Policy"].split("script-src", 1)[1].split(";", 1)[0]


def test_trainer_of_the_course_and_staff_with_two_factors_get_a_frame(module, package, trainer):
    staff = UserFactory(email="staff@example.tw", is_staff=True)
    assert not FRAME_SRC.search(client_for(staff).get(module.url).content.decode())
    TOTP.activate(staff, generate_totp_secret())
    for user in (trainer, staff):
        assert Client().get(file_url(module, package, "h5p.json", user)).status_code == 200


def test_forged_and_tampered_tokens_are_refused(module, package, learner, other_package):
    url = file_url(module, package, "h5p.json", learner)
    token = url.split("/")[2]
    payload, stamp, signature = token.split(":")
    for forged in (
        f"{payload}:{stamp}:{signature[:-2]}xx",
        f"{payload[:-2]}AA:{stamp}:{signature}",
        "not-a-token",
        token.replace(payload, payload[::-1]),
    ):
        assert Client().get(url.replace(token, forged)).status_code == 403


def test_token_expires(module, package, learner, settings, monkeypatch):
    url = file_url(module, package, "h5p.json", learner)
    assert Client().get(url).status_code == 200
    later = time.time() + settings.H5P_CONTENT_URL_SECONDS + access.TOKEN_WINDOW_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    access.cache.clear()
    assert Client().get(url).status_code == 403


def test_access_is_checked_again_behind_the_token(module, package, learner, english):
    url = file_url(module, package, "h5p.json", learner)
    Enrolment.objects.filter(user=learner).update(status=Enrolment.Status.WITHDRAWN)
    access.cache.clear()
    assert Client().get(url).status_code == 403


def test_password_change_ends_the_tokens(module, package, learner):
    url = file_url(module, package, "h5p.json", learner)
    learner.set_password("a-new-password-2026")
    learner.save()
    access.cache.clear()
    assert Client().get(url).status_code == 403


def test_a_token_opens_only_its_own_package(module, package, other_package, learner):
    url = file_url(module, package, "h5p.json", learner)
    stored = other_package.file_path("content/other.txt")
    assert Client().get(url.replace("h5p.json", "content/other.txt")).status_code == 404
    assert Client().get(url.replace("h5p.json", "../" + stored)).status_code == 404


def test_view_restriction_to_a_group_refuses_an_enrolled_learner(module, package, learner, course):
    url = file_url(module, package, "h5p.json", learner)
    members = Group.objects.create(name="臺北市國際教育種子教師")
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(members)
    access.cache.clear()
    assert Client().get(url).status_code == 403
    assert Client().get(url.replace("files/h5p.json", "")).status_code == 403
    assert client_for(learner).post(user_data_url(module, package), {"data": "{}"}).status_code == 403
    learner.groups.add(members)
    access.cache.clear()
    assert Client().get(url).status_code == 200


def test_anonymous_and_not_enrolled_get_no_frame(module, package, teacher):
    assert not FRAME_SRC.search(Client().get(module.url).content.decode())
    assert not FRAME_SRC.search(client_for(teacher).get(module.url).content.decode())


def test_package_files_are_not_served_on_the_sites_own_urls(module, package, learner):
    """Before the frame, files were served to the session under /learning/h5p/…: no such route remains."""
    response = client_for(learner).get(f"/zh-hant/learning/h5p/{module.pk}/{package.pk}/files/h5p.json")
    assert response.status_code == 404


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
    assert Client().get(file_url(module, package, "h5p.json", learner).replace("h5p.json", path)).status_code == 404


def test_only_get_and_head(module, package, learner):
    url = file_url(module, package, "h5p.json", learner)
    assert Client().head(url).status_code == 200
    assert Client().post(url).status_code == 405


def test_x_accel_redirect_hands_the_file_to_nginx(module, package, learner, settings):
    settings.H5P_X_ACCEL_REDIRECT = "/_media-internal/"
    response = Client().get(file_url(module, package, "content/images/map.svg", learner))
    assert response["X-Accel-Redirect"] == f"/_media-internal/{package.file_path('content/images/map.svg')}"
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content == b""
    missing = Client().get(file_url(module, package, "content/missing.png", learner))
    assert missing.status_code == 404


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
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-h5p-player" in page
    assert f'data-package-id="{package.pk}"' in page
    assert f'data-module-id="{module.pk}"' in page
    assert "/static/courses/js/h5p-player.js" in page
    assert "h5p-standalone" not in page  # the player itself loads in the frame only
    assert f'data-xapi-url="{reverse("courses:xapi")}"' in page
    assert f'data-user-data-url="{reverse("courses:h5p_user_data", args=[module.pk, package.pk])}"' in page
    assert f'data-activity-iri="http://testserver/h5p/activities/{package.content_hash}"' in page
    # No player from a CDN (a host name with "cdn" in it); the signed frame token is random text and may hold "cdn".
    assert not re.search(r"//[^/\"']*cdn", page.lower())


def test_frame_hands_the_saved_state_to_the_player(module, package, learner):
    ContentUserData.objects.create(user=learner, package=package, data='{"chosen": {"q": [1]}}')
    frame = Client().get(frame_url(module, learner)).content.decode()
    assert '"savedState": "{\\"chosen\\": {\\"q\\": [1]}}"' in frame


def test_activity_iri_identifies_the_package(package, other_package):
    iri = activity_iri("https://ie-academy.example.tw", package)
    assert is_activity_of(iri, package)
    assert is_activity_of(iri + "?subContentId=abc", package)
    assert not is_activity_of(iri, other_package)
    assert not is_activity_of(None, package)


def test_frame_policy_allows_scripts_of_the_content_origin_only():
    policy = frame_csp("https://content.example.tw", "https://ie-academy.example.tw")
    script_sources = policy.split("script-src ", 1)[1].split(";", 1)[0].split()
    assert script_sources == ["https://content.example.tw"]
    assert "default-src 'none'" in policy
    assert "https://ie-academy.example.tw" not in policy.split("frame-ancestors", 1)[0]
