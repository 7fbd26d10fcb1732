from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import County, SchoolLevel
from .names import validate_latin_name, validate_printable_name

# The address an erased account is left with: unique, and never deliverable (RFC 2606's ".invalid").
ERASED_EMAIL_DOMAIN = "erased.invalid"


class User(AbstractUser):
    """A person with an account. People sign in with their e-mail address, which is unique."""

    email = models.EmailField(_("e-mail address"), unique=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_erased(self) -> bool:
        """The account was deleted at the person's request: what is left of it holds issued certificates only."""
        return self.email.endswith(f"@{ERASED_EMAIL_DOMAIN}") and not self.is_active

    @property
    def display_name(self):
        profile = getattr(self, "teacher_profile", None)
        if profile is not None and (profile.name_zh or profile.name_en):
            return profile.name_zh or profile.name_en
        # An erased account has no profile left; listings that load only the names never reach this line.
        if self.is_erased:
            return gettext("Deleted user")
        return self.get_full_name() or self.email


class TeacherProfile(models.Model):
    """What a teacher tells us about themselves; the names are printed on certificates exactly as given."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_profile", verbose_name=_("user")
    )
    name_zh = models.CharField(
        _("name in Chinese"),
        max_length=50,
        blank=True,
        validators=[validate_printable_name],
        help_text=_("As it will be printed on certificates."),
    )
    name_en = models.CharField(
        _("name in English"),
        max_length=100,
        blank=True,
        validators=[validate_printable_name, validate_latin_name],
        help_text=_("As it will be printed on certificates, e.g. Mei-Ling Chen."),
    )
    school = models.CharField(_("school"), max_length=120, blank=True, validators=[validate_printable_name])
    school_level = models.CharField(_("school level"), max_length=20, choices=SchoolLevel.choices, blank=True)
    county = models.CharField(_("county/city"), max_length=20, choices=County.choices, blank=True)
    subject_area = models.CharField(_("subject area"), max_length=80, blank=True, validators=[validate_printable_name])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("teacher profile")
        verbose_name_plural = _("teacher profiles")
        indexes = [models.Index(fields=["county", "school_level"])]

    def __str__(self):
        return self.name_zh or self.name_en or self.user.email

    @property
    def is_complete(self):
        return all([self.name_zh, self.name_en, self.school, self.school_level, self.county])

    @classmethod
    def for_user(cls, user):
        profile, _created = cls.objects.get_or_create(user=user)
        return profile


class AuthenticatorConfirmation(models.Model):
    """The e-mail confirmation a privileged account's first authenticator waits for before it counts.

    Someone who has only the password of a trainer or administrator could otherwise enrol their own authenticator
    app and have two factors; the link goes to the account's address, which they do not have. An authenticator
    with no confirmation row was enrolled before this rule or by ``load_demo`` and counts as it is.
    """

    authenticator = models.OneToOneField(
        "mfa.Authenticator", verbose_name=_("authenticator"), on_delete=models.CASCADE, related_name="confirmation"
    )
    key_digest = models.CharField(_("key (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator confirmation")
        verbose_name_plural = _("authenticator confirmations")

    def __str__(self):
        return f"{self.authenticator} ({'confirmed' if self.confirmed_at else 'waiting'})"


class PolicyVersion(models.Model):
    """One version of the privacy notice and the terms of use, in both languages.

    The highest version number is the one in force. Publishing a new version (a new number) asks everyone for
    their consent again at their next request; correcting a typo in the current version keeps its number and asks
    nobody again.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    privacy_zh = models.TextField(_("privacy notice (Chinese)"))
    privacy_en = models.TextField(_("privacy notice (English)"))
    terms_zh = models.TextField(_("terms of use (Chinese)"))
    terms_en = models.TextField(_("terms of use (English)"))
    in_force_from = models.DateField(_("in force from"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy notice and terms")
        verbose_name_plural = _("privacy notices and terms")
        ordering = ["-version"]

    def __str__(self):
        return _("Privacy notice and terms, version %(version)s") % {"version": self.version}


class PolicyConsent(models.Model):
    """A person's consent to one version of the privacy notice and terms, and when it was given."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_consents", verbose_name=_("user")
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="consents", verbose_name=_("version")
    )
    agreed_at = models.DateTimeField(_("agreed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="one_consent_per_version")]

    def __str__(self):
        return f"{self.user} v{self.version.version} {self.agreed_at:%Y-%m-%d %H:%M}"
