"""Server-side re-scoring of a learner's xAPI ``result.response`` against the package's own answers.

A browser reports its own score, so a console can claim anything. For the content types below the server
computes the score the package really gives for the response, exactly as the library's JavaScript does, and
the xAPI intake compares it with the claimed ``result.score``:

- ``H5P.MultiChoice`` (as ``multichoice.js`` 1.x): the response is the chosen answers' original indexes
  joined by ``[,]``. Single-answer mode (``behaviour.type`` ``single``, or ``auto`` with one correct answer)
  scores 1 for a correct pick out of ``weight``. Multi-answer mode adds each chosen answer's weight when
  correct and subtracts it when wrong, floors at 0, gives full marks to an empty response when no answer is
  correct, and with ``behaviour.singlePoint`` turns the result into ``weight`` or 0 at ``passPercentage``.
- ``H5P.TrueFalse``: the response is ``"true"`` or ``"false"``; 1 point out of 1 when it is the correct one
  (``correct`` is the string ``"true"``, anything else means false, as in the library).
- ``H5P.DragText`` (``h5p-drag-text.js`` 1.8): the text marks each answer ``*answer:tip\\+right\\-wrong*``; the
  response is the text of the word in each drop zone (``""`` for an empty one), in order, joined by ``[,]``; one
  point per zone holding its own word, out of the number of zones.
- ``H5P.Blanks`` (Fill in the blanks, ``blanks.js`` 1.12): each ``*alternative/alternative:tip*`` in the
  questions is a blank; the response is what was typed in each blank, joined by ``[,]``; one point per blank
  whose trimmed input equals an alternative (ignoring case unless ``caseSensitive``; within the library's
  Damerau-Levenshtein allowance with ``acceptSpellingErrors``), out of the number of blanks.
- ``H5P.QuestionSet``: the sum over its questions (each re-scored from its own ``answered`` statement, passed
  in as ``sub_responses``), out of the sum of their maximums; only when every question is of a type above.
- ``IEA.Quiz`` (our demo library, ``courses/h5p/demo``): see ``rescore_iea_quiz``.

Usage by the xAPI intake::

    score = rescore_statement(package.content_json, package.main_library, statement, sub_responses)
    if score is None: ...            # this content type cannot be re-scored: keep the claimed score
    elif not score.matches(statement["result"]["score"]): ...   # flag, do not count

``ImpossibleResponse`` is raised for a response the package could never have produced (an unknown answer,
two answers to a single-answer question …): treat the statement as forged.
"""

import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

RESPONSE_SEPARATOR = "[,]"
QUESTION_SEPARATOR = "[;]"
ANSWER_SEPARATOR = "[.]"
SCORE_TOLERANCE = 1e-6
CHOICE_ID = re.compile(r"^[0-9]{1,4}$")


class ImpossibleResponse(ValueError):
    """The response cannot have come from this content: it is malformed or names answers that do not exist."""


@dataclass(frozen=True)
class Score:
    raw: float
    max: float

    def matches(self, claimed) -> bool:
        """Whether an xAPI ``result.score`` object (``{"raw": …, "max": …}``) claims exactly this score."""
        if not isinstance(claimed, Mapping):
            return False
        raw, maximum = claimed.get("raw"), claimed.get("max")
        if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in (raw, maximum)):
            return False
        return math.isclose(raw, self.raw, abs_tol=SCORE_TOLERANCE) and math.isclose(
            maximum, self.max, abs_tol=SCORE_TOLERANCE
        )


def _js_truthy(value):
    """JavaScript's truthiness, which the libraries use on their parameters (``[]`` and ``{}`` are true)."""
    if isinstance(value, list | dict):
        return True
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def _number(value, default):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else default


def _choice_ids(response, count):
    if not isinstance(response, str):
        raise ImpossibleResponse("the response is not text")
    if response == "":
        return []
    parts = response.split(RESPONSE_SEPARATOR)
    if not all(CHOICE_ID.match(part) for part in parts):
        raise ImpossibleResponse(f"the response {response!r} is not a list of answer numbers")
    chosen = [int(part) for part in parts]
    if len(set(chosen)) != len(chosen):
        raise ImpossibleResponse("an answer is chosen twice")
    if any(choice >= count for choice in chosen):
        raise ImpossibleResponse("the response names an answer the question does not have")
    return chosen


def rescore_multichoice(params: Mapping, response: str) -> Score:
    """The score ``H5P.MultiChoice`` gives for ``response`` with these ``content.json`` parameters."""
    answers = [answer if isinstance(answer, Mapping) else {} for answer in params.get("answers") or []]
    behaviour = params.get("behaviour") if isinstance(params.get("behaviour"), Mapping) else {}
    weight = _number(params.get("weight"), 1)
    single_point = _js_truthy(behaviour.get("singlePoint", True))
    pass_percentage = _number(behaviour.get("passPercentage"), 100)
    kind = behaviour.get("type", "auto")
    correct_count = sum(1 for answer in answers if _js_truthy(answer.get("correct")))
    blank_is_correct = correct_count == 0
    single_answer = correct_count == 1 if kind == "auto" else kind == "single"

    def answer_weight(answer):
        return _number(answer.get("weight"), 1)

    def total_of_correct():
        if blank_is_correct:
            return weight
        return sum(answer_weight(answer) for answer in answers if _js_truthy(answer.get("correct")))

    chosen = _choice_ids(response, len(answers))
    if single_answer:
        if len(chosen) > 1:
            raise ImpossibleResponse("more than one answer to a single-answer question")
        # The library scores a radio pick 1 or 0 whatever the weight; its maximum is the weight.
        raw = 1 if chosen and _js_truthy(answers[chosen[0]].get("correct")) else 0
        return Score(raw, weight)

    raw = 0
    for choice in chosen:
        answer = answers[choice]
        raw += answer_weight(answer) if _js_truthy(answer.get("correct")) else -answer_weight(answer)
    raw = max(raw, 0)
    if not chosen and blank_is_correct:
        raw = weight
    if single_point:
        most = total_of_correct()
        percent = 100 * raw / most if most else (math.inf if raw > 0 else math.nan)
        raw = weight if percent >= pass_percentage else 0
        return Score(raw, weight)
    return Score(raw, total_of_correct())


def rescore_truefalse(params: Mapping, response: str) -> Score:
    """The score ``H5P.TrueFalse`` gives for ``response`` (``"true"``, ``"false"``, or ``""`` when unanswered)."""
    if response not in ("true", "false", ""):
        raise ImpossibleResponse("a true/false response must be “true” or “false”")
    correct = "true" if params.get("correct", "true") == "true" else "false"
    return Score(1 if response == correct else 0, 1)


def rescore_iea_quiz(params: Mapping, response: str) -> Score:
    """The score our ``IEA.Quiz`` gives: one point per question whose chosen set equals its correct set.

    The top-level response lists every answered question as ``<question id>[.]<choices joined by [,]>``,
    questions separated by ``[;]``. A question's own ``answered`` statement carries just its choices.
    """
    questions = [q for q in params.get("questions") or [] if isinstance(q, Mapping)]
    by_id = {str(q.get("id")): q for q in questions}
    if not isinstance(response, str):
        raise ImpossibleResponse("the response is not text")
    given = {}
    for part in response.split(QUESTION_SEPARATOR) if response else []:
        question_id, separator, choices = part.partition(ANSWER_SEPARATOR)
        if not separator or question_id not in by_id or question_id in given:
            raise ImpossibleResponse(f"the response part {part!r} names no question of this quiz")
        given[question_id] = choices
    raw = sum(_iea_question_points(by_id[qid], choices) for qid, choices in given.items())
    return Score(raw, len(questions))


def _iea_question_points(question, response):
    answers = [a if isinstance(a, Mapping) else {} for a in question.get("answers") or []]
    chosen = set(_choice_ids(response, len(answers)))
    correct = {index for index, answer in enumerate(answers) if answer.get("correct") is True}
    if len(correct) == 1 and len(chosen) > 1:
        raise ImpossibleResponse("more than one answer to a single-answer question")
    return 1 if chosen == correct else 0


def rescore_iea_question(params: Mapping, response: str) -> Score:
    """The score of one ``IEA.Quiz`` question (its ``answered`` statement): 1 out of 1 when exactly right."""
    return Score(_iea_question_points(params, response), 1)


DRAG_TEXT_PART = re.compile(r"(\*.*?\*)")
DRAG_TEXT_TIP = re.compile(r":[^\\*]+")
DRAG_TEXT_RIGHT = re.compile(r"\\\+[^\\*:]+")
DRAG_TEXT_WRONG = re.compile(r"\\-[^\\*:]+")


def drag_text_answers(text_field) -> list[str]:
    """The word each drop zone of an ``H5P.DragText`` expects, in order (``parseText`` and ``lex`` of the library)."""
    if not isinstance(text_field, str):
        return []
    text = re.sub(r"\r\n|\n|\r", "<br/>", text_field)
    answers = []
    for part in DRAG_TEXT_PART.split(text):
        if not (part.startswith("*") and part.endswith("*")):
            continue
        word = part[1:] if part.startswith("*") else part
        word = word[:-1] if word.endswith("*") else word
        # As the library: the tip and feedbacks are found in the marked part and cut out of the word.
        for pattern in (DRAG_TEXT_TIP, DRAG_TEXT_RIGHT, DRAG_TEXT_WRONG):
            found = pattern.findall(part)
            if found:
                word = word.replace(",".join(found), "", 1)
        answers.append(word.rstrip())
    return answers


def _text_responses(response, count, what):
    if not isinstance(response, str):
        raise ImpossibleResponse("the response is not text")
    given = response.split(RESPONSE_SEPARATOR)
    if given == [""] and count == 0:
        given = []
    if len(given) != count:
        raise ImpossibleResponse(f"the response has {len(given)} {what}, the activity {count}")
    return given


def rescore_drag_text(params: Mapping, response: str) -> Score:
    """The score ``H5P.DragText`` gives: one point per drop zone holding its own word."""
    answers = drag_text_answers(params.get("textField"))
    placed = _text_responses(response, len(answers), "drop zones")
    # Each word is one draggable: a response may place it once, and only words of the text exist.
    available = list(answers)
    for word in placed:
        if word == "":
            continue
        if word not in available:
            raise ImpossibleResponse("the response places a word the activity does not offer")
        available.remove(word)
    return Score(sum(1 for word, answer in zip(placed, answers, strict=True) if word == answer), len(answers))


def blanks_solutions(questions) -> list[list[str]]:
    """The accepted alternatives of each blank of an ``H5P.Blanks``, in order (``handleBlanks``, ``parseSolution``)."""
    blanks = []
    for question in questions if isinstance(questions, list) else []:
        if not isinstance(question, str):
            continue
        start = question.find("*")
        while start != -1:
            end = question.find("*", start + 1)
            if end == -1:
                break
            content = question[start + 1 : end]
            # "**" is no blank: the library goes on after it, as after a blank.
            if content:
                solution = content.split(":", 1)[0]
                blanks.append([html.unescape(alternative.strip()) for alternative in solution.split("/")])
            start = question.find("*", end + 1)
    return blanks


def spelling_distance(first: str, second: str) -> int:
    """``H5P.TextUtilities.computeLevenshteinDistance(first, second, true)``, transpositions counted as it does."""
    if first == second:
        return 0
    if not first or not second:
        return len(first) or len(second)
    distance = [[i] + [0] * len(second) for i in range(len(first) + 1)]
    distance[0] = list(range(len(second) + 1))
    for i in range(1, len(first) + 1):
        for j in range(1, len(second) + 1):
            cost = 0 if first[i - 1] == second[j - 1] else 1
            distance[i][j] = min(distance[i - 1][j] + 1, distance[i][j - 1] + 1, distance[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and first[i - 1] == second[j - 2] and first[i - 2] == second[j - 1]:
                distance[i][j] = min(distance[i][j], distance[i - 2][j - 2] + cost)
    return distance[-1][-1]


def _blank_is_right(typed, alternatives, behaviour):
    typed = typed.strip()
    if behaviour.get("caseSensitive") is not True:
        typed, alternatives = typed.lower(), [alternative.lower() for alternative in alternatives]
    for alternative in alternatives:
        if behaviour.get("acceptSpellingErrors") is True:
            errors = spelling_distance(typed, alternative)
            if (len(alternative) > 9 and errors <= 2) or (len(alternative) > 3 and errors <= 1):
                return True
        if typed == alternative:
            return True
    return False


def rescore_blanks(params: Mapping, response: str) -> Score:
    """The score ``H5P.Blanks`` gives: one point per blank filled with one of its alternatives."""
    blanks = blanks_solutions(params.get("questions"))
    behaviour = params.get("behaviour") if isinstance(params.get("behaviour"), Mapping) else {}
    typed = _text_responses(response, len(blanks), "blanks")
    raw = sum(
        1 for given, alternatives in zip(typed, blanks, strict=True) if _blank_is_right(given, alternatives, behaviour)
    )
    return Score(raw, len(blanks))


SINGLE_RESPONSE_SCORERS = {
    "H5P.MultiChoice": rescore_multichoice,
    "H5P.TrueFalse": rescore_truefalse,
    "H5P.DragText": rescore_drag_text,
    "H5P.Blanks": rescore_blanks,
    "IEA.Quiz": rescore_iea_quiz,
}


def is_rescored(content: Mapping, main_library: str) -> bool:
    """Whether the server re-computes the score of this package's top-level statements (see ``rescore_statement``).

    A QuestionSet is re-scored only when every one of its questions is of a type re-scored.
    """
    if main_library == "H5P.QuestionSet":
        questions = content.get("questions") if isinstance(content, Mapping) else None
        return bool(questions) and all(
            isinstance(q, Mapping) and library_name(q.get("library")) in SINGLE_RESPONSE_SCORERS for q in questions
        )
    return main_library in SINGLE_RESPONSE_SCORERS


def rescore_question_set(params: Mapping, sub_responses: Mapping[str, str]) -> Score | None:
    """The score ``H5P.QuestionSet`` gives: the sum of its questions' scores, out of the sum of their maximums.

    ``sub_responses`` maps each question's ``subContentId`` to the ``result.response`` of its latest
    ``answered`` statement in the attempt; an unanswered question scores what an empty response scores.
    With ``poolSize`` only the questions answered count (the pool was drawn in the browser), and there must
    be exactly ``poolSize`` of them. Returns None when a question is of a type we cannot re-score.
    """
    questions = [q for q in params.get("questions") or [] if isinstance(q, Mapping)]
    known_ids = {q.get("subContentId") for q in questions}
    if any(sub_id not in known_ids for sub_id in sub_responses):
        raise ImpossibleResponse("a response belongs to no question of this set")
    pool_size = _number(params.get("poolSize"), 0)
    if pool_size and 0 < pool_size < len(questions):
        if len(sub_responses) != pool_size:
            raise ImpossibleResponse("the responses do not cover the drawn pool of questions")
        questions = [q for q in questions if q.get("subContentId") in sub_responses]
    raw = maximum = 0
    for question in questions:
        scorer = SINGLE_RESPONSE_SCORERS.get(library_name(question.get("library")))
        if scorer is None or not isinstance(question.get("params"), Mapping):
            return None
        score = scorer(question["params"], sub_responses.get(question.get("subContentId"), ""))
        raw += score.raw
        maximum += score.max
    return Score(raw, maximum)


def library_name(library) -> str:
    """``"H5P.MultiChoice 1.14"`` → ``"H5P.MultiChoice"``."""
    return library.split(" ", 1)[0] if isinstance(library, str) else ""


def sub_content_id(object_id) -> str:
    """The ``subContentId`` an xAPI object id carries (``…?subContentId=<id>``), or ``""`` for the top level."""
    if not isinstance(object_id, str):
        return ""
    values = parse_qs(urlsplit(object_id).query).get("subContentId")
    return values[0] if values else ""


def find_sub_content(content, wanted_id):
    """The ``{"library", "params", "subContentId"}`` object with ``subContentId == wanted_id`` in ``content``."""
    pending = [content]
    while pending:
        node = pending.pop()
        if isinstance(node, Mapping):
            if node.get("subContentId") == wanted_id and "library" in node:
                return node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return None


def rescore_statement(
    content: Mapping, main_library: str, statement: Mapping, sub_responses: Mapping[str, str] | None = None
) -> Score | None:
    """Re-score one xAPI statement from a player showing this package.

    ``content`` is the package's ``content.json``, ``main_library`` its main library's machine name (as
    ``H5PPackage.main_library``). The statement's object id tells which part of the content answered: the
    top level, or a sub-content by ``?subContentId=`` (a question inside a QuestionSet, a question of our
    quiz). ``sub_responses`` is only needed for a QuestionSet's top-level statement (see
    ``rescore_question_set``).

    Returns the ``Score`` the package gives, or None when this content type cannot be re-scored. Raises
    ``ImpossibleResponse`` for a response the content could not have produced.
    """
    target_id = sub_content_id((statement.get("object") or {}).get("id"))
    response = (statement.get("result") or {}).get("response", "")
    if target_id:
        if main_library == "IEA.Quiz":
            question = next(
                (q for q in content.get("questions") or [] if isinstance(q, Mapping) and q.get("id") == target_id),
                None,
            )
            if question is None:
                raise ImpossibleResponse("the statement's object is not a question of this quiz")
            return rescore_iea_question(question, response)
        node = find_sub_content(content, target_id)
        if node is None:
            raise ImpossibleResponse("the statement's object is not part of this package's content")
        library, params = library_name(node.get("library")), node.get("params")
    else:
        library, params = main_library, content
    if not isinstance(params, Mapping):
        return None
    if library == "H5P.QuestionSet":
        return rescore_question_set(params, sub_responses or {})
    scorer = SINGLE_RESPONSE_SCORERS.get(library)
    return scorer(params, response) if scorer else None
