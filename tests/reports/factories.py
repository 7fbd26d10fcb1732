import datetime
import itertools
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import TeacherProfile, User
from certification.models import Certificate
from courses.models import H5PAttempt, H5PPackage

_numbers = itertools.count(1)


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def teacher(email, county="", school_level="", name_zh="陳老師", name_en="Teacher Chen"):
    user = User.objects.create_user(email, email)
    TeacherProfile.objects.create(
        user=user, name_zh=name_zh, name_en=name_en, school="測試國小", county=county, school_level=school_level
    )
    return user


def staff(email, group=None, **extra):
    """A staff member who has set up an authenticator app, as the admin requires."""
    user = User.objects.create_user(email, email, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    TOTP.activate(user, generate_totp_secret())
    return user


def certificate(user, programme, issued_on, county="", status=Certificate.Status.ISSUED, is_current=True):
    number = next(_numbers)
    return Certificate.objects.create(
        user=user,
        programme=programme,
        status=status,
        origin=Certificate.Origin.MANUAL,
        is_current=is_current,
        public_id=f"public{number:026d}",
        verification_code=f"CODE{number:09d}",
        serial=f"IE-{issued_on:%Y}-{number:06d}",
        holder_name_zh=user.teacher_profile.name_zh,
        holder_name_en=user.teacher_profile.name_en,
        school=user.teacher_profile.school,
        county=county,
        programme_name_zh=programme.name_zh,
        programme_name_en=programme.name_en,
        hours=Decimal("12"),
        issued_on=issued_on,
        revoked_at=timezone.now() if status == Certificate.Status.REVOKED else None,
    )


def h5p_package(title):
    number = next(_numbers)
    return H5PPackage.objects.create(
        title=title,
        main_library="H5P.MultiChoice",
        main_library_version="1.16",
        content_hash=f"{number:064d}",
        storage_prefix=f"h5p/{number}/",
        size_bytes=1000,
        file_count=3,
        original_filename=f"{title}.h5p",
    )


def attempt(user, module, package, number, success, started_at, flagged=False):
    created = H5PAttempt.objects.create(
        user=user,
        module=module,
        package=package,
        number=number,
        success=success,
        flagged=flagged,
        finished_at=started_at,
        raw_score=Decimal(1 if success else 0),
        max_score=Decimal(1),
        completed=True,
    )
    H5PAttempt.objects.filter(pk=created.pk).update(started_at=started_at)
    return created
