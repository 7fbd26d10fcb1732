"""What an education cloud sign-in's claims put into the profile; the browser flow is in tests/e2e."""

import pytest

from accounts.education_cloud import claims, fill_profile, profile_values
from accounts.models import TeacherProfile

from .factories import UserFactory

pytestmark = pytest.mark.django_db


class Account:
    def __init__(self, extra_data):
        self.extra_data = extra_data
        self.provider = "education-cloud"


class SocialLogin:
    def __init__(self, extra_data):
        self.account = Account(extra_data)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"name": "陳美玲", "school": "臺北市立大安國民中學"},
            {"name_zh": "陳美玲", "school": "臺北市立大安國民中學"},
        ),
        ({"name": "  Mei-Ling   Chen "}, {"name_en": "Mei-Ling Chen"}),
        ({"family_name": "陳", "given_name": "美玲"}, {"name_zh": "陳美玲"}),
        ({"name": "", "school": ""}, {}),
        ({"email": "x@example.tw"}, {}),
    ],
)
def test_claims_become_profile_values(given, expected):
    assert profile_values(given) == expected


def test_the_userinfo_claims_win_over_the_id_token():
    login = SocialLogin({"id_token": {"name": "舊名", "sub": "1"}, "userinfo": {"name": "新名"}})
    assert claims(login) == {"name": "新名", "sub": "1"}
    assert claims(SocialLogin(None)) == {}


def test_claims_fill_only_what_the_profile_leaves_empty():
    user = UserFactory()
    TeacherProfile.objects.create(user=user, name_zh="林老師")
    profile = fill_profile(user, {"name": "林志明", "school": "臺中市立大墩國民中學"})
    profile.refresh_from_db()
    assert (profile.name_zh, profile.school) == ("林老師", "臺中市立大墩國民中學")


def test_claims_our_validators_refuse_are_left_out():
    user = UserFactory()
    profile = fill_profile(user, {"name": "王\u202e明", "school": "學校\u200b"})
    profile.refresh_from_db()
    assert (profile.name_zh, profile.name_en, profile.school) == ("", "", "")


def test_an_overlong_claim_is_cut_to_the_field():
    user = UserFactory()
    profile = fill_profile(user, {"name": "王" * 80})
    profile.refresh_from_db()
    assert profile.name_zh == "王" * TeacherProfile._meta.get_field("name_zh").max_length
