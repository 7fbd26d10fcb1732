"""The teachers of the national-scale data set (``seed_scale``): accounts and profiles, numbered from 0.

Every seeded teacher signs in with the password ``SCALE_PASSWORD``; their e-mail addresses are on
``EMAIL_DOMAIN``, which is how the data set is found again (``scale_teachers``).
"""

import datetime

from django.contrib.auth.hashers import make_password

from .choices import County, SchoolLevel
from .models import TeacherProfile, User

EMAIL_DOMAIN = "scale.ie-academy.tw"
SCALE_PASSWORD = "scale-teacher-2026"

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐"
SURNAMES_EN = ["Chen", "Lin", "Huang", "Chang", "Li", "Wang", "Wu", "Liu", "Tsai", "Yang"]
SURNAMES_EN += ["Hsu", "Cheng", "Hsieh", "Hung", "Kuo", "Chiu", "Tseng", "Liao", "Lai", "Hsu"]
GIVEN = ["怡君", "雅婷", "志明", "淑芬", "家豪", "美玲", "建宏", "宜蓁", "冠宇", "佩珊"]
GIVEN_EN = ["Yi-Chun", "Ya-Ting", "Chih-Ming", "Shu-Fen", "Chia-Hao", "Mei-Ling", "Chien-Hung", "Yi-Chen"]
GIVEN_EN += ["Kuan-Yu", "Pei-Shan"]
SUBJECTS = ["英語", "社會", "自然科學", "數學", "國語文", "藝術", "綜合活動", "健康與體育"]


def person_name_zh(number: int) -> str:
    """The name of teacher (or expert) ``number``: the teacher's profile and certificates carry the same one."""
    return SURNAMES[number % 20] + GIVEN[number // 20 % 10]


def person_name_en(number: int) -> str:
    return f"{GIVEN_EN[number // 20 % 10]} {SURNAMES_EN[number % 20]}"


def teacher_email(number: int) -> str:
    return f"teacher{number}@{EMAIL_DOMAIN}"


def scale_teachers():
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def seed_teachers(seeding, count: int) -> list[int]:
    """``count`` teachers with their profiles; returns their ids, teacher 0 first."""
    password = make_password(SCALE_PASSWORD)
    joined = seeding.now - datetime.timedelta(days=400)

    def users():
        for number in range(count):
            email = teacher_email(number)
            yield {"username": email, "email": email, "password": password, "date_joined": joined, "last_login": None}

    seeding.rows.insert(User, users(), count, "teachers")
    user_ids = list(scale_teachers().order_by("pk").values_list("pk", flat=True))
    counties, levels = list(County.values), list(SchoolLevel.values)

    def profiles():
        for number, user_id in enumerate(user_ids):
            yield {
                "user": user_id,
                "name_zh": person_name_zh(number),
                "name_en": person_name_en(number),
                "school": f"第{number % 3000 + 1}國民小學",
                "school_level": levels[number % len(levels)],
                "county": counties[number % len(counties)],
                "subject_area": SUBJECTS[number % len(SUBJECTS)],
            }

    seeding.rows.insert(TeacherProfile, profiles(), len(user_ids), "teacher profiles")
    return user_ids
