"""Real files to upload: a PDF drawn by reportlab, a Word document and hostile variants of both."""

import io
import zipfile

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    "wordprocessingml.document.main+xml", "../application/vnd.ms-word.document.macroEnabled.main+xml"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def document_xml(text):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )


def pdf_bytes(text="Sister-school exchange lesson plan", extra=b""):
    output = io.BytesIO()
    page = canvas.Canvas(output, pagesize=A4)
    page.setFont("Helvetica-Bold", 28)
    page.drawString(72, 720, text)
    page.rect(72, 400, 300, 200, fill=1)
    page.showPage()
    page.save()
    return output.getvalue() + extra


def docx_bytes(text="Intercultural worksheet", *, content_types=CONTENT_TYPES, extra_entries=()):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document_xml(text))
        for name, data in extra_entries:
            archive.writestr(name, data)
    return output.getvalue()


def docx_bomb(megabytes=20):
    """A DOCX whose one extra part unpacks to ``megabytes`` of zeros from a few hundred kilobytes."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document_xml("bomb"))
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as part:
            block = bytes(1024 * 1024)
            for _ in range(megabytes):
                part.write(block)
    return output.getvalue()


def png_bytes():
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(output, "PNG")
    return output.getvalue()
