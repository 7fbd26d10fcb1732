from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core import request_cache
from core.blocks import BaseStreamBlock
from core.menu import MENU_CACHE_SECONDS, menu_generation
from core.routing import cached_site, host_digest


class HomePage(Page):
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero call-to-action page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_label = models.CharField(_("hero call-to-action label"), max_length=60, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_cta_page"),
                FieldPanel("hero_cta_label"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = NewsPage.objects.live().public().filter(locale=self.locale).order_by("-date")[:3]
        context["featured_courses"] = self.featured_courses()
        return context

    def featured_courses(self):
        """The courses this home page features, from the app that has them (``courses`` registers its newest ones
        with the ``home_page_featured_courses`` hook): ``home`` knows no app above it."""
        return [course for hook in hooks.get_hooks("home_page_featured_courses") for course in hook(self)]


class StandardPage(Page):
    """A content page: about, help, policies."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(Page):
    """The information network of the white paper: announcements about courses, workshops and certification."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.child_of(self).live().public().order_by("-date")
        context["news_pages"] = Paginator(news, 10).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=300)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news page")
        ordering = ["-date"]


def organisation_settings_key(request):
    """The key of the settings as a request finds them: per site cache generation and host (``core.routing``)."""
    return [f"organisation-settings:{menu_generation(request)}:host:{host_digest(request)}"]


@register_setting(icon="site")
class OrganisationSettings(BaseSiteSetting):
    name_zh = models.CharField(_("organisation name in Chinese"), max_length=120, default="國際教育專業知能認證中心")
    name_en = models.CharField(
        _("organisation name in English"), max_length=160, default="International Education Certification Centre"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    footer_text = RichTextField(_("footer text"), blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldPanel("name_zh"),
        FieldPanel("name_en"),
        FieldPanel("logo"),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")),
        FieldPanel("footer_text"),
    ]

    select_related = ["logo"]

    class Meta:
        verbose_name = _("organisation")

    @classmethod
    def for_site(cls, site, generation=None):
        """The settings of ``site``, kept in the cache: every page's header and footer shows them.

        Saving them starts a new site cache generation (``core.menu``), so an edit shows on the next request.
        """
        if site is None:
            return super().for_site(site)
        key = f"organisation-settings:{generation or menu_generation()}:{site.pk}"
        instance = cache.get(key)
        if instance is None:
            instance = super().for_site(site)
            cache.set(key, instance, MENU_CACHE_SECONDS)
        return instance

    @classmethod
    def for_request(cls, request):
        """Wagtail's, with the site and the generation as this request already read them (``core.routing``): a
        view that is not a page (a quiz attempt, say) no longer looks its site up in the database. Kept per host
        (which names the site within a generation) and read with the site, in one round trip."""
        name = cls.get_cache_attr_name()
        if not hasattr(request, name):
            site = cached_site(request)
            key = organisation_settings_key(request)[0]
            instance = request_cache.get(key) if site is not None else None
            if instance is None:
                instance = cls.for_site(site, generation=menu_generation(request))
                if site is not None:
                    cache.set(key, instance, MENU_CACHE_SECONDS)
            instance._request = request  # as Wagtail's, for page URLs
            setattr(request, name, instance)
        return getattr(request, name)

    def name_for(self, language_code):
        return self.name_en if language_code.startswith("en") else self.name_zh
