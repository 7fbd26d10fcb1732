"""SCORM packages (uploaded, validated and extracted once per content hash) and what learners' SCOs report."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from ..packages.storage import remove_prefix
from ..scorm.manifest import ScormVersion, inspect_package
from .h5p import store_package

STORAGE_ROOT = "scorm"


class ScormPackage(models.Model):
    """An uploaded SCORM 1.2 or 2004 package: its manifest's table of contents, its files in storage."""

    class Version(models.TextChoices):
        SCORM_12 = ScormVersion.SCORM_12, "SCORM 1.2"
        SCORM_2004_2 = ScormVersion.SCORM_2004_2, "SCORM 2004 2nd Edition"
        SCORM_2004_3 = ScormVersion.SCORM_2004_3, "SCORM 2004 3rd Edition"
        SCORM_2004_4 = ScormVersion.SCORM_2004_4, "SCORM 2004 4th Edition"

    title = models.CharField(_("title"), max_length=255)
    version = models.CharField(_("SCORM version"), max_length=10, choices=Version.choices)
    identifier = models.CharField(_("manifest identifier"), max_length=255, blank=True)
    # The default organization's table of contents (``courses.scorm.manifest.ScormManifest.items``).
    items = models.JSONField(_("table of contents"), default=list)
    content_hash = models.CharField(_("SHA-256"), max_length=64, unique=True)
    storage_prefix = models.CharField(_("storage folder"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("uncompressed size (bytes)"))
    file_count = models.PositiveIntegerField(_("number of files"))
    original_filename = models.CharField(_("original file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @classmethod
    def from_upload(cls, upload, user=None, *, storage=None, limits=None):
        """Validate, extract and record an uploaded SCORM zip; return its ``ScormPackage``.

        As ``H5PPackage.from_upload``: an identical upload returns the stored package; a refusal raises
        ``courses.scorm.manifest.ScormPackageError`` (a storage failure ``PackageStorageError``) and leaves no file
        and no row behind.
        """
        return store_package(
            cls,
            upload,
            user,
            storage=storage,
            root=STORAGE_ROOT,
            inspect=lambda: inspect_package(upload, limits),
            fields=lambda manifest: {
                "title": manifest.title.strip()[:255],
                "version": manifest.version,
                "identifier": manifest.identifier,
                "items": manifest.items,
            },
        )

    @property
    def is_2004(self):
        return self.version != self.Version.SCORM_12

    @property
    def scos(self):
        """The launchable items, in the table of contents' order."""
        return [item for item in self.items if item.get("launch")]

    def sco(self, identifier):
        return next((item for item in self.scos if item["identifier"] == identifier), None)

    def file_path(self, relative_path):
        return self.storage_prefix + relative_path


@receiver(post_delete, sender=ScormPackage)
def remove_scorm_files(sender, instance, **kwargs):
    transaction.on_commit(lambda: remove_prefix(default_storage, instance.storage_prefix))


class ScormTrack(models.Model):
    """The CMI data one learner's SCO reported in one attempt at a module's package (SCORM 1.2 or 2004 alike).

    The common fields are columns (for the trainer's view, reports and completion); ``cmi`` keeps every element
    the SCO set, as the run-time holds them, so that resuming restores the whole data model.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorm_tracks")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="scorm_tracks")
    package = models.ForeignKey(ScormPackage, on_delete=models.CASCADE, related_name="tracks")
    sco = models.CharField(_("SCO"), max_length=255)
    attempt = models.PositiveIntegerField(_("attempt"), default=1)
    # 1.2's cmi.core.lesson_status, or 2004's cmi.completion_status.
    completion_status = models.CharField(_("completion status"), max_length=20, blank=True)
    # 2004's cmi.success_status; for 1.2, "passed"/"failed" from lesson_status.
    success_status = models.CharField(_("success status"), max_length=20, blank=True)
    score_raw = models.DecimalField(_("raw score"), max_digits=12, decimal_places=4, null=True, blank=True)
    score_min = models.DecimalField(_("minimum score"), max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(_("maximum score"), max_digits=12, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(_("scaled score"), max_digits=6, decimal_places=4, null=True, blank=True)
    location = models.CharField(_("location"), max_length=1000, blank=True)
    suspend_data = models.TextField(_("suspend data"), blank=True)
    session_time = models.CharField(_("session time"), max_length=40, blank=True)
    total_seconds = models.PositiveIntegerField(_("total time (seconds)"), default=0)
    interactions = models.JSONField(_("interactions"), default=list, blank=True)
    cmi = models.JSONField(_("CMI data"), default=dict, blank=True)
    commits = models.PositiveIntegerField(_("commits"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SCORM tracking")
        verbose_name_plural = _("SCORM tracking")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "package", "sco", "attempt"], name="scorm_track_once_per_attempt"
            )
        ]
        indexes = [models.Index(fields=["module", "package"])]

    def __str__(self):
        return f"{self.user} · {self.sco} · {self.attempt}"

    @property
    def is_completed(self):
        # SCORM 1.2's "failed" is a finished lesson that was not mastered (ADL maps it to 2004's completed + failed).
        return self.completion_status in ("completed", "passed", "failed") or self.success_status == "passed"

    @property
    def percent(self):
        """The score as a percentage: scaled when given, else raw within min..max (100 by default)."""
        if self.score_scaled is not None:
            return max(0, min(100, self.score_scaled * 100))
        if self.score_raw is None:
            return None
        low = self.score_min or 0
        high = self.score_max if self.score_max is not None else 100
        if high <= low:
            return None
        return max(0, min(100, (self.score_raw - low) * 100 / (high - low)))
