"""Teaching resources teachers share: what they are, who wrote them, where they are in review, who likes them."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.choices import SchoolLevel

from .choices import ResourceKind, ResourceLanguage, Status, SubjectDomain, Theme
from .licences import Licence, terms


def resource_file_path(instance, filename):
    # A random folder: the name a teacher gave is kept for downloads, but cannot be guessed or collide.
    return f"resources/files/{uuid.uuid4().hex}/{filename}"


def preview_path(instance, filename):
    return f"resources/previews/{uuid.uuid4().hex}.png"


class ResourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Status.ACCEPTED)

    def by(self, user):
        """The resources ``user`` wrote or co-wrote."""
        return self.filter(models.Q(author=user) | models.Q(co_authors=user)).distinct()


class Resource(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    file = models.FileField(
        _("file"),
        upload_to=resource_file_path,
        blank=True,
        max_length=255,
        help_text=_("PDF, Word (DOCX), PowerPoint (PPTX), OpenDocument (ODT, ODP) or an image (PNG, JPEG)."),
    )
    url = models.URLField(_("link"), blank=True, help_text=_("For links and videos: the address of the resource."))
    school_level = models.CharField(_("school level"), max_length=20, choices=SchoolLevel.choices)
    subject_domain = models.CharField(_("subject domain"), max_length=30, choices=SubjectDomain.choices)
    theme = models.CharField(_("international-education theme"), max_length=30, choices=Theme.choices)
    language = models.CharField(_("language"), max_length=10, choices=ResourceLanguage.choices)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), null=True, blank=True, help_text=_("How long the lesson or activity takes.")
    )
    indicators = models.ManyToManyField(
        "competencies.Indicator",
        blank=True,
        related_name="resources",
        verbose_name=_("competency indicators"),
        help_text=_("The indicators of the competency framework this resource helps teachers reach."),
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="authored_resources",
        verbose_name=_("author"),
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_authored_resources", verbose_name=_("co-authors")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    preview = models.FileField(_("preview image"), upload_to=preview_path, blank=True, max_length=255)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("teaching resource")
        verbose_name_plural = _("teaching resources")
        ordering = ["-accepted_at", "-pk"]
        permissions = [("review_resource", _("Can review teaching resources"))]
        indexes = [
            models.Index(fields=["status", "-accepted_at"]),
            models.Index(fields=["status", "submitted_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.pk])

    @property
    def is_public(self):
        return self.status == Status.ACCEPTED

    @property
    def licence_terms(self):
        return terms(self.licence)


class ReviewEvent(models.Model):
    """One step of a resource's review: submitted, accepted, changes requested (with comments) or declined."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="review_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.resource}"


class Favourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_resources")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="resources_favourite_once")]

    def __str__(self):
        return f"{self.user} ♥ {self.resource}"
