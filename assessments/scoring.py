"""Scoring a response to a question: a fraction of its mark between 0 and 1, or None when a person must grade it.

Responses are what the attempt form posts, keyed as ``assessments.forms`` names its fields; choices are positions
in the attempt's ``layout`` (the order the learner saw), never option ids.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from . import cloze
from .models import QuestionType

ONE, ZERO = Decimal(1), Decimal(0)


def normalise_answer(text, case_sensitive=False):
    """The form of a typed answer that is compared: full-width and half-width forms alike (NFKC), surrounding and
    repeated spaces ignored, and letter case ignored unless the question says otherwise."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = " ".join(text.split())
    return text if case_sensitive else text.casefold()


def answer_matches(typed, accepted, case_sensitive=False):
    """Whether ``typed`` is the ``accepted`` answer; ``*`` in an accepted answer stands for any text (as Moodle)."""
    typed = normalise_answer(typed, case_sensitive)
    accepted = normalise_answer(accepted, case_sensitive)
    if not typed or not accepted:
        return False
    if "*" not in accepted:
        return typed == accepted
    pattern = ".*".join(re.escape(piece) for piece in accepted.split("*"))
    return re.fullmatch(pattern, typed, flags=re.DOTALL) is not None


def parse_number(text):
    """A typed number as a Decimal (full-width digits accepted), or None."""
    text = normalise_answer(text).replace(" ", "")
    if not text or len(text) > 40:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def clamp(value):
    return max(ZERO, min(ONE, value))


def _position(value, length):
    try:
        index = int(value)
    except (TypeError, ValueError):
        return None
    return index if 0 <= index < length else None


def _chosen_options(layout_ids, values, options_by_id):
    chosen = []
    for value in values:
        index = _position(value, len(layout_ids))
        if index is not None and layout_ids[index] in options_by_id and options_by_id[layout_ids[index]] not in chosen:
            chosen.append(options_by_id[layout_ids[index]])
    return chosen


def score_single_choice(question, options, layout, response):
    by_id = {option.pk: option for option in options}
    chosen = _chosen_options(layout.get("options", []), [response.get("choice")], by_id)
    return clamp(chosen[0].fraction) if chosen else ZERO


def score_multiple_response(question, options, layout, response):
    by_id = {option.pk: option for option in options}
    values = response.get("choices") or []
    if not isinstance(values, list):
        values = [values]
    chosen = _chosen_options(layout.get("options", []), values, by_id)
    return clamp(sum((option.fraction for option in chosen), ZERO))


def score_true_false(question, options, layout, response):
    answer = response.get("answer")
    if answer not in ("true", "false") or question.true_is_correct is None:
        return ZERO
    return ONE if (answer == "true") == question.true_is_correct else ZERO


def best_short_answer(typed, answers, case_sensitive):
    """The best-scoring accepted answer that ``typed`` matches, in either language, or None."""
    matched = [answer for answer in answers if any(answer_matches(typed, text, case_sensitive) for text in answer[0])]
    return max(matched, key=lambda answer: answer[1], default=None)


def score_short_answer(question, options, layout, response):
    answers = [((option.text_zh, option.text_en), option.fraction) for option in options]
    best = best_short_answer(response.get("answer"), answers, question.case_sensitive)
    return clamp(best[1]) if best else ZERO


def best_number(typed, answers):
    number = parse_number(typed)
    if number is None:
        return None
    matched = [answer for answer in answers if abs(number - answer[0]) <= abs(answer[2])]
    return max(matched, key=lambda answer: answer[1], default=None)


def score_numeric(question, options, layout, response):
    answers = []
    for option in options:
        value = parse_number(option.text_en or option.text_zh)
        if value is not None:
            answers.append((value, option.fraction, option.tolerance))
    best = best_number(response.get("answer"), answers)
    return clamp(best[1]) if best else ZERO


def match_key(option):
    return (normalise_answer(option.match_en), normalise_answer(option.match_zh))


def score_matching(question, options, layout, response):
    by_id = {option.pk: option for option in options}
    stems = [by_id[pk] for pk in layout.get("stems", []) if pk in by_id]
    answers = [by_id[pk] for pk in layout.get("answers", []) if pk in by_id]
    if not stems:
        return ZERO
    right = 0
    for index, stem in enumerate(stems):
        chosen = _position(response.get(f"m{index}"), len(answers))
        if chosen is not None and match_key(answers[chosen]) == match_key(stem):
            right += 1
    return Decimal(right) / len(stems)


def score_ordering(question, options, layout, response):
    """Each item placed at its right place earns an equal share (Moodle's 'absolute position' grading)."""
    correct_rank = {option.pk: rank for rank, option in enumerate(sorted(options, key=lambda o: o.sort_order or 0))}
    items = [pk for pk in layout.get("items", []) if pk in correct_rank]
    if not items:
        return ZERO
    right = 0
    for index, pk in enumerate(items):
        chosen = _position(response.get(f"o{index}"), len(items) + 1)
        if chosen is not None and chosen - 1 == correct_rank[pk]:
            right += 1
    return Decimal(right) / len(items)


def gap_fraction(gaps_in_languages, index, layout, typed):
    """The fraction one gap earns; a gap's answers in either language count."""
    versions = [gaps[index] for gaps in gaps_in_languages if index < len(gaps)]
    first = versions[0]
    if first.kind == "choice":
        order = layout.get("gaps", {}).get(str(index), list(range(len(first.answers))))
        position = _position(typed, len(order))
        if position is None:
            return ZERO
        return clamp(
            max(gap.answers[order[position]].fraction for gap in versions if order[position] < len(gap.answers))
        )
    best = ZERO
    for gap in versions:
        if gap.kind == "numeric":
            answer = best_number(typed, [(Decimal(a.text), a.fraction, a.tolerance) for a in gap.answers])
        else:
            answer = best_short_answer(typed, [((a.text,), a.fraction) for a in gap.answers], gap.case_sensitive)
        if answer:
            best = max(best, clamp(answer[1]))
    return best


def score_cloze(question, options, layout, response):
    gaps_in_languages = [cloze.gaps(question.text_zh), cloze.gaps(question.text_en)]
    reference = gaps_in_languages[1] or gaps_in_languages[0]
    total_weight = sum(gap.weight for gap in reference)
    if not total_weight:
        return ZERO
    earned = sum(
        gap.weight * gap_fraction(gaps_in_languages, index, layout, response.get(f"g{index}"))
        for index, gap in enumerate(reference)
    )
    return Decimal(earned) / total_weight


SCORERS = {
    QuestionType.SINGLE_CHOICE: score_single_choice,
    QuestionType.MULTIPLE_RESPONSE: score_multiple_response,
    QuestionType.TRUE_FALSE: score_true_false,
    QuestionType.SHORT_ANSWER: score_short_answer,
    QuestionType.NUMERIC: score_numeric,
    QuestionType.MATCHING: score_matching,
    QuestionType.ORDERING: score_ordering,
    QuestionType.CLOZE: score_cloze,
}


def score_response(question, options, layout, response) -> Decimal | None:
    """The fraction of the mark ``response`` earns, from 0 to 1; None for an essay, which a trainer grades."""
    if question.question_type == QuestionType.ESSAY:
        return None
    return clamp(SCORERS[question.question_type](question, options, layout, response or {})).quantize(
        Decimal("0.00001")
    )
