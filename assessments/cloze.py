"""Cloze questions in Moodle's embedded-answers syntax: ``{1:SHORTANSWER:=臺北#right~%50%台北}``.

A gap is ``{weight:TYPE:answers}``; answers are separated by ``~``, each prefixed ``=`` (full marks) or ``%n%``
(n percent) and optionally followed by ``#feedback``. Types: SHORTANSWER (SA, MW), SHORTANSWER_C (SAC, MWC: case
matters), NUMERICAL (NM: ``value:tolerance``) and MULTICHOICE (MC and its layouts MCV, MCH, MCS, MULTICHOICE_S …).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

GAP = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^}\\])*)\}")
SHORT = {"SHORTANSWER", "SA", "MW"}
SHORT_CASE = {"SHORTANSWER_C", "SAC", "MWC"}
NUMERIC = {"NUMERICAL", "NM"}
CHOICE = {
    "MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH",
    "MULTICHOICE_S", "MCS", "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS",
}  # fmt: skip


class ClozeSyntaxError(ValueError):
    pass


@dataclass
class GapAnswer:
    text: str
    fraction: Decimal
    feedback: str = ""
    tolerance: Decimal = Decimal(0)


@dataclass
class Gap:
    kind: str  # "short", "numeric" or "choice"
    weight: int
    answers: list[GapAnswer] = field(default_factory=list)
    case_sensitive: bool = False
    source: str = ""


def _split_unescaped(text, separator):
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unescape(text):
    return re.sub(r"\\(.)", r"\1", text)


def parse_gap(weight, gap_type, body, source=""):
    if gap_type in SHORT or gap_type in SHORT_CASE:
        kind = "short"
    elif gap_type in NUMERIC:
        kind = "numeric"
    elif gap_type in CHOICE:
        kind = "choice"
    else:
        raise ClozeSyntaxError(f"unknown gap type {gap_type}")
    gap = Gap(kind=kind, weight=int(weight or 1), case_sensitive=gap_type in SHORT_CASE, source=source)
    for raw in _split_unescaped(body, "~"):
        if not raw.strip():
            continue
        answer_text, _sep, feedback = raw.partition("#") if "\\#" not in raw else (raw, "", "")
        fraction = Decimal(0)
        if answer_text.startswith("="):
            fraction, answer_text = Decimal(1), answer_text[1:]
        elif match := re.match(r"%(-?\d+(?:\.\d+)?)%", answer_text):
            fraction, answer_text = Decimal(match.group(1)) / 100, answer_text[match.end() :]
        if not -1 <= fraction <= 1:
            raise ClozeSyntaxError(f"fraction out of range in {source}")
        tolerance = Decimal(0)
        if kind == "numeric":
            value, _colon, tol = answer_text.partition(":")
            try:
                Decimal(value.strip())
                tolerance = Decimal(tol.strip()) if tol.strip() else Decimal(0)
            except InvalidOperation as error:
                raise ClozeSyntaxError(f"not a number in {source}") from error
            answer_text = value.strip()
        gap.answers.append(GapAnswer(_unescape(answer_text).strip(), fraction, _unescape(feedback).strip(), tolerance))
    if not any(answer.fraction == 1 for answer in gap.answers):
        raise ClozeSyntaxError(f"no fully right answer in {source}")
    return gap


def parse(text):
    """The text as a list of strings and ``Gap`` objects, in order."""
    parts, position = [], 0
    for match in GAP.finditer(text or ""):
        parts.append(text[position : match.start()])
        parts.append(parse_gap(match.group(1), match.group(2), match.group(3), source=match.group(0)))
        position = match.end()
    parts.append((text or "")[position:])
    return parts


def gaps(text):
    return [part for part in parse(text) if isinstance(part, Gap)]


def with_gaps_as(text, replacement):
    """The text with each gap replaced by ``replacement(gap)`` (used for exports and plain listings)."""
    return "".join(part if isinstance(part, str) else replacement(part) for part in parse(text))
