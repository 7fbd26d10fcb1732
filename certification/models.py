from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from accounts.choices import County

from .codes import format_verification_code


class CertificationProgramme(index.Indexed, ClusterableModel):
    """A certificate teachers can earn, and what it takes to earn it."""

    class IssueMode(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatically, as soon as the teacher is eligible")
        APPROVAL = "approval", _("After an administrator approves")

    class RenewalRule(models.TextChoices):
        NOT_RENEWABLE = "none", _("Cannot be renewed")
        ON_REQUEST = "on_request", _("Renewed on request")
        CONTINUING_HOURS = "continuing_hours", _("Renewed after further study hours since the last issue")

    name_zh = models.CharField(_("name in Chinese"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=160)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the programme's web address."))
    description_zh = models.TextField(_("description in Chinese"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    certificate_title_zh = models.CharField(
        _("certificate title in Chinese"), max_length=60, default="專業知能證書", help_text=_("Printed on the PDF.")
    )
    certificate_title_en = models.CharField(
        _("certificate title in English"), max_length=100, default="Certificate of Professional Competency"
    )
    required_courses = ParentalManyToManyField(
        "courses.CoursePage", verbose_name=_("required courses"), blank=True, related_name="+"
    )
    minimum_hours = models.DecimalField(
        _("minimum study hours"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Online course hours and workshop hours together."),
    )
    minimum_score = models.DecimalField(
        _("minimum score (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The average best score over the scored modules of the required courses."),
    )
    prerequisite = models.ForeignKey(
        "self",
        verbose_name=_("prerequisite programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A valid certificate of this programme is required first."),
    )
    minimum_community_sessions = models.PositiveIntegerField(_("minimum community sessions attended"), default=0)
    hours_need_feedback = models.BooleanField(
        _("workshop hours wait for the feedback questionnaire"),
        default=False,
        help_text=_(
            "A workshop that has a feedback questionnaire counts toward the hours once the teacher answered it."
        ),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity (years)"), null=True, blank=True, help_text=_("Leave empty for a certificate that never expires.")
    )
    renewal_rule = models.CharField(
        _("renewal rule"), max_length=20, choices=RenewalRule.choices, default=RenewalRule.NOT_RENEWABLE
    )
    renewal_hours = models.DecimalField(
        _("study hours needed to renew"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Course and workshop hours completed since the last issue, for the rule above."),
    )
    issue_mode = models.CharField(
        _("issue mode"), max_length=12, choices=IssueMode.choices, default=IssueMode.AUTOMATIC
    )
    is_active = models.BooleanField(_("open for certification"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
                FieldPanel("slug"),
                FieldPanel("description_zh"),
                FieldPanel("description_en"),
                FieldRowPanel([FieldPanel("certificate_title_zh"), FieldPanel("certificate_title_en")]),
            ],
            heading=_("Programme"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("required_courses"),
                FieldRowPanel([FieldPanel("minimum_hours"), FieldPanel("minimum_score")]),
                FieldRowPanel([FieldPanel("prerequisite"), FieldPanel("minimum_community_sessions")]),
                FieldPanel("hours_need_feedback"),
            ],
            heading=_("Requirements"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("validity_years"),
                FieldRowPanel([FieldPanel("renewal_rule"), FieldPanel("renewal_hours")]),
                FieldPanel("issue_mode"),
                FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
            ],
            heading=_("Issuing"),
        ),
    ]
    search_fields = [index.SearchField("name_zh"), index.SearchField("name_en"), index.AutocompleteField("name_en")]

    class Meta:
        verbose_name = _("certification programme")
        verbose_name_plural = _("certification programmes")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    @property
    def description(self):
        return self.description_en if (get_language() or "").startswith("en") else self.description_zh

    def clean(self):
        programme = self.prerequisite
        seen = {self.pk}
        while programme is not None:
            if programme.pk in seen:
                raise ValidationError({"prerequisite": _("A programme cannot require itself, even indirectly.")})
            seen.add(programme.pk)
            programme = programme.prerequisite

    def valid_until(self, issued_on: date) -> date | None:
        if not self.validity_years:
            return None
        try:
            return issued_on.replace(year=issued_on.year + self.validity_years)
        except ValueError:  # 29 February
            return issued_on.replace(year=issued_on.year + self.validity_years, day=28)


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
        "issued_on",
        "valid_until",
        "pdf",
        "pdf_sha256",
        "signer_fingerprint",
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
    issued_on = models.DateField(_("date of issue"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    pdf = models.FileField(_("signed PDF"), upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True, db_index=True)
    signer_fingerprint = models.CharField(_("signer certificate fingerprint"), max_length=64, blank=True)

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

    @property
    def verify_path(self) -> str:
        from django.urls import reverse

        return reverse("certification:verify_certificate", kwargs={"public_id": self.public_id})


class ApprovalRequest(models.Model):
    """A teacher who is eligible for a programme issued only after an administrator approves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        CertificationProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="approval_requests"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], condition=Q(status="pending"), name="one_pending_approval"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.programme}"


class BulkIssue(models.Model):
    """A batch of certificates an administrator asked for at once; each item is issued by its own task."""

    programme = models.ForeignKey(
        CertificationProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bulk issue")
        verbose_name_plural = _("bulk issues")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.programme} · {self.created_at:%Y-%m-%d %H:%M}"

    def progress(self) -> dict[str, int]:
        counts = dict(self.items.values_list("status").annotate(total=models.Count("pk")).order_by())
        return {
            "issued": counts.get(BulkIssueItem.Status.ISSUED, 0),
            "failed": counts.get(BulkIssueItem.Status.FAILED, 0),
            "left": counts.get(BulkIssueItem.Status.WAITING, 0),
            "total": sum(counts.values()),
        }


class BulkIssueItem(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(BulkIssue, verbose_name=_("bulk issue"), on_delete=models.CASCADE, related_name="items")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("teacher"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_as = models.CharField(_("requested as"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    message = models.CharField(_("message"), max_length=255, blank=True)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bulk issue item")
        verbose_name_plural = _("bulk issue items")
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self):
        return f"{self.batch} · {self.requested_as}"
