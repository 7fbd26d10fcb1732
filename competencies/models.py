"""The competency-indicator framework: versions of areas and indicators that courses, modules, questions,
resources and certificates align to.

A published version is frozen: a certificate issued against it names its indicators for good, so an edit makes a
new draft version (`Framework.new_version`) and publishing that version retires the one before.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Sent with ``framework=`` when a version is published or retired: what learners' pages show of it changes
# (courses' learner cache listens, and replaces its token now and again on commit).
framework_status_changed = Signal()


# An indicator's code is part of its public address and of every credential that cites it.
CODE_SHAPE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z", _("Letters, digits, dots, hyphens and underscores only.")
)


class SchoolStage(models.TextChoices):
    """The school stages the white paper writes indicators for; the letter is the stage in an indicator's code."""

    ELEMENTARY = "E", _("Elementary school")
    JUNIOR = "J", _("Junior high school")
    SENIOR = "U", _("Senior high school")
    VOCATIONAL = "V", _("Vocational high school")


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class FrozenFramework(ValidationError):
    """A change to a published or retired version, which certificates may already cite."""

    def __init__(self):
        super().__init__(_("This version is published and frozen: make a new version to change it."), code="frozen")


class Bilingual:
    """The Chinese or English text of a field pair, in the reader's language, falling back to the other."""

    def localized(self, stem):
        zh, en = getattr(self, f"{stem}_zh"), getattr(self, f"{stem}_en")
        return (en or zh) if get_language() == "en" else (zh or en)


class FrameworkQuerySet(models.QuerySet):
    def citable(self):
        """Versions that can be aligned to and cited: published or retired, never a draft."""
        return self.exclude(status=FrameworkStatus.DRAFT)


class Framework(Bilingual, models.Model):
    slug = models.SlugField(_("slug"), max_length=60, help_text=_("The same for every version of a framework."))
    version = models.PositiveIntegerField(_("version"), default=1)
    name_zh = models.CharField(_("name in Chinese"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    description_zh = models.TextField(_("description in Chinese"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        ordering = ["slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="competency_framework_version")]

    def __str__(self):
        return f"{self.name_zh} {self.name_en} v{self.version}"

    def save(self, *args, **kwargs):
        if self.stored_status() not in (None, FrameworkStatus.DRAFT):
            raise FrozenFramework()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("competencies:framework", kwargs={"slug": self.slug, "version": self.version})

    def delete(self, *args, **kwargs):
        if self.stored_status() != FrameworkStatus.DRAFT:
            raise FrozenFramework()
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.stored_status() not in (None, FrameworkStatus.DRAFT):
            raise FrozenFramework()

    @property
    def name(self):
        return self.localized("name")

    @property
    def description(self):
        return self.localized("description")

    @property
    def is_frozen(self):
        return self.status != FrameworkStatus.DRAFT

    def stored_status(self):
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def _set_status(self, status, **stamps):
        self.status = status
        for field, value in stamps.items():
            setattr(self, field, value)
        # Past the freezing guard of save(): only the status and its time stamp change.
        models.Model.save(self, update_fields=["status", *stamps])
        framework_status_changed.send(sender=Framework, framework=self)

    @transaction.atomic
    def publish(self):
        """Freeze this draft and retire the version it replaces."""
        if self.status != FrameworkStatus.DRAFT:
            raise ValidationError(_("Only a draft can be published."), code="not-draft")
        if not Indicator.objects.filter(area__framework=self).exists():
            raise ValidationError(_("A framework needs at least one indicator to be published."), code="empty")
        now = timezone.now()
        for older in Framework.objects.filter(slug=self.slug, status=FrameworkStatus.PUBLISHED).exclude(pk=self.pk):
            older._set_status(FrameworkStatus.RETIRED, retired_at=now)
        self._set_status(FrameworkStatus.PUBLISHED, published_at=now)

    @transaction.atomic
    def new_version(self):
        """A draft copy of this version, numbered after the highest version of the framework, to edit."""
        latest = Framework.objects.filter(slug=self.slug).aggregate(models.Max("version"))["version__max"]
        copy = Framework.objects.create(
            slug=self.slug,
            version=latest + 1,
            name_zh=self.name_zh,
            name_en=self.name_en,
            description_zh=self.description_zh,
            description_en=self.description_en,
        )
        for area in self.areas.prefetch_related("indicators"):
            indicators = list(area.indicators.all())
            area.pk = None
            area.framework = copy
            area.save()
            for indicator in indicators:
                indicator.pk = None
                indicator.area = area
                indicator.save()
        return copy


class FrozenWithFramework(models.Model):
    """Areas and indicators change only while their framework version is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_draft(self.owning_framework_id())
        if self.pk is not None:
            self._check_draft(self.stored_framework_id())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_draft(self.stored_framework_id())
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        self._check_draft(self.owning_framework_id())

    def _check_draft(self, framework_id):
        if framework_id and Framework.objects.filter(pk=framework_id).exclude(status=FrameworkStatus.DRAFT).exists():
            raise FrozenFramework()


class Area(Bilingual, FrozenWithFramework):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="areas", verbose_name=_("framework")
    )
    code = models.SlugField(_("code"), max_length=20, allow_unicode=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    description_zh = models.TextField(_("description in Chinese"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        ordering = ["framework", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="competency_area_code")]

    def __str__(self):
        return f"{self.code} {self.name_zh} {self.name_en} (v{self.framework.version})"

    def get_absolute_url(self):
        framework = self.framework
        return reverse(
            "competencies:area",
            kwargs={"slug": framework.slug, "version": framework.version, "area": self.code},
        )

    @property
    def name(self):
        return self.localized("name")

    @property
    def description(self):
        return self.localized("description")

    def owning_framework_id(self):
        return self.framework_id

    def stored_framework_id(self):
        return Area.objects.filter(pk=self.pk).values_list("framework_id", flat=True).first()


class IndicatorQuerySet(models.QuerySet):
    def citable(self):
        """Indicators of published or retired versions: the ones courses, questions and certificates may cite."""
        return self.exclude(area__framework__status=FrameworkStatus.DRAFT)

    def with_framework(self):
        return self.select_related("area__framework").order_by(
            "area__framework__slug", "area__framework__version", "area__sort_order", "sort_order", "code"
        )


class Indicator(Bilingual, FrozenWithFramework):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("area"))
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[CODE_SHAPE],
        help_text=_("Unique within the framework, for example NI-E1."),
    )
    stage = models.CharField(_("school stage"), max_length=1, choices=SchoolStage.choices)
    title_zh = models.CharField(_("title in Chinese"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300)
    description_zh = models.TextField(_("description in Chinese"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("competency indicator")
        verbose_name_plural = _("competency indicators")
        ordering = ["area__framework", "area__sort_order", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="competency_indicator_code")]

    def __str__(self):
        framework = self.area.framework
        return f"{self.code} {self.title_zh} / {self.title_en} ({framework.slug} v{framework.version})"

    def get_absolute_url(self):
        framework = self.area.framework
        return reverse(
            "competencies:indicator",
            kwargs={"slug": framework.slug, "version": framework.version, "area": self.area.code, "code": self.code},
        )

    @property
    def title(self):
        return self.localized("title")

    @property
    def description(self):
        return self.localized("description")

    def owning_framework_id(self):
        return Area.objects.filter(pk=self.area_id).values_list("framework_id", flat=True).first()

    def stored_framework_id(self):
        return Indicator.objects.filter(pk=self.pk).values_list("area__framework_id", flat=True).first()

    def clean(self):
        super().clean()
        framework_id = self.owning_framework_id()
        clash = Indicator.objects.filter(area__framework_id=framework_id, code=self.code).exclude(pk=self.pk)
        if framework_id and clash.exists():
            raise ValidationError({"code": _("Another indicator of this framework version has this code.")})
