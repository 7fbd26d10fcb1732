"""The registry as a spreadsheet (CSV) and as a zip of signed PDFs, for administrators.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) are
prefixed with an apostrophe: a name typed as ``=HYPERLINK(...)`` stays text when the export is opened in Excel.
"""

import csv
import tempfile
import zipfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    def write(self, value):
        return value


def registry_csv(certificates, filename: str) -> StreamingHttpResponse:
    """Stream the certificates as CSV (UTF-8 with BOM, which Excel needs to read Chinese)."""
    header = [
        _("Serial number"),
        _("Status"),
        _("Holder name in Chinese"),
        _("Holder name in English"),
        _("School"),
        _("County/city"),
        _("Programme"),
        _("Hours"),
        _("Date of issue"),
        _("Valid until"),
        _("Verification code"),
        _("Revoked at"),
        _("Reason for revocation"),
        _("PDF SHA-256"),
    ]
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for certificate in certificates.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    spreadsheet_safe(value)
                    for value in (
                        certificate.serial,
                        certificate.public_status,
                        certificate.holder_name_zh,
                        certificate.holder_name_en,
                        certificate.school,
                        certificate.get_county_display(),
                        certificate.programme_name_zh,
                        certificate.hours,
                        certificate.issued_on,
                        certificate.valid_until or "",
                        certificate.grouped_verification_code,
                        certificate.revoked_at or "",
                        certificate.revocation_reason,
                        certificate.pdf_sha256,
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def registry_zip(certificates, filename: str) -> FileResponse:
    """The signed PDFs of the certificates in one zip (stored, not compressed: PDFs are compressed already)."""
    archive = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as bundle:
        for certificate in certificates.exclude(pdf="").iterator(chunk_size=500):
            with certificate.pdf.open("rb") as pdf:
                bundle.writestr(f"{certificate.serial}.pdf", pdf.read())
    archive.seek(0)
    return FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
