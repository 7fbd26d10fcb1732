"""Certification programmes: what a certificate takes to earn, and how it is issued and renewed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from courses.choices import Assurance

from ..signature_images import SIGNATURE_IMAGE_EXTENSIONS, validate_signature_image


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
    minimum_accepted_resources = models.PositiveIntegerField(
        _("minimum teaching resources accepted"),
        default=0,
        help_text=_("Teaching resources the teacher wrote or co-wrote that reviewers accepted."),
    )
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
                FieldPanel("minimum_accepted_resources"),
                FieldPanel("hours_need_feedback"),
            ],
            heading=_("Requirements"),
        ),
        InlinePanel(
            "module_requirements",
            heading=_("Modules and what their completion must prove"),
            label=_("module"),
            help_text=_(
                "A module listed here counts only when completed at this level or above: viewed; reported by the "
                "activity (the browser's word); score checked by the server; assessed by the server."
            ),
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
        InlinePanel(
            "signatories",
            heading=_("Signatories"),
            label=_("Signatory"),
            max_num=3,
            help_text=_("Printed on each certificate as it is issued; certificates already issued keep theirs."),
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


class ModuleRequirement(Orderable):
    """A module a programme requires, and the least a completion of it must prove (``courses.choices.Assurance``)."""

    programme = ParentalKey(CertificationProgramme, on_delete=models.CASCADE, related_name="module_requirements")
    module = models.ForeignKey(
        "courses.ModulePage", verbose_name=_("module"), on_delete=models.CASCADE, related_name="+"
    )
    assurance = models.PositiveSmallIntegerField(
        _("completion must prove at least"), choices=Assurance.choices, default=Assurance.CHECKED
    )

    panels = [FieldRowPanel([FieldPanel("module"), FieldPanel("assurance")])]

    class Meta(Orderable.Meta):
        verbose_name = _("module requirement")
        verbose_name_plural = _("module requirements")
        constraints = [models.UniqueConstraint(fields=["programme", "module"], name="unique_module_requirement")]

    def __str__(self):
        return f"{self.module} ≥ {self.get_assurance_display()}"


class ProgrammeSignatory(Orderable):
    """An official who signs a programme's certificates: name and title in both languages, and a signature or
    seal image. A certificate keeps a copy of its signatories (``Certificate.signatories``), so changing or
    removing one here alters only the certificates issued afterwards."""

    programme = ParentalKey(CertificationProgramme, on_delete=models.CASCADE, related_name="signatories")
    name_zh = models.CharField(_("name in Chinese"), max_length=50)
    name_en = models.CharField(_("name in English"), max_length=100)
    title_zh = models.CharField(_("title in Chinese"), max_length=60, help_text=_("For example 執行長."))
    title_en = models.CharField(_("title in English"), max_length=100, help_text=_("For example Executive Director."))
    image = models.ImageField(
        _("signature or seal"),
        upload_to="signatories/",
        blank=True,
        validators=[FileExtensionValidator(SIGNATURE_IMAGE_EXTENSIONS), validate_signature_image],
        help_text=_("Optional. A PNG or JPEG image of at most 2 MB, printed above the line."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("title_zh"), FieldPanel("title_en")]),
        FieldPanel("image"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return f"{self.name_zh} {self.title_zh}"
