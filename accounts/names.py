"""Names as they will be printed on certificates: one canonical Unicode form, and nothing invisible in them.

A certificate shows a name to people who trust it, so characters that change how text is displayed without
being visible (right-to-left overrides, zero-width characters, control characters) are refused rather than
silently kept, and stacks of combining marks that overflow the line are refused too.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Enough for real diacritics (Vietnamese stacks two); "Zalgo" text stacks dozens.
MAX_COMBINING_MARKS = 3
LATIN_PUNCTUATION = set(" -'’.,")
# No name holds these; text that does is markup or a template, not a name.
MARKUP_CHARACTERS = set('<>&"{}[]`\\|=;')


def normalise_name(value):
    """NFC (so "é" is one character however it was typed) with runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def validate_printable_name(value):
    for character in value:
        if unicodedata.category(character) in {"Cc", "Cf", "Co", "Cs", "Cn"}:
            raise ValidationError(
                _("Remove the invisible control character (U+%(code)04X) from the name."),
                code="invisible_character",
                params={"code": ord(character)},
            )
    if value and unicodedata.combining(value[0]):
        raise ValidationError(_("A name cannot begin with an accent mark."), code="leading_combining_mark")
    run = 0
    for character in value:
        run = run + 1 if unicodedata.combining(character) else 0
        if run > MAX_COMBINING_MARKS:
            raise ValidationError(_("The name has too many accent marks on one letter."), code="combining_marks")


def validate_latin_name(value):
    """The English name is written in the Latin alphabet (accented letters included)."""
    for character in unicodedata.normalize("NFD", value):
        if character in LATIN_PUNCTUATION or unicodedata.combining(character):
            continue
        if not (character.isalpha() and unicodedata.name(character, "").startswith("LATIN")):
            raise ValidationError(
                _("Write the English name in the Latin alphabet: letters, spaces, hyphens and apostrophes."),
                code="not_latin",
            )


def validate_no_markup(value):
    found = sorted({character for character in value if character in MARKUP_CHARACTERS})
    if found:
        raise ValidationError(
            _("A name cannot contain %(characters)s."), code="markup", params={"characters": " ".join(found)}
        )
