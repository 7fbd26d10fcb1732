"""What makes a question well formed, and the order a learner sees its parts in."""

import random
from decimal import Decimal

from django.utils.translation import gettext as _

from . import cloze
from .models import CHOICE_TYPES, QuestionType
from .scoring import match_key, parse_number


def question_problems(question, options) -> dict[str, str]:
    """``{field: message}`` for what keeps ``question`` from being scored; empty when it can be."""
    kind = question.question_type
    fractions = [Decimal(option.fraction or 0) for option in options]
    if not (question.text_zh or "").strip() or not (question.text_en or "").strip():
        return {"text_en": _("A question needs its text in both Chinese and English.")}
    if kind in CHOICE_TYPES:
        if len(options) < 2:
            return {"__all__": _("A choice question needs at least two options.")}
        if any(not (option.text_zh or option.text_en) for option in options):
            return {"__all__": _("Every option needs a text.")}
        if kind == QuestionType.SINGLE_CHOICE and max(fractions) != 1:
            return {"__all__": _("One option must be worth the full mark (fraction 1).")}
        if kind == QuestionType.MULTIPLE_RESPONSE and abs(sum(f for f in fractions if f > 0) - 1) > Decimal("0.001"):
            return {"__all__": _("The right options' fractions must add up to 1.")}
    elif kind == QuestionType.TRUE_FALSE:
        if question.true_is_correct is None:
            return {"true_is_correct": _("Say whether the statement is true or false.")}
    elif kind == QuestionType.SHORT_ANSWER:
        if not any(f == 1 and (o.text_zh or o.text_en) for f, o in zip(fractions, options, strict=True)):
            return {"__all__": _("A short-answer question needs an accepted answer worth the full mark.")}
    elif kind == QuestionType.NUMERIC:
        if any(parse_number(option.text_en or option.text_zh) is None for option in options):
            return {"__all__": _("Every answer of a numeric question must be a number.")}
        if not any(f == 1 for f in fractions):
            return {"__all__": _("A numeric question needs an answer worth the full mark.")}
    elif kind == QuestionType.MATCHING:
        if len([o for o in options if (o.text_zh or o.text_en) and (o.match_zh or o.match_en)]) < 2:
            return {"__all__": _("A matching question needs at least two pairs.")}
    elif kind == QuestionType.ORDERING:
        if len(options) < 2:
            return {"__all__": _("An ordering question needs at least two items.")}
    elif kind == QuestionType.CLOZE:
        try:
            gaps_zh, gaps_en = cloze.gaps(question.text_zh), cloze.gaps(question.text_en)
        except cloze.ClozeSyntaxError as error:
            return {"text_en": _("A gap cannot be read: %(error)s") % {"error": error}}
        if not gaps_en:
            return {"text_en": _("A cloze question needs at least one gap.")}
        if [(g.kind, g.weight, len(g.answers) if g.kind == "choice" else 0) for g in gaps_zh] != [
            (g.kind, g.weight, len(g.answers) if g.kind == "choice" else 0) for g in gaps_en
        ]:
            return {"text_zh": _("The Chinese and English texts must have the same gaps in the same order.")}
    return {}


def layout_for(question, options, rng=None):
    """The display order of a question's parts for one attempt, shuffled where the question allows it."""
    rng = rng or random.SystemRandom()
    ids = [option.pk for option in sorted(options, key=lambda o: o.sort_order or 0)]
    kind = question.question_type
    if kind in CHOICE_TYPES:
        if question.shuffle_options:
            rng.shuffle(ids)
        return {"options": ids}
    if kind == QuestionType.MATCHING:
        by_id = {option.pk: option for option in options}
        stems = [pk for pk in ids if by_id[pk].text_zh or by_id[pk].text_en]
        answers, seen = [], set()
        for pk in ids:
            key = match_key(by_id[pk])
            if any(key) and key not in seen:
                seen.add(key)
                answers.append(pk)
        rng.shuffle(answers)
        if question.shuffle_options:
            rng.shuffle(stems)
        return {"stems": stems, "answers": answers}
    if kind == QuestionType.ORDERING:
        # Always shuffled, and never left in the right order: that would answer the question.
        correct = ids[:]
        while len(ids) > 1 and ids == correct:
            rng.shuffle(ids)
        return {"items": ids}
    if kind == QuestionType.CLOZE:
        orders = {}
        for index, gap in enumerate(cloze.gaps(question.text_en)):
            if gap.kind == "choice":
                order = list(range(len(gap.answers)))
                rng.shuffle(order)
                orders[str(index)] = order
        return {"gaps": orders}
    return {}
