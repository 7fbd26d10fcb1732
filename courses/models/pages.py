from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ModuleStreamBlock
from ..choices import CompetencyArea, CompletionRule, CourseLevel


class CourseIndexPage(Page):
    """The course catalogue."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index page")


class CoursePage(Page):
    summary = models.TextField(_("summary"), max_length=500)
    competency_area = models.CharField(_("competency area"), max_length=20, choices=CompetencyArea.choices)
    level = models.CharField(_("level"), max_length=20, choices=CourseLevel.choices)
    study_hours = models.DecimalField(
        _("study hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True, related_name="trained_courses"
    )
    prerequisites = ParentalManyToManyField(
        "self", verbose_name=_("prerequisite courses"), blank=True, symmetrical=False, related_name="+"
    )
    enrolment_opens = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enrolment_closes = models.DateTimeField(_("enrolment closes"), null=True, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("competency_area"), FieldPanel("level"), FieldPanel("study_hours")],
            heading=_("Classification"),
        ),
        FieldPanel("trainers"),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")], heading=_("Enrolment window")
        ),
        FieldPanel("cover_image"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("competency_area"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")


class ModulePage(Page):
    body = StreamField(ModuleStreamBlock(), verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    completion_rule = models.CharField(
        _("completion rule"), max_length=20, choices=CompletionRule.choices, default=CompletionRule.VIEWED
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Used when the completion rule asks for an H5P score."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("completion_rule"), FieldPanel("pass_mark")],
            heading=_("Completion"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
