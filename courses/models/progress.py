from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import Assurance


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    # Kept in step with ModuleProgress inside the same transaction, so listings need no aggregation.
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment")]
        indexes = [models.Index(fields=["course", "status"]), models.Index(fields=["completed_at"])]

    def __str__(self):
        return f"{self.user} → {self.course}"


class ModuleProgress(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(
        "courses.ModulePage", verbose_name=_("module"), on_delete=models.CASCADE, related_name="progress"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="module_progress"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    best_score = models.DecimalField(_("best score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    assurance = models.PositiveSmallIntegerField(
        _("assurance"),
        choices=Assurance.choices,
        null=True,
        blank=True,
        help_text=_("What the completion proves; empty while the module is not completed."),
    )
    first_viewed_at = models.DateTimeField(_("first viewed at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="unique_module_progress")]
        indexes = [models.Index(fields=["user", "course", "status"])]

    def __str__(self):
        return f"{self.user} · {self.module}"

    @property
    def is_completed(self):
        return self.status == self.Status.COMPLETED


class H5PAttempt(models.Model):
    """One attempt at an H5P activity, opened and closed by top-level statements (as Moodle's mod_h5pactivity)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE)
    module = models.ForeignKey("courses.ModulePage", verbose_name=_("module"), on_delete=models.CASCADE)
    package = models.ForeignKey("courses.H5PPackage", verbose_name=_("H5P package"), on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("attempt number"))
    # Given by the intake, so that an attempt opened and closed by one statement starts and finishes at one instant.
    started_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    raw_score = models.DecimalField(_("raw score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, null=True, blank=True)
    completed = models.BooleanField(_("completed"), default=False)
    success = models.BooleanField(_("success"), null=True, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reason = models.CharField(_("flag reason"), max_length=255, blank=True)
    # Reported: the browser's word only. Checked: the score was recomputed by the server and matched.
    assurance = models.PositiveSmallIntegerField(_("assurance"), choices=Assurance.choices, default=Assurance.REPORTED)

    class Meta:
        verbose_name = _("H5P attempt")
        verbose_name_plural = _("H5P attempts")
        constraints = [
            models.UniqueConstraint(fields=["user", "module", "package", "number"], name="unique_h5p_attempt")
        ]

    def __str__(self):
        return f"{self.user} · {self.module} #{self.number}"

    @property
    def percent(self):
        if self.raw_score is None or not self.max_score:
            return None
        return round(100 * self.raw_score / self.max_score)


class XAPIStatement(models.Model):
    statement_id = models.UUIDField(_("statement id"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE)
    module = models.ForeignKey("courses.ModulePage", verbose_name=_("module"), on_delete=models.CASCADE)
    package = models.ForeignKey("courses.H5PPackage", verbose_name=_("H5P package"), on_delete=models.CASCADE)
    attempt = models.ForeignKey(
        H5PAttempt,
        verbose_name=_("attempt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    verb = models.CharField(_("verb"), max_length=255)
    object_id = models.CharField(_("object id"), max_length=500)
    sub_content_id = models.CharField(_("sub-content id"), max_length=64, blank=True)
    raw_score = models.DecimalField(_("raw score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reason = models.CharField(_("flag reason"), max_length=255, blank=True)
    assurance = models.PositiveSmallIntegerField(_("assurance"), choices=Assurance.choices, default=Assurance.REPORTED)
    payload = models.JSONField(_("statement"))
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [models.Index(fields=["user", "module"])]

    def __str__(self):
        return f"{self.verb} · {self.statement_id}"


class ContentUserData(models.Model):
    """An H5P player's saved state for one learner, so an activity resumes where it was left."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE)
    package = models.ForeignKey("courses.H5PPackage", verbose_name=_("H5P package"), on_delete=models.CASCADE)
    sub_content_id = models.CharField(_("sub-content id"), max_length=64, default="0")
    data_type = models.CharField(_("data type"), max_length=64, default="state")
    data = models.TextField(_("data"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("H5P saved state")
        verbose_name_plural = _("H5P saved states")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "package", "sub_content_id", "data_type"], name="unique_content_user_data"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.package} · {self.data_type}"
