"""What the attempt and review pages show of each question, and reading the learner's answers from the form.

During an attempt nothing here looks at fractions, accepted answers or tolerances: a question is shown from its
text and the attempt's layout only. The review adds marks, feedback and right answers when the quiz allows it.
"""

import hashlib
import json

from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import cloze
from .models import QuestionOption, QuestionType
from .scoring import normalise_answer

MAX_TYPED = 500
MAX_ESSAY = 20_000
# A rendered question lives this long at most; its key changes with anything it shows.
FRAGMENT_SECONDS = 3600


def _options_by_id(slot):
    return {option.pk: option for option in slot.question.options.all()}


def _choices(labels, selected):
    return [
        {"value": str(index), "label": label, "checked": str(index) in selected} for index, label in enumerate(labels)
    ]


def question_view(slot):
    """The template context of one question of an attempt: its text and parts in the attempt's order."""
    question, layout, response = slot.question, slot.layout, slot.response or {}
    options = _options_by_id(slot)
    prefix = f"s{slot.position}"
    view = {
        "slot": slot,
        "prefix": prefix,
        "number": slot.position + 1,
        "kind": question.question_type,
        "text": question.text,
        "max_mark": slot.max_mark,
        "answer": response.get("answer", ""),
    }
    kind = question.question_type
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        selected = response.get("choices", []) if kind == QuestionType.MULTIPLE_RESPONSE else [response.get("choice")]
        labels = [options[pk].text for pk in layout.get("options", []) if pk in options]
        view["choices"] = _choices(labels, [str(value) for value in selected if value is not None])
    elif kind == QuestionType.TRUE_FALSE:
        view["choices"] = [
            {"value": "true", "label": _("True"), "checked": response.get("answer") == "true"},
            {"value": "false", "label": _("False"), "checked": response.get("answer") == "false"},
        ]
    elif kind == QuestionType.MATCHING:
        answers = [options[pk].match for pk in layout.get("answers", []) if pk in options]
        view["stems"] = [
            {
                "name": f"{prefix}-m{index}",
                "label": options[pk].text,
                "choices": _choices(answers, [str(response.get(f"m{index}"))]),
            }
            for index, pk in enumerate(pk for pk in layout.get("stems", []) if pk in options)
        ]
    elif kind == QuestionType.ORDERING:
        items = [pk for pk in layout.get("items", []) if pk in options]
        ranks = [str(rank) for rank in range(1, len(items) + 1)]
        view["items"] = [
            {
                "name": f"{prefix}-o{index}",
                "label": options[pk].text,
                "choices": [{"value": r, "label": r, "checked": str(response.get(f"o{index}")) == r} for r in ranks],
            }
            for index, pk in enumerate(items)
        ]
    elif kind == QuestionType.CLOZE:
        view["cloze"] = _cloze_parts(question, layout, response, prefix)
    return view


def _fragment_key(slot):
    """Everything a question of an attempt shows: the slot (one attempt's, so one learner's), the question as last
    saved (an author's edit saves it, options included), what the learner answered, the layout, the language."""
    shown = json.dumps([slot.position, str(slot.max_mark), slot.layout, slot.response], sort_keys=True)
    digest = hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()
    edited = slot.question.updated_at.isoformat() if slot.question.updated_at else ""
    return f"quiz-question:{slot.pk}:{slot.question_id}:{edited}:{get_language()}:{digest}"


def question_fragments(slots):
    """Each question of an attempt as the attempt page shows it (``assessments/includes/attempt_question.html``),
    rendered only when not kept already: a learner saving one answer has only that question rendered again, and the
    options are read only for the questions rendered. ``slots``: the attempt's slots, questions joined."""
    keys = [_fragment_key(slot) for slot in slots]
    found = cache.get_many(keys)
    missing = [slot for slot, key in zip(slots, keys, strict=True) if key not in found]
    if missing:
        options = QuestionOption.objects.order_by("sort_order")
        prefetch_related_objects(missing, Prefetch("question__options", queryset=options))
        fresh = {
            _fragment_key(slot): render_to_string(
                "assessments/includes/attempt_question.html", {"q": question_view(slot)}
            )
            for slot in missing
        }
        cache.set_many(fresh, FRAGMENT_SECONDS)
        found.update(fresh)
    # Rendered here by the template engine (escaped), or read back from what it rendered.
    return [mark_safe(found[key]) for key in keys]


def _cloze_parts(question, layout, response, prefix):
    """The reader's-language text cut into text and gaps; a choice gap lists its answers in the attempt's order."""
    parts, index = [], 0
    for part in cloze.parse(question.text):
        if isinstance(part, str):
            parts.append({"text": part})
            continue
        gap = {
            "name": f"{prefix}-g{index}",
            "kind": part.kind,
            "value": response.get(f"g{index}", ""),
            "number": index + 1,
        }
        if part.kind == "choice":
            order = layout.get("gaps", {}).get(str(index), list(range(len(part.answers))))
            labels = [part.answers[answer].text for answer in order if answer < len(part.answers)]
            gap["choices"] = _choices(labels, [str(response.get(f"g{index}"))])
        parts.append(gap)
        index += 1
    return parts


def review_view(slot):
    """``question_view`` with the mark, the feedback and the right answer: only after the attempt, when allowed."""
    view = question_view(slot)
    question = slot.question
    options = list(question.options.all())
    view["mark"] = slot.mark
    view["fraction"] = slot.fraction
    view["feedback"] = question.general_feedback
    view["grader_comment"] = slot.grader_comment
    view["right_answer"] = right_answer(question, options)
    return view


def right_answer(question, options):
    """The right answer in words, for the review."""
    kind = question.question_type
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        return "; ".join(option.text for option in options if option.fraction > 0)
    if kind == QuestionType.TRUE_FALSE:
        return _("True") if question.true_is_correct else _("False")
    if kind in (QuestionType.SHORT_ANSWER, QuestionType.NUMERIC):
        best = [option for option in options if option.fraction == 1]
        return "; ".join(
            f"{option.text} ± {option.tolerance.normalize()}" if option.tolerance else option.text for option in best
        )
    if kind == QuestionType.MATCHING:
        return "; ".join(f"{option.text} → {option.match}" for option in options if option.text)
    if kind == QuestionType.ORDERING:
        return " → ".join(option.text for option in sorted(options, key=lambda o: o.sort_order or 0))
    if kind == QuestionType.CLOZE:
        return "; ".join(
            next((answer.text for answer in gap.answers if answer.fraction == 1), "")
            for gap in cloze.gaps(question.text)
        )
    return question.rubric


def responses_from_post(slots, data):
    """``{position: response}`` for the questions the form carried (each carries a hidden ``sN-shown`` field)."""
    responses = {}
    for slot in slots:
        prefix = f"s{slot.position}"
        if f"{prefix}-shown" not in data:
            continue
        kind = slot.question_type
        if kind == QuestionType.SINGLE_CHOICE:
            response = {"choice": data.get(f"{prefix}-choice", "")[:6]}
        elif kind == QuestionType.MULTIPLE_RESPONSE:
            response = {"choices": [value[:6] for value in data.getlist(f"{prefix}-choices")[:50]]}
        elif kind == QuestionType.TRUE_FALSE:
            response = {"answer": data.get(f"{prefix}-answer", "")[:5]}
        elif kind == QuestionType.ESSAY:
            response = {"answer": data.get(f"{prefix}-answer", "")[:MAX_ESSAY]}
        elif kind in (QuestionType.SHORT_ANSWER, QuestionType.NUMERIC):
            response = {"answer": data.get(f"{prefix}-answer", "")[:MAX_TYPED]}
        else:
            letter = {QuestionType.MATCHING: "m", QuestionType.ORDERING: "o", QuestionType.CLOZE: "g"}[kind]
            response = {
                key[len(prefix) + 1 :]: value[:MAX_TYPED]
                for key, value in data.items()
                if key.startswith(f"{prefix}-{letter}") and key[len(prefix) + 2 :].isdigit()
            }
        responses[slot.position] = {key: value for key, value in response.items() if value not in ("", [])}
    return responses


def is_answered(slot):
    return any(
        normalise_answer(value) if isinstance(value, str) else value for value in (slot.response or {}).values()
    )
