"""The assessments app's part of a person's data: quiz attempts and every answer in them, erased with the account."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Part
from privacy.tables import delete_rows, table

from .models import Attempt, AttemptSlot


def _quiz(attempt):
    return {"quiz_title_zh": attempt.quiz.title_zh, "quiz_title_en": attempt.quiz.title_en}


def export(user):
    yield table("quiz_attempts", Attempt.objects.filter(user=user).select_related("quiz"), user, extra=_quiz)
    yield table("quiz_responses", AttemptSlot.objects.filter(attempt__user=user), user)


def erase(user):
    return delete_rows(Attempt.objects.filter(user=user))


PART = Part(
    app="assessments",
    export=export,
    erase=erase,
    kept=_("Nothing of your quizzes: attempts and answers are deleted."),
)
