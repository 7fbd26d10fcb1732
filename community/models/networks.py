"""Professional community networks (國際教育專業社群網絡): their pages, members and regular sessions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from accounts.choices import County, SchoolLevel
from core.blocks import ResourceBlock
from core.routing import CachedViewRestrictionsMixin
from courses.models import TrainingSession

from ..choices import ExpertiseArea


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    url = blocks.URLBlock(label=_("Address"))
    description = blocks.CharBlock(label=_("Description"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")
        template = "community/blocks/link_block.html"


class CommunityResourcesBlock(blocks.StreamBlock):
    document = ResourceBlock()
    link = LinkBlock()


class CommunityIndexPage(Page):
    """Lists the community networks, filtered by region, school level and focus area."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["community.CommunityPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("community index page")

    def get_context(self, request, *args, **kwargs):
        # The forms import these models: read when the page is served.
        from ..forms import CommunityFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = CommunityFilterForm(request.GET or None)
        communities = CommunityPage.objects.child_of(self).live().public().order_by("title")
        if form.is_valid():
            communities = form.filter(communities)
        communities = list(communities)
        next_sessions = CommunitySession.next_sessions_by_community(communities)
        for community in communities:
            community.next_session = next_sessions.get(community.translation_key)
        context.update(filter_form=form, communities=communities)
        return context


# Replaced by any change a community page shows beyond its own content: members joining or leaving, sessions, and
# members' names and schools (community.apps connects it); each signed-in reader's copy of a page carries it.
MEMBERS_TOKEN = "community:members-token"


def members_changed(sender=None, instance=None, update_fields=None, **kwargs):
    """Retire every signed-in reader's copy of every community page (a sign-in, stamping last_login, does not)."""
    from core.generations import replace_token
    from courses.learner_cache import TOKEN_SECONDS

    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    replace_token(MEMBERS_TOKEN, TOKEN_SECONDS)


class CommunityPage(CachedViewRestrictionsMixin, Page):
    """One community network. Its name is the page title; each language has its own page (Wagtail i18n).

    Members, sessions and facilitators belong to the network, not to one language: they are kept on the page in
    the default language (see `network`), so both translations show the same people and the same sessions.
    """

    description = models.TextField(_("description"))
    region = models.CharField(_("county/city"), max_length=20, choices=County.choices)
    school_level = models.CharField(
        _("school level"), max_length=20, choices=SchoolLevel.choices, blank=True, help_text=_("Empty: all levels.")
    )
    focus_area = models.CharField(_("focus area"), max_length=20, choices=ExpertiseArea.choices)
    meeting_pattern = models.CharField(
        _("regular meetings"), max_length=120, blank=True, help_text=_("For example: every second Wednesday, 15:00.")
    )
    facilitators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), blank=True, related_name="facilitated_communities"
    )
    resources = StreamField(CommunityResourcesBlock(), verbose_name=_("shared resources"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldPanel("school_level"),
                FieldPanel("focus_area"),
                FieldPanel("meeting_pattern"),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("facilitators"),
        FieldPanel("resources"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.FilterField("region"),
        index.FilterField("school_level"),
        index.FilterField("focus_area"),
    ]
    parent_page_types = ["community.CommunityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    @cached_property
    def network(self):
        """The page in the default language, which holds members, sessions and facilitators for all languages."""
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        default = self.get_translation_or_none(Locale.get_default())
        return default.specific if default is not None else self

    def members(self):
        return Membership.objects.filter(community__translation_key=self.translation_key)

    def is_member(self, user):
        return user.is_authenticated and self.members().filter(user=user).exists()

    def is_facilitator(self, user):
        return user.is_authenticated and self.network.facilitators.filter(pk=user.pk).exists()

    def join(self, user):
        membership, _created = Membership.objects.get_or_create(community=self.network, user=user)
        return membership

    def leave(self, user):
        self.members().filter(user=user).delete()

    def sessions(self):
        return (
            CommunitySession.objects.filter(community__translation_key=self.translation_key)
            .select_related("training_session")
            .order_by("training_session__starts_at")
        )

    @classmethod
    def kept_copy(cls, request, page_id):
        """The reader's copy of the community ``page_id`` as they last saw it, or None: answered by the routing
        (``core.routing.cached_route``) before the page is read, since what it shows of the reader (member or not,
        the member list) is in the copy, kept under their own key."""
        from courses.learner_pages import cached_learner_page, learner_page_key

        return cached_learner_page(request, learner_page_key(request, f"page:{page_id}", [MEMBERS_TOKEN]))

    def serve(self, request, *args, **kwargs):
        from courses.learner_cache import FRAGMENT_SECONDS
        from courses.learner_pages import cached_learner_page, learner_page_key, store_learner_page

        key = learner_page_key(request, f"page:{self.pk}", [MEMBERS_TOKEN])
        response = cached_learner_page(request, key)
        if response is None:
            response = super().serve(request, *args, **kwargs)
            # A session moves from upcoming to past when it ends: the copy lasts no longer than that.
            ends = [session.training_session.ends_at for session in response.context_data["upcoming_sessions"]]
            timeout = FRAGMENT_SECONDS
            if ends:
                timeout = min(timeout, int((min(ends) - timezone.now()).total_seconds()))
            if timeout > 0:
                store_learner_page(request, key, response, timeout)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        is_member = self.is_member(user)
        is_facilitator = self.is_facilitator(user)
        now = timezone.now()
        sessions = list(self.sessions())
        context.update(
            is_member=is_member,
            is_facilitator=is_facilitator,
            member_count=self.members().count(),
            upcoming_sessions=[s for s in sessions if s.training_session.ends_at >= now],
            past_sessions=[s for s in reversed(sessions) if s.training_session.ends_at < now][:10],
        )
        if is_member or is_facilitator:
            context["member_list"] = self.members().select_related("user__teacher_profile").order_by("joined_at")
        return context


class Membership(models.Model):
    community = models.ForeignKey(
        CommunityPage, verbose_name=_("community"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="community_memberships",
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="unique_community_membership")]

    def __str__(self):
        return f"{self.user} @ {self.community}"


class CommunitySession(models.Model):
    """A regular meeting of a community. Date, hours and attendance live on the shared `TrainingSession`."""

    community = models.ForeignKey(
        CommunityPage, verbose_name=_("community"), on_delete=models.CASCADE, related_name="community_sessions"
    )
    training_session = models.OneToOneField(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="community_session",
        limit_choices_to={"kind": TrainingSession.Kind.COMMUNITY},
    )
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    agenda_zh = models.TextField(_("agenda in Chinese"), blank=True)
    agenda_en = models.TextField(_("agenda in English"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)

    class Meta:
        verbose_name = _("community session")
        verbose_name_plural = _("community sessions")

    def __str__(self):
        return self.training_session.title

    @property
    def title(self):
        if get_language() == "en" and self.title_en:
            return self.title_en
        return self.training_session.title

    @property
    def agenda(self):
        if get_language() == "en":
            return self.agenda_en or self.agenda_zh
        return self.agenda_zh or self.agenda_en

    @classmethod
    def next_sessions_by_community(cls, communities):
        """The next session of each community, keyed by translation key, in one query."""
        keys = {community.translation_key for community in communities}
        upcoming = (
            cls.objects.filter(community__translation_key__in=keys, training_session__ends_at__gte=timezone.now())
            .select_related("training_session", "community")
            .order_by("-training_session__starts_at")
        )
        # Latest first, so the earliest session of each community is the one left in the mapping.
        return {session.community.translation_key: session for session in upcoming}
