"""What an education cloud (OpenID Connect) sign-in tells us about the teacher, put into their profile.

The claims fill only what the profile leaves empty: the names a teacher typed are printed on certificates and an
identity provider does not overwrite them. ``name`` goes to the Chinese or the English name by its script;
``school`` is a claim the education cloud may release. Values our own validators refuse are left out.
"""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from .models import TeacherProfile
from .names import normalise_name


def is_education_cloud(sociallogin) -> bool:
    # allauth names an OpenID Connect account by its application's provider id.
    return sociallogin.account.provider == settings.OIDC_PROVIDER_ID


def claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    merged = dict(data.get("id_token") or {})
    merged.update(data.get("userinfo") or {})
    return merged


def _is_latin(value):
    return all(ord(character) < 0x2E80 for character in value)


def profile_values(claims) -> dict:
    values = {}
    name = normalise_name(str(claims.get("name") or ""))
    if not name:
        name = normalise_name(f"{claims.get('family_name') or ''}{claims.get('given_name') or ''}")
    if name:
        values["name_en" if _is_latin(name) else "name_zh"] = name
    school = normalise_name(str(claims.get("school") or ""))
    if school:
        values["school"] = school
    return values


def fill_profile(user, claims) -> TeacherProfile:
    profile = TeacherProfile.for_user(user)
    changed = []
    for field_name, value in profile_values(claims).items():
        if getattr(profile, field_name):
            continue
        field = TeacherProfile._meta.get_field(field_name)
        try:
            field.clean(value[: field.max_length], profile)
        except ValidationError:
            continue
        setattr(profile, field_name, value[: field.max_length])
        changed.append(field_name)
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    return profile


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        if is_education_cloud(sociallogin):
            fill_profile(user, claims(sociallogin))
        return user


def fill_profile_on_sign_in(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None and is_education_cloud(sociallogin):
        fill_profile(user, claims(sociallogin))


def connect():
    user_logged_in.connect(fill_profile_on_sign_in, dispatch_uid="accounts.education_cloud.fill_profile")
