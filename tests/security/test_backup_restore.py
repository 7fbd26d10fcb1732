"""docs/backup.md, done for real: a certificate issued before a backup still verifies after a restore.

The database is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore`` into a fresh database;
media and the PKI folder are copied as the backup procedure syncs them. The restored site then answers a
verification by code and by upload, and the restored PDF's SHA-256 and signature check out.
"""

import hashlib
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from certification.models import Certificate
from certification.registry.issuing import issue_and_complete, revoke_certificate
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from tests.certification.conftest import platform_pki  # noqa: F401
from tests.certification.factories import ProgrammeFactory, TeacherFactory
from tests.postgresql import ON_POSTGRESQL

pytestmark = ON_POSTGRESQL


def libpq_environment(database: dict) -> dict:
    import os

    return {
        **os.environ,
        "PGHOST": database["HOST"] or "127.0.0.1",
        "PGPORT": str(database["PORT"] or 5432),
        "PGUSER": database["USER"],
        "PGPASSWORD": database.get("PASSWORD") or "",
    }


@pytest.fixture
def restored_database_name(settings):
    """A fresh database name for the restore, dropped afterwards."""
    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_restored"
    environment = libpq_environment(database)
    subprocess.run(["dropdb", "--if-exists", name], env=environment, check=True)
    subprocess.run(["createdb", name], env=environment, check=True)
    yield name
    subprocess.run(["dropdb", "--if-exists", "--force", name], env=environment, check=True)


def test_a_certificate_still_verifies_after_dump_and_restore(
    settings,
    client,
    home_page,
    media_root,
    platform_pki,  # noqa: F811
    restored_database_name,
    tmp_path,
):
    database = settings.DATABASES["default"]
    environment = libpq_environment(database)
    certificate = issue_and_complete(TeacherFactory(), ProgrammeFactory(), origin=Certificate.Origin.MANUAL)
    assert certificate.status == Certificate.Status.ISSUED

    # The backup: the database in custom format, then the media and PKI folders.
    dump = tmp_path / "ie-academy.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", database["NAME"]], env=environment, check=True)
    backup_media = shutil.copytree(media_root, tmp_path / "backup" / "media")
    backup_pki = shutil.copytree(platform_pki, tmp_path / "backup" / "pki")

    # What happens to the original after the backup must not be what the restored site answers with.
    revoke_certificate(certificate, reason="Revoked after the backup", by=None)
    shutil.rmtree(media_root)

    # The restore, on "another machine": a fresh database and the folders copied back.
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_database_name}", str(dump)],
        env=environment,
        check=True,
    )
    restored_media = shutil.copytree(backup_media, tmp_path / "restored" / "media")
    restored_pki = shutil.copytree(backup_pki, tmp_path / "restored" / "pki")
    settings.MEDIA_ROOT = restored_media
    settings.PKI_ROOT = restored_pki

    original_name = database["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = restored_database_name
    try:
        restored = Certificate.objects.get(pk=certificate.pk)
        data = (restored_media / restored.pdf.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == restored.pdf_sha256 == certificate.pdf_sha256
        assert verify_certificate_pdf(data).verdict == PdfVerdict.SIGNED_BY_US

        by_code = client.get(reverse("certification:verify"), {"code": restored.grouped_verification_code})
        assert by_code.status_code == 200
        assert "verification-valid" in by_code.content.decode() and certificate.serial in by_code.content.decode()

        by_upload = client.post(reverse("certification:verify_pdf"), {"pdf": SimpleUploadedFile("c.pdf", data)})
        assert "verification-valid" in by_upload.content.decode()
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original_name
