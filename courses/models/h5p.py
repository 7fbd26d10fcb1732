from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class H5PPackage(models.Model):
    """An uploaded, validated and extracted .h5p package, stored once per content hash."""

    title = models.CharField(_("title"), max_length=255)
    main_library = models.CharField(_("main library"), max_length=127)
    main_library_version = models.CharField(_("main library version"), max_length=20)
    licence = models.CharField(_("licence"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    content_hash = models.CharField(_("SHA-256"), max_length=64, unique=True)
    storage_prefix = models.CharField(_("storage folder"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("uncompressed size (bytes)"))
    file_count = models.PositiveIntegerField(_("number of files"))
    original_filename = models.CharField(_("original file name"), max_length=255)
    h5p_json = models.JSONField(_("h5p.json"), default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("H5P package")
        verbose_name_plural = _("H5P packages")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title
