"""Demo accounts: a teacher with a complete profile, a trainer and an administrator protected by an authenticator.

The passwords are public (they are printed and in the README): these accounts exist only on demo sites.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group
from django.db import transaction

from .choices import County, SchoolLevel
from .models import TeacherProfile, User

TEACHER_EMAIL = "teacher@demo.ie-academy.tw"
TRAINER_EMAIL = "trainer@demo.ie-academy.tw"
ADMIN_EMAIL = "admin@demo.ie-academy.tw"

DEMO_ACCOUNTS = [
    {
        "email": TEACHER_EMAIL,
        "password": "Teacher-demo-2026",
        "first_name": "Mei-Ling",
        "last_name": "Chen",
        "profile": {
            "name_zh": "陳美玲",
            "name_en": "Mei-Ling Chen",
            "school": "臺中市立大墩國民中學",
            "school_level": SchoolLevel.JUNIOR_HIGH,
            "county": County.TAICHUNG_CITY,
            "subject_area": "英語文",
        },
    },
    {
        "email": TRAINER_EMAIL,
        "password": "Trainer-demo-2026",
        "first_name": "Chih-Hao",
        "last_name": "Lin",
        "groups": ["Trainers"],
        "mfa": True,
        "profile": {
            "name_zh": "林志豪",
            "name_en": "Chih-Hao Lin",
            "school": "國立臺灣師範大學",
            "school_level": SchoolLevel.SENIOR_HIGH,
            "county": County.TAIPEI_CITY,
            "subject_area": "國際教育",
        },
    },
    {
        "email": ADMIN_EMAIL,
        "password": "Admin-demo-2026",
        "first_name": "Shu-Fen",
        "last_name": "Wang",
        "is_staff": True,
        "is_superuser": True,
        "groups": ["Certification administrators"],
        "mfa": True,
        "profile": {
            "name_zh": "王淑芬",
            "name_en": "Shu-Fen Wang",
            "school": "教育部國際教育專業知能認證中心",
            "school_level": SchoolLevel.SENIOR_HIGH,
            "county": County.TAIPEI_CITY,
            "subject_area": "教育行政",
        },
    },
]


def ensure_account(spec):
    """The user, with a verified primary e-mail address (sign-in needs one), profile and groups."""
    user = User.objects.filter(email__iexact=spec["email"]).first()
    if user is None:
        user = User(username=spec["email"], email=spec["email"])
    user.first_name = spec["first_name"]
    user.last_name = spec["last_name"]
    user.is_staff = spec.get("is_staff", False)
    user.is_superuser = spec.get("is_superuser", False)
    user.set_password(spec["password"])
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=spec["email"], defaults={"verified": True, "primary": True})
    TeacherProfile.objects.update_or_create(user=user, defaults=spec["profile"])
    for name in spec.get("groups", []):
        group, _created = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


def ensure_authenticator(user):
    """An authenticator app (TOTP) and recovery codes for the user; returns the TOTP secret."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    else:
        secret = decrypt(authenticator.data["secret"])
    RecoveryCodes.activate(user)
    return secret


@transaction.atomic
def load(stdout):
    for spec in DEMO_ACCOUNTS:
        user = ensure_account(spec)
        if spec.get("mfa"):
            ensure_authenticator(user)
    stdout.write(f"Accounts: {len(DEMO_ACCOUNTS)} demo accounts.")


def credentials():
    """What a person needs to sign in as each demo account, one line each."""
    lines = []
    for spec in DEMO_ACCOUNTS:
        lines.append(f"{spec['email']}  password: {spec['password']}")
        if spec.get("mfa"):
            user = User.objects.get(email__iexact=spec["email"])
            secret = ensure_authenticator(user)
            lines.append(f"    authenticator app secret: {secret}")
            lines.append(f"    otpauth URI: {get_mfa_adapter().build_totp_url(user, secret)}")
    return lines
