"""The right response to any question of an attempt, built from the question and the attempt's layout."""

from assessments import cloze
from assessments.models import QuestionType
from assessments.scoring import match_key


def right_response(slot):
    question, layout = slot.question, slot.layout
    options = {o.pk: o for o in question.options.all()}
    kind = question.question_type
    if kind == QuestionType.TRUE_FALSE:
        return {"answer": "true" if question.true_is_correct else "false"}
    if kind == QuestionType.SINGLE_CHOICE:
        return {"choice": str(next(i for i, pk in enumerate(layout["options"]) if options[pk].fraction == 1))}
    if kind == QuestionType.MULTIPLE_RESPONSE:
        return {"choices": [str(i) for i, pk in enumerate(layout["options"]) if options[pk].fraction > 0]}
    if kind in (QuestionType.SHORT_ANSWER, QuestionType.NUMERIC):
        best = next(o for o in options.values() if o.fraction == 1)
        return {"answer": best.text_en or best.text_zh}
    if kind == QuestionType.MATCHING:
        answers = layout["answers"]
        return {
            f"m{i}": str(next(j for j, a in enumerate(answers) if match_key(options[a]) == match_key(options[s])))
            for i, s in enumerate(layout["stems"])
        }
    if kind == QuestionType.ORDERING:
        rank = {o.pk: n for n, o in enumerate(sorted(options.values(), key=lambda o: o.sort_order))}
        return {f"o{i}": str(rank[pk] + 1) for i, pk in enumerate(layout["items"])}
    if kind == QuestionType.CLOZE:
        response = {}
        for index, gap in enumerate(cloze.gaps(question.text_en)):
            right = next(n for n, a in enumerate(gap.answers) if a.fraction == 1)
            if gap.kind == "choice":
                response[f"g{index}"] = str(layout["gaps"][str(index)].index(right))
            else:
                response[f"g{index}"] = gap.answers[right].text
        return response
    return {"answer": "an essay"}


def right_responses(attempt):
    slots = attempt.slots.select_related("question").prefetch_related("question__options")
    return {slot.position: right_response(slot) for slot in slots}
