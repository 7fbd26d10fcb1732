import pytest

from accounts.models import TeacherProfile
from tests.accounts.factories import TeacherProfileFactory, UserFactory

PROFILE = "/zh-hant/accounts/profile/"
VALID = {
    "name_zh": "陳美玲",
    "name_en": "Mei-Ling Chen",
    "school": "臺中市立大墩國民中學",
    "school_level": "junior_high",
    "county": "taichung_city",
    "subject_area": "英語文",
}


@pytest.fixture
def teacher_client(client, db):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.django_db
def test_the_profile_needs_a_signed_in_user(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/zh-hant/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("language, label", [("zh-hant", "中文姓名"), ("en", "Name in Chinese")])
def test_the_profile_form_is_labelled_in_both_languages(teacher_client, language, label):
    response = teacher_client.get(f"/{language}/accounts/profile/")
    assert response.status_code == 200
    body = response.content.decode()
    assert label in body
    assert '<label for="id_name_zh">' in body
    assert 'aria-describedby="id_name_zh_helptext"' in body


@pytest.mark.django_db
def test_a_teacher_saves_their_profile(teacher_client):
    response = teacher_client.post(PROFILE, {**VALID, "name_en": "  Mei-Ling   Chen "})
    assert response.status_code == 302
    profile = TeacherProfile.objects.get(user=teacher_client.user)
    assert profile.name_en == "Mei-Ling Chen"
    assert profile.county == "taichung_city"
    assert profile.is_complete


@pytest.mark.django_db
def test_combining_marks_are_stored_composed(teacher_client):
    # "José Núñez" typed with combining accents (as macOS and some IMEs produce it) is stored as NFC.
    teacher_client.post(PROFILE, {**VALID, "name_en": "Jose\u0301 Nu\u0301n\u0303ez"})
    assert TeacherProfile.objects.get(user=teacher_client.user).name_en == "José Núñez"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, code",
    [
        ("name_zh", "陳" * 51, "max_length"),
        ("name_en", "A" * 101, "max_length"),
        ("school", "學" * 121, "max_length"),
        ("name_en", "Mei\u200fLing Chen", "invisible_character"),  # right-to-left mark
        ("name_zh", "陳\u202e玲美", "invisible_character"),  # right-to-left override
        ("name_zh", "陳\u200b美玲", "invisible_character"),  # zero-width space
        ("name_en", "Mei\x00Ling", "null_characters_not_allowed"),
        ("name_en", "\u0301Mei", "leading_combining_mark"),
        ("name_en", "Me" + "\u0301" * 8 + "i", "combining_marks"),
        ("name_en", "陳美玲", "not_latin"),
        ("name_en", "Mei <script>", "not_latin"),
        ("school_level", "university", "invalid_choice"),
        ("county", "tokyo", "invalid_choice"),
    ],
)
def test_hostile_profile_input_is_refused_and_changes_nothing(teacher_client, field, value, code):
    TeacherProfileFactory(user=teacher_client.user)
    response = teacher_client.post(PROFILE, {**VALID, "name_zh": "林志豪", field: value})
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'aria-invalid="true"' in body
    assert TeacherProfile.objects.get(user=teacher_client.user).name_zh == "陳美玲"


@pytest.mark.django_db
def test_rare_cjk_characters_are_kept(teacher_client):
    # Names with characters outside the common fonts (here from CJK Extension B) are real names.
    teacher_client.post(PROFILE, {**VALID, "name_zh": "林𠀋玲"})
    assert TeacherProfile.objects.get(user=teacher_client.user).name_zh == "林𠀋玲"
