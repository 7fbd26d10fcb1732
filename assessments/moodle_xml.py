"""Moodle XML: import (all or nothing, with a report per question) and export of the question bank.

The file is parsed by defusedxml with document type declarations forbidden, so neither external entities nor
entity expansion can run; a question's texts and answers are limited in length and checked as the bank checks its
own. Bilingual texts travel as Moodle's multilang spans. Supported: category, multichoice, truefalse, shortanswer,
numerical, matching, essay, multianswer (cloze) and the ordering plug-in's ordering.
"""

import xml.etree.ElementTree as ET
from decimal import Decimal

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from .interchange import (
    MAX_FILE_BYTES,
    ImportedQuestion,
    ImportReport,
    check_items,
    fraction_from_percent,
    join_languages,
    split_languages,
)
from .models import Question, QuestionOption, QuestionType
from .scoring import parse_number

CATEGORY_ROOTS = {"$course$", "$system$", "$module$", "$cat1$", "$cat2$", "top"}
TRUE_WORDS = {"true", "1", "yes"}


def _text(element, path="text"):
    found = element.find(path) if element is not None else None
    return (found.text or "") if found is not None else ""


def _is_html(element):
    return element is not None and element.get("format", "html") in ("html", "moodle_auto_format")


def _languages(element):
    if element is None:
        return "", ""
    return split_languages(_text(element), html=_is_html(element))


def _flag(question, tag, default=False):
    value = _text(question, tag).strip().lower()
    return default if value == "" else value in TRUE_WORDS


def category_path(text):
    parts = [part.strip() for part in (text or "").split("/") if part.strip()]
    while parts and parts[0] in CATEGORY_ROOTS:
        parts.pop(0)
    return tuple(part[:160] for part in parts)


def _answers(question, label, report, numeric=False):
    options = []
    for answer in question.findall("answer"):
        fraction = fraction_from_percent(answer.get("fraction", "0"), label, report)
        if fraction is None:
            continue
        zh, en = split_languages(_text(answer), html=answer.get("format") == "html")
        feedback_zh, feedback_en = _languages(answer.find("feedback"))
        option = QuestionOption(
            text_zh=zh, text_en=en, fraction=fraction, feedback_zh=feedback_zh, feedback_en=feedback_en
        )
        if numeric:
            tolerance = parse_number(_text(answer, "tolerance") or "0")
            if tolerance is None:
                report.refuse(label, _("a tolerance is not a number."))
                continue
            option.tolerance = abs(tolerance)
            if en.strip() == "*":
                continue  # Moodle's "any other answer" earns nothing here either
        options.append(option)
    return options


def _read_question(element, number, path, report):
    kind = element.get("type", "")
    name = _text(element.find("name")).strip() or _("question %(number)s") % {"number": number}
    label = _("Question %(number)s “%(name)s”") % {"number": number, "name": name[:80]}
    text_zh, text_en = _languages(element.find("questiontext"))
    feedback_zh, feedback_en = _languages(element.find("generalfeedback"))
    mark = _text(element, "defaultgrade").strip() or "1"
    question = Question(
        name=name,
        text_zh=text_zh,
        text_en=text_en,
        general_feedback_zh=feedback_zh,
        general_feedback_en=feedback_en,
    )
    grade = parse_number(mark)
    if grade is None or not Decimal("0.01") <= grade <= Decimal(1000):
        report.refuse(label, _("the default mark “%(mark)s” is not between 0.01 and 1000.") % {"mark": mark[:20]})
        return None
    question.default_mark = grade.quantize(Decimal("0.01"))
    options = []
    if kind == "multichoice":
        question.question_type = (
            QuestionType.SINGLE_CHOICE if _flag(element, "single", True) else QuestionType.MULTIPLE_RESPONSE
        )
        question.shuffle_options = _flag(element, "shuffleanswers", True)
        options = _answers(element, label, report)
    elif kind == "truefalse":
        question.question_type = QuestionType.TRUE_FALSE
        for answer in element.findall("answer"):
            fraction = fraction_from_percent(answer.get("fraction", "0"), label, report)
            if fraction == 1:
                question.true_is_correct = _text(answer).strip().lower() == "true"
    elif kind == "shortanswer":
        question.question_type = QuestionType.SHORT_ANSWER
        question.case_sensitive = _flag(element, "usecase")
        options = _answers(element, label, report)
    elif kind == "numerical":
        question.question_type = QuestionType.NUMERIC
        options = _answers(element, label, report, numeric=True)
    elif kind == "matching":
        question.question_type = QuestionType.MATCHING
        question.shuffle_options = _flag(element, "shuffleanswers", True)
        for sub in element.findall("subquestion"):
            zh, en = split_languages(_text(sub), html=sub.get("format") == "html")
            match_zh, match_en = split_languages(_text(sub.find("answer")))
            options.append(QuestionOption(text_zh=zh, text_en=en, match_zh=match_zh, match_en=match_en))
    elif kind == "ordering":
        question.question_type = QuestionType.ORDERING
        options = [QuestionOption(text_zh=o.text_zh, text_en=o.text_en) for o in _answers(element, label, report)]
    elif kind == "essay":
        question.question_type = QuestionType.ESSAY
        question.rubric_zh, question.rubric_en = _languages(element.find("graderinfo"))
    elif kind in ("multianswer", "cloze"):
        question.question_type = QuestionType.CLOZE
    else:
        report.refuse(label, _("the question type “%(type)s” cannot be imported.") % {"type": kind[:40]})
        return None
    if kind in ("multichoice", "shortanswer", "numerical", "matching", "ordering") and not options:
        report.refuse(label, _("it has no answer."))
        return None
    if kind == "truefalse" and question.true_is_correct is None:
        report.refuse(label, _("no answer is marked right."))
        return None
    return ImportedQuestion(label=label, category_path=path, question=question, options=options)


def read_moodle_xml(data: bytes) -> ImportReport:
    """The questions of a Moodle XML file, checked; nothing is saved (see ``interchange.save_import``)."""
    report = ImportReport()
    if len(data) > MAX_FILE_BYTES:
        report.problems.append(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 1024 // 1024})
        return report
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        report.problems.append(_("The file declares a DTD or entities, which are refused: nothing was imported."))
        return report
    except ET.ParseError as error:
        report.problems.append(_("The file is not well-formed XML (%(error)s).") % {"error": str(error)[:200]})
        return report
    if root.tag != "quiz":
        report.problems.append(_("This is not a Moodle XML question file: its root element is not <quiz>."))
        return report
    path = ()
    for number, element in enumerate(root.findall("question"), 1):
        if element.get("type") == "category":
            path = category_path(_text(element.find("category")))
            if path and path not in report.categories:
                report.categories.append(path)
            continue
        item = _read_question(element, number, path, report)
        if item is not None:
            report.items.append(item)
    check_items(report)
    return report


# Export


def _sub(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, tag, {key: str(value) for key, value in attributes.items()})
    if text is not None:
        ET.SubElement(element, "text").text = text
    return element


def _percent(fraction):
    return format((Decimal(fraction) * 100).normalize(), "f")


def _export_question(root, question):
    kind = question.question_type
    moodle_type = {
        QuestionType.SINGLE_CHOICE: "multichoice",
        QuestionType.MULTIPLE_RESPONSE: "multichoice",
        QuestionType.TRUE_FALSE: "truefalse",
        QuestionType.SHORT_ANSWER: "shortanswer",
        QuestionType.NUMERIC: "numerical",
        QuestionType.MATCHING: "matching",
        QuestionType.ORDERING: "ordering",
        QuestionType.CLOZE: "multianswer",
        QuestionType.ESSAY: "essay",
    }[kind]
    element = ET.SubElement(root, "question", {"type": moodle_type})
    _sub(element, "name", question.name)
    _sub(element, "questiontext", join_languages(question.text_zh, question.text_en), format="html")
    _sub(
        element,
        "generalfeedback",
        join_languages(question.general_feedback_zh, question.general_feedback_en),
        format="html",
    )
    ET.SubElement(element, "defaultgrade").text = format(question.default_mark.normalize(), "f")
    options = list(question.options.all())
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        ET.SubElement(element, "single").text = "true" if kind == QuestionType.SINGLE_CHOICE else "false"
        ET.SubElement(element, "shuffleanswers").text = "1" if question.shuffle_options else "0"
    if kind == QuestionType.SHORT_ANSWER:
        ET.SubElement(element, "usecase").text = "1" if question.case_sensitive else "0"
    if kind == QuestionType.TRUE_FALSE:
        for word in ("true", "false"):
            right = (word == "true") == bool(question.true_is_correct)
            _sub(element, "answer", word, fraction=100 if right else 0, format="moodle_auto_format")
    elif kind == QuestionType.MATCHING:
        ET.SubElement(element, "shuffleanswers").text = "1" if question.shuffle_options else "0"
        for option in options:
            sub = _sub(element, "subquestion", join_languages(option.text_zh, option.text_en), format="html")
            _sub(sub, "answer", join_languages(option.match_zh, option.match_en))
    elif kind == QuestionType.ORDERING:
        for option in options:
            _sub(element, "answer", join_languages(option.text_zh, option.text_en), fraction=100, format="html")
    elif kind == QuestionType.ESSAY:
        _sub(element, "graderinfo", join_languages(question.rubric_zh, question.rubric_en), format="html")
    elif kind != QuestionType.CLOZE:
        for option in options:
            answer = _sub(
                element,
                "answer",
                join_languages(option.text_zh, option.text_en),
                fraction=_percent(option.fraction),
                format="moodle_auto_format" if kind == QuestionType.NUMERIC else "html",
            )
            _sub(answer, "feedback", join_languages(option.feedback_zh, option.feedback_en), format="html")
            if kind == QuestionType.NUMERIC:
                ET.SubElement(answer, "tolerance").text = format(option.tolerance.normalize(), "f")


def write_moodle_xml(questions) -> bytes:
    """Moodle XML for ``questions``, each preceded by its category's path when the category changes."""
    root = ET.Element("quiz")
    current = None
    for question in sorted(questions, key=lambda q: (q.category_id, q.pk)):
        if question.category_id != current:
            current = question.category_id
            path = "/".join(category.name_en for category in question.category.ancestry())
            _sub(ET.SubElement(root, "question", {"type": "category"}), "category", f"$course$/{path}")
        _export_question(root, question)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
