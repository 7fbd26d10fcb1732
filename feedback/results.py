"""Results for organisers and trainers: aggregates only, and only once enough people answered that no answer can be
traced to a person; open answers without names, in an order that says nothing about who wrote them."""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from accounts.access import has_staff_access
from courses.attendance import can_manage_session

from .answering import respondents
from .models import Answer, AnswerSheet, Question, Submission, Survey

DEFAULT_MIN_RESPONDENTS = 5


def min_respondents() -> int:
    return getattr(settings, "FEEDBACK_MIN_RESPONDENTS", DEFAULT_MIN_RESPONDENTS)


def can_see_results(survey: Survey, user) -> bool:
    """Who manages the session (its organisers, the trainers of a workshop's course, a community session's
    facilitators), the course's trainers, and staff."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or has_staff_access(user):
        return True
    if survey.session_id:
        session = survey.session
        if can_manage_session(user, session):
            return True
        community_session = getattr(session, "community_session", None)
        return community_session is not None and community_session.community.is_facilitator(user)
    return survey.course.trainers.filter(pk=user.pk).exists()


@dataclass
class Rate:
    answered: int
    asked: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0


def answer_rate(survey: Survey) -> Rate:
    return Rate(Submission.objects.filter(survey=survey).count(), respondents(survey).distinct().count())


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: Decimal | None = None
    texts: list[str] = field(default_factory=list)


def summarise(survey: Survey) -> list[QuestionResult] | None:
    """Each question's aggregate, or None while fewer than the minimum have answered."""
    if AnswerSheet.objects.filter(survey=survey).count() < min_respondents():
        return None
    answers = Answer.objects.filter(sheet__survey=survey).values_list("question_id", "number", "choices", "text")
    by_question: dict[int, list] = {}
    for question_id, number, choices, text in answers:
        by_question.setdefault(question_id, []).append((number, choices, text))
    summary = []
    for question in survey.questionnaire.questions.all():
        rows = by_question.get(question.pk, [])
        result = QuestionResult(question, answered=len(rows))
        labels = question.option_labels()
        if question.kind == Question.Kind.TEXT:
            result.texts = sorted(text for _n, _c, text in rows if text)
        else:
            if question.kind == Question.Kind.MULTIPLE:
                counts = Counter(choice for _n, choices, _t in rows for choice in choices)
            elif question.kind == Question.Kind.LIKERT:
                counts = Counter(number - 1 for number, _c, _t in rows)
                values = [number for number, _c, _t in rows]
                if values:
                    result.mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            else:
                counts = Counter(number for number, _c, _t in rows)
            result.bars = [
                Bar(label, counts.get(index, 0), round(100 * counts.get(index, 0) / len(rows)) if rows else 0)
                for index, label in enumerate(labels)
            ]
        summary.append(result)
    return summary


def export_rows(survey: Survey) -> list[list]:
    """One header row, then one row per answer sheet (no names), the sheets in a random order."""
    questions = list(survey.questionnaire.questions.all())
    header = [f"Q{number}. {question.text}" for number, question in enumerate(questions, start=1)]
    sheets: dict[int, dict[int, str]] = {}
    for sheet_id, question_id, number, choices, text in Answer.objects.filter(sheet__survey=survey).values_list(
        "sheet_id", "question_id", "number", "choices", "text"
    ):
        sheets.setdefault(sheet_id, {})[question_id] = (number, choices, text)
    order = list(sheets)
    # Sheets are numbered as they were saved, as submissions are: a random order keeps the two from being matched.
    secrets.SystemRandom().shuffle(order)
    rows = [header]
    for sheet_id in order:
        row = []
        for question in questions:
            number, choices, text = sheets[sheet_id].get(question.pk, (None, [], ""))
            labels = question.option_labels()
            if question.kind == Question.Kind.TEXT:
                row.append(text)
            elif question.kind == Question.Kind.MULTIPLE:
                row.append("; ".join(labels[c] for c in choices if c < len(labels)))
            elif question.kind == Question.Kind.LIKERT:
                row.append(number if number is not None else "")
            else:
                row.append(labels[number] if number is not None and number < len(labels) else "")
        rows.append(row)
    return rows
