"""GIFT, Moodle's plain-text question format: import, all or nothing, with a report per question.

Supported: ``$CATEGORY: a/b``, ``::name::`` titles, true/false ``{T}``/``{FALSE}``, choices ``{=right ~wrong
~%50%half}`` (several weighted right answers make a multiple-response question), short answers ``{=a =b}``,
numbers ``{#3.14:0.01}`` and ``{#=3:0 =%50%3:1}``, matching ``{=a -> 1 =b -> 2}``, essays ``{}``, ``#feedback``,
``####general feedback``, ``//`` comments and the ``\\`` escapes. A question with text after its answers is a
"missing word" question: the answers' place is shown as a blank.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .interchange import MAX_FILE_BYTES, ImportedQuestion, ImportReport, check_items, split_languages
from .interchange import fraction_from_percent as percent_fraction
from .models import Question, QuestionOption, QuestionType
from .scoring import parse_number

ESCAPED = {"\\~": "\x01", "\\=": "\x02", "\\#": "\x03", "\\{": "\x04", "\\}": "\x05", "\\:": "\x06", "\\\\": "\x07"}
RESTORE = {"\x01": "~", "\x02": "=", "\x03": "#", "\x04": "{", "\x05": "}", "\x06": ":", "\x07": "\\"}
ANSWER = re.compile(r"([=~])(%-?\d+(?:\.\d+)?%)?([^=~]*)")


def _protect(text):
    for escaped, mark in ESCAPED.items():
        text = text.replace(escaped, mark)
    return text


def _restore(text):
    for mark, char in RESTORE.items():
        text = text.replace(mark, char)
    return text.strip()


def _blocks(text):
    """Question blocks separated by blank lines, without comment lines."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return [block.strip() for block in "\n".join(lines).split("\n\n") if block.strip()] if lines else []


def _answer_and_feedback(raw):
    text, _sep, feedback = raw.partition("#")
    return _restore(text), _restore(feedback)


def _option(text, fraction, feedback=""):
    zh, en = split_languages(text)
    feedback_zh, feedback_en = split_languages(feedback)
    return QuestionOption(text_zh=zh, text_en=en, fraction=fraction, feedback_zh=feedback_zh, feedback_en=feedback_en)


def _read_block(block, number, path, report):
    name = ""
    if block.startswith("::"):
        name, _sep, block = block[2:].partition("::")
    if "{" not in block or "}" not in block:
        report.refuse(_("Question %(number)s") % {"number": number}, _("it has no answer in braces."))
        return None
    before, _sep, rest = block.partition("{")
    answers, _sep, after = rest.rpartition("}")
    text = before.strip() + (" _____ " + after.strip() if after.strip() else "")
    if text.startswith("[") and "]" in text:
        text = text.split("]", 1)[1]
    text = _restore(text)
    name = _restore(name) or text[:60]
    label = _("Question %(number)s “%(name)s”") % {"number": number, "name": name[:80]}
    answers, _sep, general = answers.partition("####")
    zh, en = split_languages(text)
    feedback_zh, feedback_en = split_languages(_restore(general))
    question = Question(
        name=name, text_zh=zh, text_en=en, general_feedback_zh=feedback_zh, general_feedback_en=feedback_en
    )
    body = answers.strip()
    options = []
    if body == "":
        question.question_type = QuestionType.ESSAY
    elif body.upper().split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        question.question_type = QuestionType.TRUE_FALSE
        question.true_is_correct = body.upper().startswith("T")
    elif body.startswith("#"):
        question.question_type = QuestionType.NUMERIC
        parts = [body[1:]] if "=" not in body else [part for part in body[1:].split("=") if part.strip()]
        for part in parts:
            weight, part = _weight(part, label, report)
            value, feedback = _answer_and_feedback(part)
            number_text, _sep, tolerance_text = value.partition(":")
            if ".." in number_text:
                low, high = (parse_number(x) for x in number_text.split("..", 1))
                value_number = (low + high) / 2 if low is not None and high is not None else None
                tolerance = (high - low) / 2 if value_number is not None else None
            else:
                value_number = parse_number(number_text)
                tolerance = parse_number(tolerance_text or "0")
            if value_number is None or tolerance is None:
                report.refuse(label, _("“%(value)s” is not a number.") % {"value": value[:40]})
                return None
            option = _option(format(value_number, "f"), weight if weight is not None else Decimal(1), feedback)
            option.tolerance = abs(tolerance)
            options.append(option)
    elif "->" in body:
        question.question_type = QuestionType.MATCHING
        for pair in re.findall(r"=([^=]*)", body):
            left, _sep, right = pair.partition("->")
            option = _option(_restore(left), Decimal(0))
            option.match_zh, option.match_en = split_languages(_restore(right))
            options.append(option)
    else:
        for sign, weight_text, raw in ANSWER.findall(body):
            if not raw.strip() and not weight_text:
                continue
            text_value, feedback = _answer_and_feedback(raw)
            if weight_text:
                fraction = percent_fraction(weight_text.strip("%"), label, report)
                if fraction is None:
                    return None
            else:
                fraction = Decimal(1) if sign == "=" else Decimal(0)
            options.append(_option(text_value, fraction, feedback))
        if all(sign == "=" for sign, _w, raw in ANSWER.findall(body) if raw.strip()):
            question.question_type = QuestionType.SHORT_ANSWER
        elif sum(1 for option in options if option.fraction > 0) > 1 and not any(o.fraction == 1 for o in options):
            question.question_type = QuestionType.MULTIPLE_RESPONSE
        else:
            question.question_type = QuestionType.SINGLE_CHOICE
    if question.question_type not in (QuestionType.ESSAY, QuestionType.TRUE_FALSE) and not options:
        report.refuse(label, _("it has no answer."))
        return None
    return ImportedQuestion(label=label, category_path=path, question=question, options=options)


def _weight(part, label, report):
    match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", part)
    if not match:
        return None, part
    return percent_fraction(match.group(1), label, report), part[match.end() :]


def read_gift(data: bytes) -> ImportReport:
    report = ImportReport()
    if len(data) > MAX_FILE_BYTES:
        report.problems.append(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 1024 // 1024})
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.problems.append(_("The file is not UTF-8 text."))
        return report
    path, number = (), 0
    for block in _blocks(_protect(text.replace("\r\n", "\n"))):
        if block.startswith("$CATEGORY:"):
            first, _sep, block = block.partition("\n")
            path = tuple(
                p.strip()[:160] for p in first[len("$CATEGORY:") :].split("/") if p.strip() and p.strip() != "$course$"
            )
            if path and path not in report.categories:
                report.categories.append(path)
            if not block.strip():
                continue
        number += 1
        item = _read_block(block.strip(), number, path, report)
        if item is not None:
            report.items.append(item)
    check_items(report)
    return report
