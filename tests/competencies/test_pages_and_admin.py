"""The public framework pages (what credentials link to) and the admin's publish and new-version actions."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse

from competencies.models import Framework, FrameworkStatus
from lms.roles import CERTIFICATION_ADMINISTRATORS, TRAINERS
from tests.courses.factories import UserFactory

from .factories import AreaFactory, IndicatorFactory, published_indicator

pytestmark = pytest.mark.django_db


def page(client, indicator, name, language="zh-hant", **query):
    framework = indicator.area.framework
    kwargs = {"slug": framework.slug, "version": framework.version}
    if name in ("area", "indicator"):
        kwargs["area"] = indicator.area.code
    if name == "indicator":
        kwargs["code"] = indicator.code
    path = reverse(f"competencies:{name}", kwargs=kwargs).split("/", 2)[2]  # without the language prefix
    return client.get(f"/{language}/{path}", query)


def test_framework_area_and_indicator_pages_in_both_languages(client):
    indicator = published_indicator(code="NI-E1", title_zh="認識我國的文化特色", title_en="Know Taiwan's culture")
    for name in ("framework", "area", "indicator"):
        chinese = page(client, indicator, name).content.decode()
        english = page(client, indicator, name, "en").content.decode()
        assert "NI-E1" in chinese and "NI-E1" in english
        assert "認識我國的文化特色" in chinese
        assert "Know Taiwan&#x27;s culture" in english or "Know Taiwan's culture" in english
    index = client.get("/en/competencies/").content.decode()
    assert indicator.area.framework.name_en in index


def test_a_draft_version_is_not_public(client):
    indicator = IndicatorFactory()
    for name in ("framework", "area", "indicator"):
        assert page(client, indicator, name).status_code == 404
    assert indicator.area.framework.name_zh not in client.get("/zh-hant/competencies/").content.decode()


def test_unknown_and_hostile_paths_answer_404(client):
    indicator = published_indicator(code="NI-E1")
    framework = indicator.area.framework
    base = f"/zh-hant/competencies/{framework.slug}"
    for path in (
        f"{base}/v99/",
        f"{base}/v1/XX/",
        f"{base}/v1/{indicator.area.code}/NI-E404/",
        f"{base}/v1/{indicator.area.code}/%27%20OR%201=1--/",
        f"{base}/v-1/",
        "/zh-hant/competencies/no-such-framework/v1/",
    ):
        assert client.get(path).status_code == 404, path
    # An indicator is found under its own area only.
    other_area = AreaFactory(framework=Framework.objects.create(slug="other", name_zh="x", name_en="x"))
    assert client.get(f"{base}/v1/{other_area.code}/NI-E1/").status_code == 404


def test_the_stage_filter_keeps_one_stage_and_ignores_nonsense(client):
    elementary = IndicatorFactory(code="IL-E1", stage="E")
    IndicatorFactory(area=elementary.area, code="IL-J1", stage="J")
    elementary.area.framework.publish()
    only_junior = page(client, elementary, "framework", stage="J").content.decode()
    assert "IL-J1" in only_junior and "IL-E1" not in only_junior
    nonsense = page(client, elementary, "framework", stage="<script>").content.decode()
    assert "IL-J1" in nonsense and "IL-E1" in nonsense and "<script>" not in nonsense


def test_a_retired_version_stays_readable_and_points_to_the_newer_one(client):
    indicator = published_indicator(code="NI-E1")
    new = indicator.area.framework.new_version()
    new.publish()
    response = page(client, indicator, "framework", "en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Retired" in html and f"/v{new.version}/" in html


@pytest.fixture
def certification_admin():
    user = UserFactory(email="registrar@moe.example.tw")
    TOTP.activate(user, generate_totp_secret())
    user.groups.add(Group.objects.get(name=CERTIFICATION_ADMINISTRATORS))
    return user


@pytest.fixture
def trainer():
    user = UserFactory(email="trainer@school.example.tw")
    TOTP.activate(user, generate_totp_secret())
    user.groups.add(Group.objects.get(name=TRAINERS))
    return user


def test_a_certification_administrator_publishes_and_starts_a_new_version(client, certification_admin):
    indicator = IndicatorFactory()
    framework = indicator.area.framework
    client.force_login(certification_admin)

    assert client.get(reverse("competencies_admin:publish", args=[framework.pk])).status_code == 200
    response = client.post(reverse("competencies_admin:publish", args=[framework.pk]))
    assert response.status_code == 302
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.PUBLISHED

    client.post(reverse("competencies_admin:new_version", args=[framework.pk]))
    assert Framework.objects.filter(slug=framework.slug, version=2, status=FrameworkStatus.DRAFT).exists()


def test_the_admin_refuses_to_change_or_delete_a_published_version(client, certification_admin):
    indicator = published_indicator()
    client.force_login(certification_admin)

    edit = reverse("wagtailsnippets_competencies_indicator:edit", args=[indicator.pk])
    response = client.post(
        edit,
        {"area": indicator.area.pk, "code": indicator.code, "stage": "E", "title_zh": "改", "title_en": "Changed"},
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "frozen" in response.content.decode() or "凍結" in response.content.decode()
    delete = reverse("wagtailsnippets_competencies_indicator:delete", args=[indicator.pk])
    response = client.post(delete)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.title_en != "Changed"


def test_publishing_an_empty_draft_is_refused_with_a_message(client, certification_admin):
    framework = Framework.objects.create(slug="empty", name_zh="空", name_en="Empty")
    client.force_login(certification_admin)
    client.post(reverse("competencies_admin:publish", args=[framework.pk]))
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.DRAFT


def test_trainers_and_teachers_cannot_publish(client, trainer):
    indicator = IndicatorFactory()
    framework = indicator.area.framework
    for user in (trainer, UserFactory(email="teacher@school.example.tw")):
        client.force_login(user)
        response = client.post(reverse("competencies_admin:publish", args=[framework.pk]))
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or "/admin/" in response["Location"] or "login" in response["Location"]
        framework.refresh_from_db()
        assert framework.status == FrameworkStatus.DRAFT
        assert not client.post(reverse("competencies_admin:new_version", args=[framework.pk])).status_code == 200
    assert Framework.objects.filter(slug=framework.slug).count() == 1
