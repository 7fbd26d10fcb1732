import datetime
import math
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from accounts.access import has_staff_access
from competencies.panels import indicator_panel, indicators_field
from core.blocks import RICH_TEXT_FEATURES
from core.page_cache import anonymous_page_key, store_page
from core.routing import CachedViewRestrictionsMixin

from ..blocks import MODULE_CONTENT
from ..choices import CompetencyArea, CompletionRule, CourseLevel
from .attendance import TrainingSession
from .progress import Enrolment

CATALOGUE_PAGE_SIZE = 12


def canonical(page):
    """The default-language version of a translated page.

    A course and its modules exist once per language, but a teacher's enrolment and progress are one: they are
    always recorded against the default-language page, whichever language the teacher reads in.
    """
    default_id = default_locale_id()
    if page.locale_id == default_id:
        return page
    return page.get_translation_or_none(default_id) or page


def default_locale_id():
    """The default content locale's id, looked up once an hour rather than on every page view."""
    return cache.get_or_set("courses:default-locale-id", lambda: Locale.get_default().pk, 3600)


class CourseIndexPage(Page):
    """The course catalogue."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index page")

    def courses(self, competency_area="", level="", query=""):
        """The live courses of this catalogue, filtered as a teacher asked."""
        courses = CoursePage.objects.child_of(self).live().public().select_related("cover_image")
        if competency_area in CompetencyArea.values:
            courses = courses.filter(competency_area=competency_area)
        if level in CourseLevel.values:
            courses = courses.filter(level=level)
        query = query.strip()[:100]
        if query:
            # Chinese has no spaces between words, so a full-text index finds little; a substring match does.
            courses = courses.filter(Q(title__icontains=query) | Q(summary__icontains=query))
        return courses.order_by("level", "title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        area = request.GET.get("area", "")
        level = request.GET.get("level", "")
        query = request.GET.get("q", "")
        courses = self.courses(area, level, query)
        context.update(
            courses=Paginator(courses, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page")),
            competency_areas=CompetencyArea.choices,
            levels=CourseLevel.choices,
            selected_area=area,
            selected_level=level,
            query=query,
            is_filtered=bool(area or level or query.strip()),
            query_string=urlencode(
                {key: value for key, value in (("q", query), ("area", area), ("level", level)) if value}
            ),
        )
        return context


class CoursePage(CachedViewRestrictionsMixin, Page):
    summary = models.TextField(_("summary"), max_length=500)
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
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
    competency_indicators = indicators_field("courses")
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
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("competency_area"), FieldPanel("level"), FieldPanel("study_hours")],
            heading=_("Classification"),
        ),
        FieldPanel("trainers"),
        FieldPanel("prerequisites"),
        indicator_panel(),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")])],
            heading=_("Enrolment window"),
        ),
        FieldPanel("cover_image"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("competency_area"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.WorkshopPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        if self.enrolment_opens and self.enrolment_closes and self.enrolment_closes <= self.enrolment_opens:
            raise ValidationError({"enrolment_closes": _("Enrolment must close after it opens.")})

    @property
    def whole_study_hours(self) -> int:
        """The study hours rounded up, to choose a plural form by: a plural rule needs an integer, and 1.5 hours
        read as "hours" as 2 do (the number shown keeps its decimals)."""
        return math.ceil(self.study_hours)

    def modules(self):
        return ModulePage.objects.child_of(self).live().order_by("path")

    def is_enrolment_open(self, now=None):
        now = now or timezone.now()
        if self.enrolment_opens and now < self.enrolment_opens:
            return False
        return not (self.enrolment_closes and now >= self.enrolment_closes)

    def serve(self, request, *args, **kwargs):
        from ..learner_cache import FRAGMENT_SECONDS
        from ..learner_pages import learner_page_key, serve_learner_page

        def render():
            # Anonymous visitors all see the same course page: it is kept whole until anything it shows changes,
            # and answered from the cache before routing (core.routing.CachedPageRoutingMiddleware).
            response = super(CoursePage, self).serve(request, *args, **kwargs)
            store_page(anonymous_page_key(request), request, response)
            return response

        # A signed-in learner's copy is kept too, unless the enrolment window opens or closes before it would
        # expire: the page offers to enrol by the clock.
        soon = timezone.now() + datetime.timedelta(seconds=FRAGMENT_SECONDS)
        window_moves = any(moment and moment <= soon for moment in (self.enrolment_opens, self.enrolment_closes))
        key = None if window_moves else learner_page_key(request, f"page:{self.pk}")
        return serve_learner_page(request, key, render)

    def get_context(self, request, *args, **kwargs):
        # progress imports these page models: read when the page is served.
        from ..progress import course_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(course_overview(self, request.user))
        return context


class ModulePage(CachedViewRestrictionsMixin, Page):
    body = StreamField(MODULE_CONTENT, verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    completion_rule = models.CharField(
        _("completion rule"), max_length=20, choices=CompletionRule.choices, default=CompletionRule.VIEWED
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Used when the completion rule asks for an H5P or SCORM score; a quiz has its own pass mark."),
    )
    competency_indicators = indicators_field("modules")

    content_panels = Page.content_panels + [
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("completion_rule"), FieldPanel("pass_mark")],
            heading=_("Completion"),
        ),
        indicator_panel(),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def clean(self):
        super().clean()
        if self.completion_rule == CompletionRule.QUIZ_PASSED:
            if not self.blocks_of_type("quiz"):
                raise ValidationError({"completion_rule": _("This completion rule needs a quiz in the body.")})
        elif CompletionRule(self.completion_rule).is_scorm:
            if not self.scorm_package_ids:
                raise ValidationError(
                    {"completion_rule": _("This completion rule needs a SCORM package in the body.")}
                )
        elif self.completion_rule != CompletionRule.VIEWED and not self.h5p_package_ids:
            raise ValidationError(
                {"completion_rule": _("This completion rule needs at least one H5P activity in the body.")}
            )
        if self.completion_rule == CompletionRule.H5P_PASSED:
            self._refuse_scores_the_server_cannot_check()

    def _refuse_scores_the_server_cannot_check(self):
        """A pass mark on a score only the browser vouches for would be a pass mark anyone can claim."""
        from ..h5p.scoring import SINGLE_RESPONSE_SCORERS, is_rescored
        from .h5p import H5PPackage

        packages = H5PPackage.objects.filter(pk__in=self.h5p_package_ids).only("title", "main_library", "content_json")
        unchecked = [package for package in packages if not is_rescored(package.content_json, package.main_library)]
        if unchecked:
            message = _(
                "A pass mark needs scores the server can check, and it cannot re-score %(activities)s. Choose "
                "“H5P completed” (it proves only that the activity says it is done), or use activities of a type "
                "the server re-scores: %(types)s, or a Question Set made of them."
            ) % {
                "activities": ", ".join(f"“{p.title}” ({p.main_library})" for p in unchecked),
                "types": ", ".join(name for name in SINGLE_RESPONSE_SCORERS if name.startswith("H5P.")),
            }
            raise ValidationError({"completion_rule": message})

    @cached_property
    def course(self):
        return CoursePage.objects.ancestor_of(self).get()

    @property
    def h5p_package_ids(self):
        """The H5P packages this module's body shows, in order, each once."""
        ids = []
        # The raw data, not the blocks: it names the packages without loading them.
        for block in self.body.raw_data:
            package_id = (block.get("value") or {}).get("package") if block.get("type") == "h5p" else None
            if isinstance(package_id, int) and package_id not in ids:
                ids.append(package_id)
        return ids

    @property
    def scorm_package_ids(self):
        """The SCORM packages this module's body shows, in order, each once."""
        ids = []
        for value in self.blocks_of_type("scorm"):
            package_id = value.get("package")
            if isinstance(package_id, int) and package_id not in ids:
                ids.append(package_id)
        return ids

    def blocks_of_type(self, block_type):
        """The raw values of the body's blocks of ``block_type``, in order (no block is loaded)."""
        return [block.get("value") or {} for block in self.body.raw_data if block.get("type") == block_type]

    def is_visible_to(self, user):
        """Whether ``user`` may see this module's content: its enrolled learners, its course's trainers, staff."""
        if not user.is_authenticated or not user.is_active:
            return False
        if has_staff_access(user):
            return True
        course = canonical(self.course)
        if course.trainers.filter(pk=user.pk).exists():
            return True
        return Enrolment.objects.filter(user=user, course=course, status=Enrolment.Status.ACTIVE).exists()

    def serve(self, request, *args, **kwargs):
        from ..learner_pages import learner_page_key, serve_learner_page

        def render():
            response = super(ModulePage, self).serve(request, *args, **kwargs)
            if self.h5p_package_ids or self.scorm_package_ids:
                # The player module reads the models (through the module's blocks): imported when a page is served.
                from ..h5p.player import page_csp

                # The players are frames on the content origin; the package's code runs under the frame's own policy.
                response._csp_update = page_csp(request)
            return response

        # The learner's copy is answered without recording the view again: it was rendered, and the view recorded,
        # under the same learner token, which recording a new view or completion would have replaced. Its frames'
        # signed URLs outlive the copy (FRAGMENT_SECONDS < H5P_CONTENT_URL_SECONDS - TOKEN_WINDOW_SECONDS).
        return serve_learner_page(request, learner_page_key(request, f"page:{self.pk}"), render)

    def get_context(self, request, *args, **kwargs):
        # progress imports these page models: read when the page is served.
        from ..progress import module_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(module_overview(self, request.user))
        return context


class WorkshopIndexPage(Page):
    """Workshops and in-service training that belong to no single course."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.WorkshopPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("workshop index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        workshops = WorkshopPage.objects.child_of(self).live().public().select_related("session")
        now = timezone.now()
        context["upcoming"] = workshops.filter(session__ends_at__gte=now).order_by("session__starts_at")
        context["past"] = workshops.filter(session__ends_at__lt=now).order_by("-session__starts_at")[:12]
        return context


class WorkshopPage(Page):
    """A workshop (研習/工作坊) on a date, in a place or online; its registrations and attendance are its session's."""

    summary = models.TextField(_("summary"), max_length=500)
    body = RichTextField(_("programme"), blank=True, features=RICH_TEXT_FEATURES)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0)])
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    # Translations of a workshop share one session: registrations and attendance do not depend on language.
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="workshop_pages",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("hours"), FieldPanel("capacity")]),
                FieldPanel("place"),
                FieldPanel("online_url"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("place")]
    parent_page_types = ["courses.CoursePage", "courses.WorkshopIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A workshop must end after it starts.")})
        if not self.place and not self.online_url:
            raise ValidationError({"place": _("Give a place, an online meeting link, or both.")})

    def save(self, *args, **kwargs):
        self.sync_session()
        super().save(*args, **kwargs)

    def sync_session(self):
        """Create or update the training session that carries this workshop's registrations and attendance."""
        values = {
            "kind": TrainingSession.Kind.WORKSHOP,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "hours": self.hours,
            "capacity": self.capacity,
        }
        if self.session_id is None and self.translation_key:
            # A translation created outside Wagtail's "translate" action joins its source's session.
            self.session_id = (
                WorkshopPage.objects.filter(translation_key=self.translation_key, session__isnull=False)
                .values_list("session_id", flat=True)
                .first()
            )
        if self.session_id is None:
            self.session = TrainingSession.objects.create(title=self.title, **values)
            return
        if self.locale_id == default_locale_id():
            values["title"] = self.title
        TrainingSession.objects.filter(pk=self.session_id).update(**values)

    def get_context(self, request, *args, **kwargs):
        # attendance imports these page models: read when the page is served.
        from ..attendance import can_manage_session, session_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(session_overview(self.session, request.user))
        parent = self.get_parent().specific
        context["course"] = parent if isinstance(parent, CoursePage) else None
        context["can_manage"] = self.session is not None and can_manage_session(request.user, self.session)
        return context
