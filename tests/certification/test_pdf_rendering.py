import atexit
import io
import os
import re
from pathlib import Path

import cv2
import numpy
import pytest
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from certification.documents.rendering import (
    CertificateFontMissing,
    register_certificate_fonts,
    render_certificate_pdf,
)
from tests.certification.poppler import pdffonts, pdfimages_count, pdfinfo, pdftoppm_png, pdftotext


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def page_content(pdf: bytes) -> bytes:
    """The decompressed drawing instructions of the certificate's only page."""
    page = PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Kids"][0]
    return page["/Contents"].data


def test_pdftotext_extracts_the_chinese_holder_name_exactly(make_snapshot):
    text = pdftotext(render_certificate_pdf(make_snapshot(holder_name_zh="歐陽靖雯")))

    assert "歐陽靖雯" in text.splitlines()


def test_a_name_character_outside_the_font_is_extracted_exactly_and_drawn_as_a_square(make_snapshot):
    # 𠀋 (U+2000B, CJK extension B) is not in AR PL UMing: the page shows a white square, the text keeps 𠀋.
    pdf = render_certificate_pdf(make_snapshot(holder_name_zh="林𠀋明"))

    assert "林𠀋明" in pdftotext(pdf).splitlines()
    assert b"/ActualText <FEFF" in page_content(pdf)


def test_a_name_the_font_covers_carries_no_actual_text_override(make_snapshot):
    assert b"/ActualText" not in page_content(render_certificate_pdf(make_snapshot()))


def test_the_certificate_is_bilingual_with_every_particular(make_snapshot):
    text = collapse(pdftotext(render_certificate_pdf(make_snapshot())))

    for expected in (
        "專業知能證書",
        "CERTIFICATE OF PROFESSIONAL COMPETENCY",
        "Hsiao-Ming Wang",
        "國際教育專業知能認證（初階）",
        "International Education Professional Competency (Beginner)",
        "18.5 hours",
        "IEA-2026-000123",
        "7K3M-9QXD-2HPA-R",
        "中華民國 115 年 11 月 28 日",
        "28 November 2026",
        "27 November 2031",
        "證書字號",
        "驗證碼",
        "林大華",
    ):
        assert expected in text, expected


def scanned_qr_code(pdf: bytes) -> str:
    page = cv2.imdecode(numpy.frombuffer(pdftoppm_png(pdf), numpy.uint8), cv2.IMREAD_GRAYSCALE)
    text, _points, _straight = cv2.QRCodeDetector().detectAndDecode(page)
    return text


@pytest.mark.parametrize(
    "verify_url",
    [
        "https://ie-academy.example/verify/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "https://teacher-certification.international-education.edu.tw/zh-hant/verify/" + "f" * 32,
    ],
    ids=["short", "long"],
)
def test_the_qr_code_scans_to_the_verification_url(make_snapshot, verify_url):
    assert scanned_qr_code(render_certificate_pdf(make_snapshot(verify_url=verify_url))) == verify_url


def test_a_certificate_without_expiry_says_so_in_both_languages(make_snapshot):
    text = collapse(pdftotext(render_certificate_pdf(make_snapshot(valid_until=None))))

    assert "No expiry" in text
    assert "永久有效" in text


def test_the_page_is_a4_landscape(make_snapshot):
    assert re.search(r"Page size: +841.89 x 595.2\d* pts \(A4\)", pdfinfo(render_certificate_pdf(make_snapshot())))


def test_the_cjk_font_is_embedded_as_a_subset(make_snapshot):
    pdf = render_certificate_pdf(make_snapshot())

    assert b"/FontFile2" in pdf
    assert len(pdf) < 200_000


def test_logo_and_signature_images_are_drawn(make_snapshot, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 120), "navy").save(logo)
    seal = tmp_path / "seal.png"
    Image.new("RGBA", (120, 120), (200, 0, 0, 180)).save(seal)

    pdf = render_certificate_pdf(make_snapshot(logo=logo, signatories=(("林大華", "執行長", seal),)))

    # The logo and the seal, both flattened onto the white page (no transparency masks to embed).
    assert pdfimages_count(pdf) == 2


def test_a_missing_signature_image_is_an_error_not_a_blank(make_snapshot, tmp_path):
    with pytest.raises(OSError):
        render_certificate_pdf(make_snapshot(signatories=(("林大華", "執行長", tmp_path / "absent.png"),)))


def test_the_font_is_loaded_once_per_process():
    assert register_certificate_fonts() is register_certificate_fonts()


def test_a_missing_font_names_the_debian_package(settings, make_snapshot):
    settings.CERTIFICATE_FONT_PATH = "/nonexistent/uming.ttc"

    with pytest.raises(CertificateFontMissing, match="fonts-arphic-uming"):
        render_certificate_pdf(make_snapshot())


def test_a_file_that_is_not_a_font_gives_the_same_clear_error(settings, make_snapshot, tmp_path):
    not_a_font = tmp_path / "uming.ttc"
    not_a_font.write_bytes(b"not a font at all")
    settings.CERTIFICATE_FONT_PATH = str(not_a_font)

    with pytest.raises(CertificateFontMissing, match="fonts-arphic-uming"):
        render_certificate_pdf(make_snapshot())


def test_the_configured_face_is_ar_pl_uming_tw():
    assert register_certificate_fonts().face.familyName == b"AR PL UMing TW"


def test_very_long_names_shrink_to_fit_instead_of_overflowing(make_snapshot):
    long_name = "Maximilian Alexander Christopher Montgomery-Wellington Fitzgerald-Smythe the Third"
    text = collapse(pdftotext(render_certificate_pdf(make_snapshot(holder_name_en=long_name))))

    assert long_name in text


@pytest.mark.parametrize(
    "name",
    ["Zoë Ñúñez", "Nguyễn Thị Minh Khai", "Ελένη Παπαδοπούλου", "e\u0301lan \u200fmarc\u200e", "Lin\u200bWang"],
    ids=["latin-1", "vietnamese", "greek", "combining-and-direction-marks", "zero-width-space"],
)
def test_unusual_unicode_names_are_drawn_and_extracted_exactly(make_snapshot, name):
    pdf = render_certificate_pdf(make_snapshot(holder_name_en=name))

    # pdftotext wraps right-to-left marks in bidi embedding controls of its own; those are not ours.
    extracted = re.sub("[\u202a-\u202e]", "", pdftotext(pdf))
    assert name in extracted.splitlines()


def test_letters_outside_times_and_the_cjk_font_come_from_the_fallback_font(make_snapshot):
    vietnamese = render_certificate_pdf(make_snapshot(holder_name_en="Nguyễn Thị Minh Khai"))
    english = render_certificate_pdf(make_snapshot(holder_name_en="Hsiao-Ming Wang"))

    assert "DejaVuSerif" in pdffonts(vietnamese)
    assert "DejaVuSerif" not in pdffonts(english)
    assert b"/ActualText" not in page_content(vietnamese)


def test_a_decomposed_accent_is_drawn_composed_not_as_a_missing_glyph(make_snapshot):
    pdf = render_certificate_pdf(make_snapshot(holder_name_en="Rene\u0301 Dupont"))

    # Drawn as the single letter é of Times; /ActualText keeps the decomposed original for copying.
    assert "DejaVuSerif" not in pdffonts(pdf)
    assert "Rene\u0301 Dupont" in pdftotext(pdf).splitlines()


def test_a_snapshot_that_expires_before_issue_is_refused(make_snapshot):
    from datetime import date

    with pytest.raises(ValueError, match="expire"):
        make_snapshot(issued_on=date(2026, 11, 28), valid_until=date(2026, 1, 1))


def test_signatory_images_are_read_from_disk_by_path(make_snapshot, tmp_path):
    seal = tmp_path / "seal.jpg"
    Image.new("RGB", (80, 80), "red").save(seal)

    snapshot = make_snapshot(signatories=[("林大華", "執行長", seal)])

    assert snapshot.signatories[0].image == Path(seal)


def test_a_forked_worker_exiting_leaves_the_parents_image_copies(make_snapshot, tmp_path):
    seal = tmp_path / "seal.png"
    Image.new("RGBA", (120, 120), (200, 0, 0, 180)).save(seal)
    snapshot = make_snapshot(signatories=(("林大華", "執行長", seal),))
    render_certificate_pdf(snapshot)

    child = os.fork()
    if child == 0:  # a task worker forked from this process renders, then exits normally
        try:
            render_certificate_pdf(snapshot)
            atexit._run_exitfuncs()
        finally:
            os._exit(0)
    os.waitpid(child, 0)

    assert pdfimages_count(render_certificate_pdf(snapshot)) == 1
