"""Item statistics of a quiz, with Moodle's definitions (mod/quiz/report/statistics), over its graded attempts.

For each question, with x its fraction of the mark in an attempt and X the attempt's marks without it:
- facility index: the mean of x, as a percentage (how easy the question was);
- standard deviation: the sample standard deviation of x, as a percentage;
- discrimination index: the correlation between x and X, as a percentage (do those who do well on the rest of the
  quiz do well on this question?); undefined with fewer than two attempts or no spread;
- frequency of each option (choice and true/false questions): how many attempts chose it.
Questions are drawn at random, so each question is counted over the attempts that were asked it.
"""

import math
from dataclasses import dataclass, field

from .models import Attempt, AttemptSlot, QuestionType


@dataclass
class ItemStatistics:
    question: object
    attempts: int
    facility: float | None
    standard_deviation: float | None
    discrimination: float | None
    option_counts: list[tuple[str, int]] = field(default_factory=list)


def _mean(values):
    return sum(values) / len(values)


def _sample_sd(values):
    if len(values) < 2:
        return None
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _correlation(xs, ys):
    if len(xs) < 2:
        return None
    mean_x, mean_y = _mean(xs), _mean(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    spread = math.sqrt(sum((x - mean_x) ** 2 for x in xs) * sum((y - mean_y) ** 2 for y in ys))
    return covariance / spread if spread else None


def _option_counts(question, slots):
    if question.question_type == QuestionType.TRUE_FALSE:
        answers = [slot.response.get("answer") for slot in slots]
        return [(str(label), answers.count(value)) for value, label in (("true", "True"), ("false", "False"))]
    if question.question_type not in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        return []
    counts = {option.pk: 0 for option in question.options.all()}
    for slot in slots:
        layout = slot.layout.get("options", [])
        chosen = slot.response.get("choices") or [slot.response.get("choice")]
        for value in chosen:
            if str(value).isdigit() and int(value) < len(layout) and layout[int(value)] in counts:
                counts[layout[int(value)]] += 1
    return [(option.text, counts[option.pk]) for option in question.options.all()]


def quiz_statistics(quiz, attempts):
    """``ItemStatistics`` for every question asked in the graded ``attempts`` at ``quiz``, in question order."""
    slots = list(
        AttemptSlot.objects.filter(attempt__in=attempts, attempt__quiz=quiz, attempt__state=Attempt.State.GRADED)
        .select_related("question", "attempt")
        .prefetch_related("question__options")
        .order_by("question__name", "attempt_id")
    )
    by_question = {}
    for slot in slots:
        by_question.setdefault(slot.question_id, []).append(slot)
    rows = []
    for question_slots in by_question.values():
        question = question_slots[0].question
        xs = [float(slot.fraction or 0) for slot in question_slots]
        rest = [float((slot.attempt.marks or 0) - (slot.mark or 0)) for slot in question_slots]
        sd = _sample_sd(xs)
        correlation = _correlation(xs, rest)
        rows.append(
            ItemStatistics(
                question=question,
                attempts=len(xs),
                facility=round(100 * _mean(xs), 2),
                standard_deviation=None if sd is None else round(100 * sd, 2),
                discrimination=None if correlation is None else round(100 * correlation, 2),
                option_counts=_option_counts(question, question_slots),
            )
        )
    return rows


def facility_chart(rows, width=600, bar_height=22):
    """An SVG bar chart of the facility index per question (drawn on the server: no script needed)."""
    label_width = 220
    height = bar_height * len(rows) + 10
    bars = []
    for index, row in enumerate(rows):
        y = 5 + index * bar_height
        length = (width - label_width - 60) * (row.facility or 0) / 100
        name = str(row.question.name)[:32].replace("&", "&amp;").replace("<", "&lt;")
        bars.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">{name}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{bar_height - 8}" fill="#2563eb"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="12">{row.facility}%</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-hidden="true">{"".join(bars)}</svg>'
    )
