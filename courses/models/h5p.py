from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from ..h5p.package import inspect_package
from ..h5p.scoring import rescore_statement
from ..packages.storage import content_hash, extract_package, remove_files, remove_prefix, storage_prefix_for


def store_package(model, upload, user, *, storage, root, inspect, fields):
    """Validate, extract and record an upload as a row of ``model`` (``H5PPackage``, ``ScormPackage``).

    An upload identical to one already stored returns that row and writes nothing. ``inspect()`` validates the
    upload and returns its manifest (with ``entries``, ``size_bytes``, ``file_count``), or raises; ``fields(manifest)``
    gives the model's own columns. On any failure no file stays in storage and no row is created.
    """
    storage = storage or default_storage
    sha256 = content_hash(upload)
    existing = model.objects.filter(content_hash=sha256).first()
    if existing is not None:
        return existing
    manifest = inspect()
    prefix = storage_prefix_for(root, sha256)
    written = extract_package(upload, manifest.entries, storage, prefix)
    try:
        with transaction.atomic():
            return model.objects.create(
                content_hash=sha256,
                storage_prefix=prefix,
                size_bytes=manifest.size_bytes,
                file_count=manifest.file_count,
                original_filename=(getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255],
                uploaded_by=user if user is not None and user.is_authenticated else None,
                **fields(manifest),
            )
    except IntegrityError:
        # The same file uploaded at the same moment: the winner's files are these very files.
        existing = model.objects.filter(content_hash=sha256).first()
        if existing is not None:
            return existing
        remove_files(storage, written)
        raise
    except BaseException:
        remove_files(storage, written)
        raise


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
    # Kept in the database so that re-scoring an xAPI statement needs no read from storage.
    content_json = models.JSONField(_("content.json"), default=dict)
    evaluates_code = models.BooleanField(
        _("evaluates code"),
        default=False,
        help_text=_("Its libraries turn text into code (eval), so pages showing it must allow that."),
    )
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

    @classmethod
    def from_upload(cls, upload, user=None, *, storage=None, limits=None):
        """Validate, extract and record an uploaded ``.h5p`` file; return its ``H5PPackage``.

        ``upload`` is any binary file object (an ``UploadedFile``, an open file, ``ContentFile``). An upload
        identical to one already stored returns the existing package and writes nothing. A rejected package
        raises ``courses.h5p.package.H5PPackageError`` with a translated message naming the file inside the
        package and the problem; a storage failure raises its subclass
        ``courses.packages.storage.PackageStorageError``. Either way no file stays in storage and no row is created.
        """
        return store_package(
            cls,
            upload,
            user,
            storage=storage,
            root="h5p",
            inspect=lambda: inspect_package(upload, limits),
            fields=lambda manifest: {
                "title": manifest.title.strip()[:255],
                "main_library": manifest.main_library,
                "main_library_version": manifest.main_library_version,
                "licence": manifest.licence[:40],
                "language": manifest.language,
                "h5p_json": manifest.h5p_json,
                "content_json": manifest.content_json,
                "evaluates_code": manifest.evaluates_code,
            },
        )

    def rescore(self, statement, sub_responses=None):
        """The score this package really gives for an xAPI statement, or None when its type cannot be re-scored.

        See ``courses.h5p.scoring.rescore_statement``; raises ``ImpossibleResponse`` for a forged response.
        """
        return rescore_statement(self.content_json, self.main_library, statement, sub_responses)

    def file_path(self, relative_path):
        """The storage name of a file inside the package, e.g. ``content/content.json``."""
        return self.storage_prefix + relative_path


@receiver(post_delete, sender=H5PPackage)
def remove_package_files(sender, instance, **kwargs):
    """A deleted package's files go too, once the deletion is committed (a rollback keeps them)."""
    transaction.on_commit(lambda: remove_prefix(default_storage, instance.storage_prefix))
