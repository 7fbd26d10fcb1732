"""The zh-Hant and English catalogues are complete: every string has a translation that keeps its placeholders."""

import re

import polib
import pytest
from django.conf import settings
from django.utils import translation

PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*[sdrfX]|%%|%[sd]")


def catalogue(language):
    return polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["zh_Hant", "en"])
def test_no_entry_is_empty_or_fuzzy(language):
    entries = [entry for entry in catalogue(language) if not entry.obsolete]
    assert len(entries) > 100
    empty = [
        entry.msgid
        for entry in entries
        if not (entry.msgstr or all(entry.msgstr_plural.values()) and entry.msgstr_plural)
    ]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert not empty, f"{len(empty)} untranslated in {language}: {empty[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["zh_Hant", "en"])
def test_translations_keep_their_placeholders(language):
    broken = []
    for entry in catalogue(language):
        if entry.obsolete:
            continue
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        expected = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in translations:
            if set(PLACEHOLDER.findall(text)) - expected or (
                not entry.msgid_plural and expected - set(PLACEHOLDER.findall(text))
            ):
                broken.append((entry.msgid, text))
    assert not broken, broken[:10]


def test_both_catalogues_hold_the_same_strings():
    assert {entry.msgid for entry in catalogue("zh_Hant")} == {entry.msgid for entry in catalogue("en")}


def test_the_compiled_catalogue_is_used():
    with translation.override("zh-hant"):
        assert translation.gettext("Skip to main content") == "跳到主要內容"
        assert str(translation.gettext_lazy("Taipei City")) == "臺北市"
    with translation.override("en"):
        assert translation.gettext("Skip to main content") == "Skip to main content"
