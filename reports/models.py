from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """No table: the owner of the two permissions that open the reports, granted to groups like any other."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_all_reports", _("Can see the reports on every course, session and certificate")),
            ("view_course_reports", _("Can see the reports on the courses they train")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class ReportExport(models.Model):
    """An Excel export asked for in the admin and built by a background task, with the file it produced.

    The filters are kept as the form's data and validated again, against the requester's scope at that moment,
    when the task runs. The file is served only to the requester, through a view that checks who asks.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    report = models.SlugField(_("report"), max_length=50)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=12)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="report-exports/", blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        default_permissions = ()
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="reports_export_requester_idx"),
            models.Index(fields=["created_at"], name="reports_export_created_idx"),
        ]

    def __str__(self):
        return f"{self.report} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
