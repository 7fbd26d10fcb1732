"""The international-education expert database (國際教育專家資料庫)."""

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from accounts.choices import County
from core.routing import CachedViewRestrictionsMixin
from resources.models import Resource

from ..choices import Availability, ExpertiseArea, Language
from ..fields import ChoiceSetField

# The newest accepted teaching resources shown on an expert's entry; the rest are on the author's resources page.
EXPERT_RESOURCES = 6


class ExpertQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)

    def holding(self, field_name, code):
        """Experts whose set-valued field (expertise, languages, regions, availability) holds `code`."""
        return self.filter(**{f"{field_name}__contains": f",{code},"})


class Expert(index.Indexed, models.Model):
    """An entry in the expert directory, kept by administrators or opted into by a certified teacher."""

    name_zh = models.CharField(_("name in Chinese"), max_length=50)
    name_en = models.CharField(_("name in English"), max_length=100)
    title_zh = models.CharField(_("title in Chinese"), max_length=120, blank=True)
    title_en = models.CharField(_("title in English"), max_length=160, blank=True)
    organisation_zh = models.CharField(_("organisation in Chinese"), max_length=160, blank=True)
    organisation_en = models.CharField(_("organisation in English"), max_length=200, blank=True)
    expertise = ChoiceSetField(_("expertise areas"), choices=ExpertiseArea.choices, blank=False)
    languages = ChoiceSetField(_("languages"), choices=Language.choices, blank=False)
    regions = ChoiceSetField(_("regions served"), choices=County.choices, max_length=500)
    availability = ChoiceSetField(_("available as"), choices=Availability.choices)
    bio_zh = models.TextField(_("biography in Chinese"), blank=True)
    bio_en = models.TextField(_("biography in English"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_entry",
        help_text=_("Set when a certified teacher opted in; their valid certificates are shown on the entry."),
    )
    is_listed = models.BooleanField(_("listed in the directory"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("name_zh"), FieldPanel("name_en"), FieldPanel("title_zh"), FieldPanel("title_en")],
            heading=_("Name and title"),
        ),
        MultiFieldPanel([FieldPanel("organisation_zh"), FieldPanel("organisation_en")], heading=_("Organisation")),
        FieldPanel("photo"),
        FieldPanel("expertise"),
        FieldPanel("languages"),
        FieldPanel("regions"),
        FieldPanel("availability"),
        FieldPanel("bio_zh"),
        FieldPanel("bio_en"),
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")], heading=_("Contact")),
        FieldPanel("user"),
        FieldPanel("is_listed"),
    ]
    search_fields = [
        index.SearchField("name_zh", boost=3),
        index.SearchField("name_en", boost=3),
        index.AutocompleteField("name_en"),
        index.SearchField("title_zh"),
        index.SearchField("title_en"),
        index.SearchField("organisation_zh"),
        index.SearchField("organisation_en"),
        index.SearchField("bio_zh"),
        index.SearchField("bio_en"),
        index.SearchField("expertise_labels", boost=2),
        index.FilterField("is_listed"),
    ]

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name_en"]

    def __str__(self):
        return f"{self.name_zh} {self.name_en}"

    def _localized(self, stem):
        zh, en = getattr(self, f"{stem}_zh"), getattr(self, f"{stem}_en")
        return (en or zh) if get_language() == "en" else (zh or en)

    @property
    def name(self):
        return self._localized("name")

    @property
    def title(self):
        return self._localized("title")

    @property
    def organisation(self):
        return self._localized("organisation")

    @property
    def bio(self):
        return self._localized("bio")

    def expertise_labels(self):
        """Both languages' labels, so a search in either language finds the area."""
        # The directory and its forms import these models: read when the page is served.
        from ..directory import vocabulary_labels

        return " ".join(vocabulary_labels(ExpertiseArea, self.expertise))

    def labels(self, vocabulary, codes):
        choices = dict(vocabulary.choices)
        return [choices[code] for code in codes if code in choices]

    def expertise_display(self):
        return self.labels(ExpertiseArea, self.expertise)

    def languages_display(self):
        return self.labels(Language, self.languages)

    def regions_display(self):
        return self.labels(County, self.regions)

    def availability_display(self):
        return self.labels(Availability, self.availability)


class ExpertIndexPage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """The public expert directory: search, filters, pagination and one sub-page per expert."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("expert directory page")

    def expert_url(self, expert, request=None):
        return self.get_url(request) + self.reverse_subpage("expert", args=[expert.pk])

    @path("")
    def directory(self, request):
        from courses.learner_pages import learner_page_key, serve_learner_page

        from ..directory import DIRECTORY_TOKEN, directory_results

        def render():
            results, context = directory_results(self, request)
            return self.render(request, context_overrides={**context, "directory_results": results})

        # Nothing in the directory is the reader's own but the site chrome: their copy follows the directory's token.
        key = learner_page_key(request, f"directory:{self.pk}", [DIRECTORY_TOKEN])
        return serve_learner_page(request, key, render)

    @path("<int:expert_id>/", name="expert")
    def expert(self, request, expert_id):
        # The directory and its forms import these models: read when the page is served.
        from ..directory import certificates_by_user
        from ..forms import ContactRequestForm

        expert = get_object_or_404(Expert.objects.listed().select_related("photo"), pk=expert_id)
        certificates = certificates_by_user([expert.user_id]).get(expert.user_id, []) if expert.user_id else []
        resources = list(Resource.objects.public().by(expert.user_id)[:EXPERT_RESOURCES]) if expert.user_id else []
        return self.render(
            request,
            template="community/expert_page.html",
            context_overrides={
                "expert": expert,
                "certificates": certificates,
                "resources": resources,
                "contact_form": ContactRequestForm() if request.user.is_authenticated else None,
            },
        )


class ContactRequest(models.Model):
    """A signed-in teacher's message to an expert, kept so that requests can be rate-limited per sender."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sender"), on_delete=models.CASCADE, related_name="+"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="contact_requests"
    )
    message = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self):
        return f"{self.sender} → {self.expert}"
