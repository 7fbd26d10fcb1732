"""The certificate as a PDF: A4 landscape, zh-Hant and English side by side, drawn with reportlab.

:func:`render_certificate_pdf` turns a :class:`~certification.documents.snapshot.CertificateSnapshot` into unsigned PDF
bytes; :func:`certification.documents.signing.sign_certificate_pdf` signs them.

Fonts: the Chinese text uses an embedded TrueType font, by default Debian's ``fonts-arphic-uming``
(``/usr/share/fonts/truetype/arphic/uming.ttc``, face 2 of the collection is "AR PL UMing TW"), configured by
``CERTIFICATE_FONT_PATH`` and ``CERTIFICATE_FONT_SUBFONT``. Latin text uses the PDF standard Times faces, which
every reader has, so only the Chinese glyphs are subset and embedded. Letters neither has (Vietnamese ư, ễ,
Greek, Cyrillic) come from ``CERTIFICATE_FALLBACK_FONT_PATH``, by default DejaVu Serif from Debian's
``fonts-dejavu-core``, embedded only in certificates that need it. Font files are parsed once per process.

Names are drawn in Unicode NFC (a decomposed é is drawn as é), invisible format characters (zero-width space,
direction marks) are not drawn, and a character no font has (a rare CJK extension character, say) is drawn as a
white square. Whenever what is drawn differs from the text, the text travels with it as PDF ``/ActualText``, so
copying the name or ``pdftotext`` gives it exactly; the verification page shows the registry's name in the
browser's fonts.

The wording is translatable: each label is rendered twice, under zh-Hant and under English.
"""

import atexit
import hashlib
import io
import os
import shutil
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from PIL import Image
from qrcode import QRCode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas

from .snapshot import CertificateSnapshot

DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/arphic/uming.ttc"
DEFAULT_FONT_SUBFONT = 2
FONT_PACKAGE = "fonts-arphic-uming"
DEFAULT_FALLBACK_FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

CJK_FONT = "CertificateCJK"
FALLBACK_FONT = "CertificateFallback"
SERIF = "Times-Roman"
SERIF_BOLD = "Times-Bold"
SERIF_ITALIC = "Times-Italic"

# Drawn in place of a character the embedded font lacks; the real character travels in /ActualText.
MISSING_GLYPH = "\u25a1"

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
NAVY = HexColor("#1F3A5F")
GOLD = HexColor("#B08D57")
INK = HexColor("#222222")
MUTED = HexColor("#5A6270")


class CertificateFontMissing(ImproperlyConfigured):
    """The CJK font for certificates cannot be loaded."""


def certificate_font_location() -> tuple[str, int]:
    """The configured CJK font file and the index of the face inside a TrueType collection."""
    path = str(getattr(settings, "CERTIFICATE_FONT_PATH", DEFAULT_FONT_PATH))
    subfont = int(getattr(settings, "CERTIFICATE_FONT_SUBFONT", DEFAULT_FONT_SUBFONT))
    return path, subfont


def register_certificate_fonts() -> TTFont:
    """Load and register the CJK font (once per process and font file); raise CertificateFontMissing if absent."""
    return _load_cjk_font(*certificate_font_location())


def fallback_font() -> TTFont | None:
    """The font for letters outside cp1252 and the CJK font, or None when it is not installed."""
    path = str(getattr(settings, "CERTIFICATE_FALLBACK_FONT_PATH", DEFAULT_FALLBACK_FONT_PATH) or "")
    return _load_fallback_font(path) if path and Path(path).is_file() else None


@lru_cache(maxsize=2)
def _load_fallback_font(path: str) -> TTFont:
    font = TTFont(FALLBACK_FONT, path)
    pdfmetrics.registerFont(font)
    return font


class _GlyphRanges:
    """Slices of the font's glyph table, copied one glyph at a time."""

    def __init__(self, data: bytes, start: int):
        self.data = data
        self.start = start

    def __getitem__(self, glyph: slice) -> bytes:
        return self.data[self.start + glyph.start : self.start + glyph.stop]


class _SubsettingFontFace(TTFontFace):
    """A face that hands reportlab's subsetter its glyph table without copying it.

    To embed the few dozen glyphs a certificate uses, reportlab takes a copy of the whole glyph table first:
    17 MB for AR PL UMing, for every certificate, a tenth of the rendering time.
    """

    def get_table(self, tag):
        if tag == "glyf":
            return _GlyphRanges(self._ttf_data, self.get_table_pos(tag)[0])
        return super().get_table(tag)


@lru_cache(maxsize=2)
def _load_cjk_font(path: str, subfont: int) -> TTFont:
    if not Path(path).is_file():
        raise CertificateFontMissing(
            f"The certificate font {path} does not exist. Install the Debian package {FONT_PACKAGE} "
            f"(apt-get install {FONT_PACKAGE}) or point CERTIFICATE_FONT_PATH at a TrueType font with "
            "Traditional Chinese glyphs."
        )
    try:
        font = TTFont(CJK_FONT, path, subfontIndex=subfont)
    except Exception as error:  # noqa: BLE001 - reportlab reports a bad font file with assorted exception types
        raise CertificateFontMissing(
            f"The certificate font {path} (face {subfont}) cannot be read: {error}. "
            f"Reinstall {FONT_PACKAGE} or check CERTIFICATE_FONT_PATH and CERTIFICATE_FONT_SUBFONT."
        ) from error
    # The parsed face stays as it is; only how it serves its glyph table to the subsetter changes.
    font.face.__class__ = _SubsettingFontFace
    # Registering under one name means a reconfigured font (tests) replaces the previous one.
    pdfmetrics.registerFont(font)
    return font


@lru_cache(maxsize=1)
def _image_folder(process: int) -> Path:
    # One folder per process, removed when that process exits: a forked worker inherits the exit handler too,
    # and must neither use nor delete its parent's folder.
    folder = Path(tempfile.mkdtemp(prefix=f"certificate-images-{process}-"))
    atexit.register(_remove_own_folder, folder, process)
    return folder


def _remove_own_folder(folder: Path, process: int) -> None:
    if os.getpid() == process:
        shutil.rmtree(folder, ignore_errors=True)


@lru_cache(maxsize=32)
def _page_ready_image(path: str, modified: int, process: int) -> tuple[str, int, int]:
    # Flattened onto the white page and saved as a JPEG file once per process (and image version): reportlab
    # copies a JPEG file into the PDF as it is, whereas an image object, a PNG above all, is decoded, hashed,
    # split into colour and transparency and compressed again for every certificate.
    with Image.open(path) as source:
        rgba = source.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    jpeg = _image_folder(process) / f"{hashlib.sha256(f'{path}:{modified}'.encode()).hexdigest()}.jpg"
    flat.save(jpeg, "JPEG", quality=92)
    return str(jpeg), flat.width, flat.height


def _image(path: Path) -> tuple[str, int, int]:
    """A page-ready copy of the image at ``path``: its file name, width and height in pixels."""
    return _page_ready_image(str(path), os.stat(path).st_mtime_ns, os.getpid())


# The standard Times faces are WinAnsi-encoded: anything outside cp1252 goes to the CJK font.
LATIN_CHARACTERS = frozenset(bytes(range(256)).decode("cp1252", errors="ignore"))
# Below the CJK blocks (Latin, Greek, Cyrillic, …) the fallback font's letters match Times better than the Latin
# letters a Chinese font carries.
CJK_BLOCKS_START = 0x2E80


def _runs(text: str, latin_font: str, cjk: TTFont, fallback: TTFont | None) -> tuple[list[tuple[str, str]], bool]:
    """Split text into (font, text) runs to draw; report whether what is drawn differs from ``text``."""
    drawn = unicodedata.normalize("NFC", text)
    differs = drawn != text
    runs: list[tuple[str, str]] = []
    for char in drawn:
        if char in LATIN_CHARACTERS:
            font = latin_font
        elif unicodedata.category(char) == "Cf":
            differs = True
            continue
        elif ord(char) < CJK_BLOCKS_START and fallback and ord(char) in fallback.face.charToGlyph:
            font = FALLBACK_FONT
        elif ord(char) in cjk.face.charToGlyph:
            font = CJK_FONT
        else:
            font, char, differs = CJK_FONT, MISSING_GLYPH, True
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs, differs


def _runs_width(runs: list[tuple[str, str]], size: float, char_space: float) -> float:
    return sum(pdfmetrics.stringWidth(part, font, size) + char_space * len(part) for font, part in runs)


class _Writer:
    """Draws mixed Chinese/Latin lines on one canvas."""

    def __init__(self, canvas: Canvas, cjk: TTFont, fallback: TTFont | None):
        self.canvas = canvas
        self.cjk = cjk
        self.fallback = fallback

    def width(self, text: str, size: float, latin_font: str = SERIF, char_space: float = 0) -> float:
        runs, _differs = _runs(text, latin_font, self.cjk, self.fallback)
        return _runs_width(runs, size, char_space)

    def fitting_size(self, text: str, size: float, max_width: float, latin_font: str = SERIF) -> float:
        width = self.width(text, size, latin_font)
        return size if width <= max_width else max(size * max_width / width, 6)

    def text(
        self,
        text: str,
        x: float,
        y: float,
        size: float,
        *,
        latin_font: str = SERIF,
        align: str = "left",
        char_space: float = 0,
        color=INK,
    ) -> None:
        runs, differs = _runs(text, latin_font, self.cjk, self.fallback)
        width = _runs_width(runs, size, char_space)
        if align == "centre":
            x -= width / 2
        elif align == "right":
            x -= width
        if differs:
            actual = ("\ufeff" + text).encode("utf-16-be").hex().upper()
            self.canvas.addLiteral(f"/Span <</ActualText <{actual}>>> BDC")
        line = self.canvas.beginText(x, y)
        line.setFillColor(color)
        line.setCharSpace(char_space)
        for font, part in runs:
            line.setFont(font, size)
            line.textOut(part)
        self.canvas.drawText(line)
        if differs:
            self.canvas.addLiteral("EMC")

    def truncated(self, text: str, size: float, max_width: float, latin_font: str = SERIF) -> str:
        if self.width(text, size, latin_font) <= max_width:
            return text
        while text and self.width(text + "…", size, latin_font) > max_width:
            text = text[:-1]
        return text + "…"


def _minguo_date(day) -> str:
    # Taiwanese certificates date in the Republic of China calendar; the format is Chinese by nature.
    return f"中華民國 {day.year - 1911} 年 {day.month} 月 {day.day} 日"


def _english_date(day) -> str:
    with translation.override("en"):
        return dateformat.format(day, "j F Y")


def _number(value) -> str:
    return format(value.normalize(), "f")


def _wording(snapshot: CertificateSnapshot, language: str) -> dict[str, str]:
    programme = snapshot.programme_name_zh if language == "zh-hant" else snapshot.programme_name_en
    with translation.override(language):
        wording = {
            "certify": _("This is to certify that"),
            "statement": _(
                "has fulfilled the requirements of %(programme)s with %(hours)s hours of study "
                "and is awarded this certificate."
            )
            % {"programme": programme, "hours": _number(snapshot.hours)},
            "courses": _("Courses"),
            "indicators": _("Competency indicators"),
            "serial": _("Certificate No."),
            "code": _("Verification code"),
            "issued": _("Date of issue"),
            "valid_until": _("Valid until"),
            "no_expiry": _("No expiry"),
            "scan": _("Scan to verify"),
        }
        if snapshot.score is not None:
            wording["score"] = _("Score: %(score)s") % {"score": _number(snapshot.score)}
    return wording


def render_certificate_pdf(snapshot: CertificateSnapshot) -> bytes:
    """Draw the certificate described by ``snapshot`` and return the unsigned PDF bytes.

    Raises :class:`CertificateFontMissing` when the CJK font is not installed, and ``OSError`` when the logo or
    a signatory image cannot be read.
    """
    cjk = register_certificate_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    canvas.setTitle(f"{snapshot.title_en} {snapshot.serial}")
    canvas.setAuthor(snapshot.organisation_name_en)
    canvas.setSubject(f"{snapshot.programme_name_en} – {snapshot.holder_name_en}")
    canvas.setCreator(snapshot.organisation_name_en)
    writer = _Writer(canvas, cjk, fallback_font())
    zh = _wording(snapshot, "zh-hant")
    en = _wording(snapshot, "en")

    _draw_border(canvas)
    _draw_heading(canvas, writer, snapshot)
    _draw_body(writer, snapshot, zh, en)
    _draw_particulars(writer, snapshot, zh, en)
    _draw_signatories(canvas, writer, snapshot)
    _draw_qr_code(canvas, writer, snapshot, zh, en)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_border(canvas: Canvas) -> None:
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(3)
    canvas.rect(18, 18, PAGE_WIDTH - 36, PAGE_HEIGHT - 36)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.rect(26, 26, PAGE_WIDTH - 52, PAGE_HEIGHT - 52)
    canvas.setFillColor(GOLD)
    for x, y in ((26, 26), (PAGE_WIDTH - 26, 26), (26, PAGE_HEIGHT - 26), (PAGE_WIDTH - 26, PAGE_HEIGHT - 26)):
        canvas.rect(x - 5, y - 5, 10, 10, stroke=0, fill=1)


def _draw_heading(canvas: Canvas, writer: _Writer, snapshot: CertificateSnapshot) -> None:
    centre = PAGE_WIDTH / 2
    if snapshot.logo:
        logo, width, height = _image(snapshot.logo)
        scale = min(56 / height, 160 / width)
        canvas.drawImage(logo, centre - width * scale / 2, 500, width * scale, height * scale)
    writer.text(snapshot.organisation_name_zh, centre, 480, 13, align="centre", color=NAVY)
    writer.text(snapshot.organisation_name_en, centre, 466, 9.5, align="centre", color=NAVY)
    writer.text(snapshot.title_zh, centre, 420, 34, align="centre", char_space=10, color=NAVY)
    writer.text(
        snapshot.title_en.upper(), centre, 394, 16, latin_font=SERIF_BOLD, align="centre", char_space=2, color=NAVY
    )
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(centre - 150, 382, centre + 150, 382)


def _draw_body(writer: _Writer, snapshot: CertificateSnapshot, zh: dict, en: dict) -> None:
    centre = PAGE_WIDTH / 2
    text_width = PAGE_WIDTH - 180
    writer.text(f"{zh['certify']}  {en['certify']}", centre, 360, 11, latin_font=SERIF_ITALIC, align="centre")
    name_size = writer.fitting_size(snapshot.holder_name_zh, 30, text_width)
    writer.text(snapshot.holder_name_zh, centre, 322, name_size, latin_font=SERIF_BOLD, align="centre")
    english_size = writer.fitting_size(snapshot.holder_name_en, 18, text_width, SERIF_ITALIC)
    writer.text(snapshot.holder_name_en, centre, 299, english_size, latin_font=SERIF_ITALIC, align="centre")
    school = f"{snapshot.school}　{snapshot.county}"
    writer.text(school, centre, 280, writer.fitting_size(school, 10.5, text_width), align="centre", color=MUTED)
    writer.text(zh["statement"], centre, 254, writer.fitting_size(zh["statement"], 12.5, text_width), align="centre")
    writer.text(en["statement"], centre, 237, writer.fitting_size(en["statement"], 11.5, text_width), align="centre")
    line = 220
    if "score" in zh:
        writer.text(f"{zh['score']}　{en['score']}", centre, line, 10.5, align="centre")
        line -= 15
    if snapshot.courses:
        prefix = f"{zh['courses']} {en['courses']}: "
        titles = "、".join(course.zh for course in snapshot.courses)
        writer.text(writer.truncated(prefix + titles, 8, text_width), centre, line, 8, align="centre", color=MUTED)
        english = "; ".join(course.en for course in snapshot.courses)
        writer.text(writer.truncated(english, 8, text_width), centre, line - 11, 8, align="centre", color=MUTED)
        line -= 24
    if snapshot.alignments:
        # The codes only: each one's page, linked from the credential, says what it means in both languages.
        codes = f"{zh['indicators']} {en['indicators']}: " + ", ".join(item.code for item in snapshot.alignments)
        writer.text(writer.truncated(codes, 8, text_width), centre, line, 8, align="centre", color=MUTED)


def _draw_particulars(writer: _Writer, snapshot: CertificateSnapshot, zh: dict, en: dict) -> None:
    if snapshot.valid_until:
        valid_zh, valid_en = _minguo_date(snapshot.valid_until), _english_date(snapshot.valid_until)
    else:
        valid_zh, valid_en = zh["no_expiry"], en["no_expiry"]
    rows = (
        (zh["serial"], en["serial"], snapshot.serial),
        (zh["code"], en["code"], snapshot.verification_code),
        (zh["issued"], en["issued"], f"{_minguo_date(snapshot.issued_on)}  {_english_date(snapshot.issued_on)}"),
        (zh["valid_until"], en["valid_until"], f"{valid_zh}  {valid_en}"),
    )
    y = 150
    for label_zh, label_en, value in rows:
        writer.text(f"{label_zh} {label_en}", 52, y, 7.5, color=MUTED)
        writer.text(value, 52, y - 11, 9.5, latin_font=SERIF_BOLD)
        y -= 26


def _draw_signatories(canvas: Canvas, writer: _Writer, snapshot: CertificateSnapshot) -> None:
    """Each signatory's seal or signature, name and title (Chinese, then English) above a line."""
    if not snapshot.signatories:
        return
    left, right = 270, PAGE_WIDTH - 160
    slot = (right - left) / len(snapshot.signatories)
    for index, signatory in enumerate(snapshot.signatories):
        centre = left + slot * (index + 0.5)
        if signatory.image:
            image, width, height = _image(signatory.image)
            scale = min(44 / height, (slot - 20) / width)
            canvas.drawImage(image, centre - width * scale / 2, 100, width * scale, height * scale)
        name = f"{signatory.name_zh}  {signatory.name_en}".strip()
        writer.text(name, centre, 86, writer.fitting_size(name, 10.5, slot - 10), align="centre")
        title = f"{signatory.title_zh}  {signatory.title_en}".strip()
        writer.text(title, centre, 74, writer.fitting_size(title, 8, slot - 10), align="centre", color=MUTED)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(centre - slot / 2 + 14, 66, centre + slot / 2 - 14, 66)


def _draw_qr_code(canvas: Canvas, writer: _Writer, snapshot: CertificateSnapshot, zh: dict, en: dict) -> None:
    size = 82
    x, y = PAGE_WIDTH - 52 - size, 62
    modules = _qr_modules(snapshot.verify_url)
    module = size / len(modules)
    # One filled path of horizontal runs: a rectangle per module would make the page stream (and the time) balloon.
    path = canvas.beginPath()
    for row, line in enumerate(modules):
        top = y + size - (row + 1) * module
        column = 0
        while column < len(line):
            if line[column]:
                start = column
                while column < len(line) and line[column]:
                    column += 1
                path.rect(x + start * module, top, (column - start) * module, module)
            else:
                column += 1
    canvas.setFillColor(INK)
    canvas.drawPath(path, stroke=0, fill=1)
    writer.text(f"{zh['scan']} {en['scan']}", x + size / 2, y - 11, 7.5, align="centre", color=MUTED)


def _qr_modules(data: str) -> list[list[bool]]:
    # A fixed mask pattern is as valid as the "best" one and skips scoring all eight, which costs ~8 ms per code.
    code = QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()
