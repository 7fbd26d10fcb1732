import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certification.models import CertificationProgramme
from certification.registry.eligibility import Kind, evaluate_eligibility
from community.models import CommunitySession
from courses import attendance
from courses.models import Attendance, TrainingSession

from .factories import CommunityPageFactory, UserFactory, community_session

pytestmark = pytest.mark.django_db


def session_form(**overrides):
    start = timezone.localtime() + datetime.timedelta(days=10)
    data = {
        "title": "跨文化課程設計工作坊",
        "title_en": "Designing intercultural lessons",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "hours": "3",
        "place": "臺中市立忠明高級中學 圖書館",
        "online_url": "",
        "agenda_zh": "分享教案",
        "agenda_en": "Sharing lesson plans",
    }
    data.update(overrides)
    return data


def test_a_facilitator_schedules_a_session_of_kind_community(client, community, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("community:manage", args=[community.pk]), session_form())
    assert response.status_code == 302
    session = CommunitySession.objects.get()
    assert session.community_id == community.pk
    assert session.training_session.kind == TrainingSession.Kind.COMMUNITY
    assert session.training_session.hours == Decimal("3")
    assert "跨文化課程設計工作坊" in client.get(community.url).content.decode()


def test_a_session_needs_a_place_or_a_link_and_ends_after_it_starts(client, community, facilitator):
    client.force_login(facilitator)
    url = reverse("community:manage", args=[community.pk])
    assert client.post(url, session_form(place="")).status_code == 200
    start = timezone.localtime() + datetime.timedelta(days=1)
    backwards = session_form(ends_at=(start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    assert client.post(url, backwards).status_code == 200
    assert not TrainingSession.objects.exists()


def test_facilitators_manage_only_their_own_community(client, community, community_index, facilitator):
    other_community = CommunityPageFactory(parent=community_index)
    other_session = community_session(other_community)
    own_session = community_session(community)
    member = UserFactory()
    other_community.join(member)
    client.force_login(facilitator)

    assert client.get(reverse("community:manage", args=[community.pk])).status_code == 200
    assert client.get(reverse("community:manage", args=[other_community.pk])).status_code == 403
    assert client.post(reverse("community:manage", args=[other_community.pk]), session_form()).status_code == 403
    assert client.get(reverse("community:edit_session", args=[other_session.pk])).status_code == 403
    attendance_url = reverse("community:session_attendance", args=[other_session.pk])
    assert client.post(attendance_url, {"action": "list", "attendee": [member.pk]}).status_code == 403
    assert client.post(attendance_url, {"action": "code"}).status_code == 403
    assert not Attendance.objects.exists()
    other_session.training_session.refresh_from_db()
    assert other_session.training_session.checkin_code == ""
    assert client.get(reverse("community:session_attendance", args=[own_session.pk])).status_code == 200


def test_members_and_strangers_cannot_manage(client, community):
    session = community_session(community)
    member = UserFactory()
    community.join(member)
    client.force_login(member)
    assert client.get(reverse("community:manage", args=[community.pk])).status_code == 403
    assert client.get(reverse("community:session_attendance", args=[session.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("community:manage", args=[community.pk])).status_code == 302


def test_a_facilitator_edits_a_session(client, community, facilitator):
    session = community_session(community)
    client.force_login(facilitator)
    response = client.post(
        reverse("community:edit_session", args=[session.pk]), session_form(title="改名的聚會", hours="1.5")
    )
    assert response.status_code == 302
    session.training_session.refresh_from_db()
    assert session.training_session.title == "改名的聚會"
    assert session.training_session.hours == Decimal("1.5")
    assert TrainingSession.objects.count() == 1


def test_ticking_members_records_attendance_through_the_shared_mechanism(client, community, facilitator):
    session = community_session(community, days_from_now=0)
    member, absent, stranger = UserFactory(), UserFactory(), UserFactory()
    community.join(member)
    community.join(absent)
    client.force_login(facilitator)
    url = reverse("community:session_attendance", args=[session.pk])
    client.post(url, {"action": "list", "attendee": [member.pk, stranger.pk]})

    recorded = Attendance.objects.get()
    assert recorded.user == member, "only members can be ticked; a forged id of a stranger is ignored"
    assert recorded.session.kind == TrainingSession.Kind.COMMUNITY
    assert recorded.method == Attendance.Method.LIST
    assert recorded.recorded_by == facilitator
    client.post(url, {"action": "list", "attendee": [member.pk]})
    assert Attendance.objects.count() == 1


def test_csv_upload_records_attendance_and_reports_unknown_rows(client, community, facilitator):
    session = community_session(community, days_from_now=0)
    member = UserFactory(email="mei@school.example.tw")
    client.force_login(facilitator)
    upload = SimpleUploadedFile("attendance.csv", b"email\nMei@school.example.tw\nnobody@nowhere.example\n")
    response = client.post(
        reverse("community:session_attendance", args=[session.pk]), {"action": "csv", "file": upload}
    )
    assert response.status_code == 200
    assert response.context["report"].unmatched[0].value == "nobody@nowhere.example"
    assert Attendance.objects.get().user == member
    assert Attendance.objects.get().method == Attendance.Method.CSV

    binary = SimpleUploadedFile("attendance.csv", b"\xff\xfe\x00\x00garbage\x81")
    response = client.post(
        reverse("community:session_attendance", args=[session.pk]), {"action": "csv", "file": binary}
    )
    assert response.context["csv_form"].errors["file"]
    assert Attendance.objects.count() == 1


def test_a_check_in_code_records_a_members_attendance(client, community, facilitator):
    session = community_session(community, days_from_now=0)
    member = UserFactory()
    community.join(member)
    client.force_login(facilitator)
    client.post(reverse("community:session_attendance", args=[session.pk]), {"action": "code"})
    session.training_session.refresh_from_db()
    code = session.training_session.checkin_code
    assert len(code) == attendance.CHECKIN_CODE_LENGTH
    client.force_login(member)
    assert reverse("courses:check_in") in client.get(community.url).content.decode()
    client.post(reverse("courses:check_in"), {"code": "WRONG1"})
    assert not Attendance.objects.exists()
    client.post(reverse("courses:check_in"), {"code": code.lower()})
    assert Attendance.objects.get(user=member).method == Attendance.Method.CODE
    assert Attendance.objects.get(user=member).session.kind == TrainingSession.Kind.COMMUNITY


def test_attended_community_sessions_count_for_the_community_certificate(community, facilitator):
    programme = CertificationProgramme.objects.create(
        name_zh="專業社群證書", name_en="Community certificate", slug="community", minimum_community_sessions=2
    )
    member = UserFactory()
    community.join(member)
    first, second = community_session(community, days_from_now=-14), community_session(community, days_from_now=-7)

    def community_requirement():
        eligibility = evaluate_eligibility(member, programme)
        return next(r for r in eligibility.requirements if r.kind == Kind.COMMUNITY_SESSIONS)

    attendance.record_attendance(first.training_session, member, Attendance.Method.LIST, facilitator)
    assert not community_requirement().met
    attendance.record_attendance(second.training_session, member, Attendance.Method.LIST, facilitator)
    assert community_requirement().met
    assert evaluate_eligibility(member, programme).eligible
