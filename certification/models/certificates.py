"""Certificates as issued, and the serial counter that numbers them."""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.choices import County

from ..codes import format_verification_code
from .programmes import CertificationProgramme


class SerialCounter(models.Model):
    """The last serial number issued in a year. Issuing locks the row, so serials are gap-free and never repeat."""

    year = models.PositiveIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class CertificateQuerySet(models.QuerySet):
    def issued(self):
        return self.exclude(status=Certificate.Status.PENDING)

    def valid_on(self, day: date):
        unexpired = Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        return self.filter(unexpired, status=Certificate.Status.ISSUED)

    def expiring_between(self, first: date, last: date):
        return self.filter(status=Certificate.Status.ISSUED, valid_until__gte=first, valid_until__lte=last)


def certificate_cache_key(pk) -> str:
    return f"certification:certificate:{pk}"


class CertificateImmutable(Exception):
    """Something tried to change what an issued certificate says."""


class Certificate(models.Model):
    """A certificate as issued: what it says is frozen at issue; only revocation may change it afterwards.

    A certificate is *pending* between the transaction that gives it its serial and the task that renders and
    signs its PDF; verification treats a pending certificate as unknown. ``is_current`` marks the certificate that
    counts for its teacher and programme (a reissue or a renewal hands it to the new one); at most one is current.
    """

    # Wagtail's reference index would queue a task for every save (two per certificate issued: 20,000 tasks after a
    # bulk issue of 10,000). A certificate's references (holder, programme, predecessor) are protected foreign keys
    # shown by the registry itself, so the index has nothing to add.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Being issued")
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")

    class Origin(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic on eligibility")
        APPROVAL = "approval", _("Approved by an administrator")
        MANUAL = "manual", _("Issued by an administrator")
        BULK = "bulk", _("Bulk issue")
        REISSUE = "reissue", _("Reissue")
        RENEWAL = "renewal", _("Renewal")
        CORRECTION = "correction", _("Name correction")

    # Everything a certificate says; once it has left the pending state, none of these may change.
    FROZEN_FIELDS = (
        "user_id",
        "programme_id",
        "public_id",
        "verification_code",
        "serial",
        "holder_name_zh",
        "holder_name_en",
        "school",
        "county",
        "programme_name_zh",
        "programme_name_en",
        "hours",
        "score",
        "courses",
        "signatories",
        "issued_on",
        "valid_until",
        "pdf",
        "pdf_sha256",
        "signer_fingerprint",
        "pades_level",
        "long_term_fallback",
        "supersedes_id",
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="certificates"
    )
    programme = models.ForeignKey(
        CertificationProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="certificates"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    origin = models.CharField(_("issued by way of"), max_length=12, choices=Origin.choices)
    is_current = models.BooleanField(_("current"), default=True)
    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=13, unique=True)
    serial = models.CharField(_("serial number"), max_length=20, unique=True)

    holder_name_zh = models.CharField(_("holder name in Chinese"), max_length=50)
    holder_name_en = models.CharField(_("holder name in English"), max_length=100)
    school = models.CharField(_("school"), max_length=120, blank=True)
    county = models.CharField(_("county/city"), max_length=20, choices=County.choices, blank=True)
    programme_name_zh = models.CharField(_("programme name in Chinese"), max_length=120)
    programme_name_en = models.CharField(_("programme name in English"), max_length=160)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    courses = models.JSONField(_("courses"), default=list, blank=True, help_text=_("[[Chinese title, English title]]"))
    alignments = models.JSONField(
        _("competency alignments"),
        default=list,
        db_default=[],
        blank=True,
        help_text=_("The competency indicators the programme's courses were aligned to when it was issued."),
    )
    signatories = models.JSONField(
        _("signatories"),
        default=list,
        # Also in the database: rows written without the ORM (the scale seeder's COPY) get an empty list.
        db_default=[],
        blank=True,
        help_text=_("As printed: name and title in both languages, and the stored copy of the signature image."),
    )
    issued_on = models.DateField(_("date of issue"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    pdf = models.FileField(_("signed PDF"), upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True, db_index=True)
    signer_fingerprint = models.CharField(_("signer certificate fingerprint"), max_length=64, blank=True)
    pades_level = models.CharField(
        _("PAdES level at signing"),
        max_length=8,
        blank=True,
        help_text=_("B-B, B-T or B-LT. Later archival timestamps (B-LTA) are listed with the certificate's archives."),
    )
    long_term_fallback = models.TextField(
        _("why the signature is not long-term"),
        blank=True,
        help_text=_("Empty for a B-LT signature; otherwise why no validation information could be embedded."),
    )

    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    expiry_reminder_sent_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], condition=Q(is_current=True), name="one_current_certificate"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False), name="revoked_certificate_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"]),
            models.Index(fields=["programme", "issued_on"]),
            models.Index(fields=["county", "issued_on"]),
            models.Index(fields=["user", "programme"]),
        ]

    def __str__(self):
        return self.serial

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", None)
        if loaded and self._loaded_status != self.Status.PENDING:
            changed = [name for name, value in loaded.items() if getattr(self, name) != value]
            if changed:
                raise CertificateImmutable(f"{self.serial}: an issued certificate cannot change {', '.join(changed)}.")
        super().save(*args, **kwargs)
        # The public registry caches certificates; a predecessor's page names its successor, so it goes too. Again
        # after commit: a reader may have cached the old row while this transaction was open.
        keys = [certificate_cache_key(pk) for pk in (self.pk, self.supersedes_id) if pk]
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys), using=kwargs.get("using"))
        self._loaded = {name: getattr(self, name) for name in self.FROZEN_FIELDS}
        self._loaded_status = self.status

    # What a name correction's new certificate repeats from the one it replaces: only the name is corrected.
    KEPT_BY_CORRECTION = (
        "school",
        "county",
        "programme_name_zh",
        "programme_name_en",
        "hours",
        "score",
        "courses",
        "signatories",
        "alignments",
        "valid_until",
    )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = {name: getattr(instance, name) for name in cls.FROZEN_FIELDS if name in instance.__dict__}
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def grouped_verification_code(self) -> str:
        return format_verification_code(self.verification_code)

    @property
    def holder_name(self):
        return self.holder_name_en if (get_language() or "").startswith("en") else self.holder_name_zh

    @property
    def programme_name(self):
        return self.programme_name_en if (get_language() or "").startswith("en") else self.programme_name_zh

    def is_expired(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.ISSUED and self.valid_until is not None and self.valid_until < today

    @property
    def public_status(self) -> str:
        """What verification says: "valid", "expired", "revoked" or "pending"."""
        if self.status == self.Status.ISSUED:
            return "expired" if self.is_expired() else "valid"
        return self.status

    def newest_pdf(self):
        """The signed PDF as it stands: the newest archival (timestamped) version, else the one issued."""
        archive = self.archives.order_by("-sequence").first()
        return archive.pdf if archive is not None else self.pdf

    @property
    def verify_path(self) -> str:
        return reverse("certification:verify_certificate", kwargs={"public_id": self.public_id})
