"""What an import of questions produces, whatever the format: questions checked one by one, saved all together.

An importer turns a file into ``ImportedQuestion`` items (a category path, an unsaved question, its unsaved options)
and a list of problems, each naming the question it belongs to. ``save_import`` saves everything in one transaction
only when there is no problem at all: a file is imported whole or not at all.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import Question, QuestionCategory
from .questions import question_problems

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TEXT = 20_000
MAX_NAME = 200
MAX_OPTION_TEXT = 500
MAX_QUESTIONS = 2_000
MULTILANG = re.compile(r'<span\s+lang="([\w-]+)"\s+class="multilang"\s*>(.*?)</span>', re.S | re.I)


@dataclass
class ImportedQuestion:
    label: str  # how the report names it: its number in the file and its name
    category_path: tuple[str, ...]
    question: Question
    options: list = field(default_factory=list)


@dataclass
class ImportReport:
    items: list[ImportedQuestion] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    categories: list[tuple[str, ...]] = field(default_factory=list)
    saved: list[Question] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def refuse(self, label, message):
        self.problems.append(f"{label}: {message}")


def plain_text(value, html=False):
    """Text without markup: Moodle questions are HTML, ours are plain text shown with line breaks."""
    value = value or ""
    if html:
        value = re.sub(r"<br\s*/?>|</p>\s*<p[^>]*>", "\n", value, flags=re.I)
        value = strip_tags(value)
        value = unescape(value)
    return unicodedata.normalize("NFC", value).strip()


def split_languages(value, html=False):
    """``(zh, en)`` from a text that may hold Moodle multilang spans; a text in one language serves both."""
    spans = MULTILANG.findall(value or "")
    if not spans:
        text = plain_text(value, html)
        return text, text
    by_language = {language.lower().replace("-", "_"): plain_text(text, True) for language, text in spans}
    zh = next((text for language, text in by_language.items() if language.startswith("zh")), "")
    en = by_language.get("en") or next(
        (text for language, text in by_language.items() if language.startswith("en")), ""
    )
    return zh or en, en or zh


def join_languages(zh, en):
    """One text for a format that holds one: multilang spans when the two versions differ (Moodle's filter)."""
    if zh == en or not zh or not en:
        return zh or en
    return f'<span lang="zh_tw" class="multilang">{zh}</span><span lang="en" class="multilang">{en}</span>'


def fraction_from_percent(value, label, report):
    try:
        fraction = Decimal(str(value).strip()) / 100
    except ArithmeticError:
        report.refuse(label, _("“%(value)s” is not a grade.") % {"value": str(value)[:40]})
        return None
    if not fraction.is_finite() or not -1 <= fraction <= 1:
        report.refuse(label, _("the grade %(value)s%% is outside −100%% to 100%%.") % {"value": str(value)[:40]})
        return None
    return fraction.quantize(Decimal("0.00001"))


def check_lengths(item, report):
    question = item.question
    if len(question.name) > MAX_NAME:
        report.refuse(item.label, _("the name is longer than %(max)s characters.") % {"max": MAX_NAME})
    for name in ("text_zh", "text_en", "general_feedback_zh", "general_feedback_en", "rubric_zh", "rubric_en"):
        if len(getattr(question, name) or "") > MAX_TEXT:
            report.refuse(item.label, _("a text is longer than %(max)s characters.") % {"max": MAX_TEXT})
            return
    for option in item.options:
        for name in ("text_zh", "text_en", "match_zh", "match_en", "feedback_zh", "feedback_en"):
            if len(getattr(option, name) or "") > MAX_OPTION_TEXT:
                report.refuse(item.label, _("an answer is longer than %(max)s characters.") % {"max": MAX_OPTION_TEXT})
                return


def check_items(report):
    """Every question is checked as the bank would check it; each problem names its question."""
    if len(report.items) > MAX_QUESTIONS:
        report.problems.append(_("The file holds more than %(max)s questions.") % {"max": MAX_QUESTIONS})
        return
    for item in report.items:
        check_lengths(item, report)
        for message in question_problems(item.question, item.options).values():
            report.refuse(item.label, str(message))


def ensure_category_path(path, under=None):
    parent = under
    for name in path:
        parent, _created = QuestionCategory.objects.get_or_create(
            parent=parent, name_en=name[:160], defaults={"name_zh": name[:120]}
        )
    return parent


def save_import(report, under=None, author=None):
    """Save the report's categories and questions, all or nothing; nothing at all if it has a problem."""
    if not report.ok:
        return report
    with transaction.atomic():
        for path in report.categories:
            ensure_category_path(path, under)
        for item in report.items:
            question = item.question
            category = ensure_category_path(item.category_path, under) if item.category_path else under
            question.category = category or ensure_category_path((_("Imported"),))
            question.author = author
            question.save()
            for order, option in enumerate(item.options):
                option.question = question
                option.sort_order = order
                option.save()
            question.save_revision(user=author, log_action=True)
            report.saved.append(question)
    return report
