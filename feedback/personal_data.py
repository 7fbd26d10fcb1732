"""The feedback app's part of a person's data: which questionnaires they answered.

What anyone answered is kept on an answer sheet with no link to the person (``models.AnswerSheet``), so there is
nothing of theirs in it to hand over or to erase; the record that they answered goes with the account.
"""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Part
from privacy.tables import delete_rows, table

from .models import Submission


def _survey(submission):
    return {"survey": str(submission.survey)}


def export(user):
    yield table(
        "questionnaires_answered", Submission.objects.filter(user=user).select_related("survey"), user, extra=_survey
    )


def erase(user):
    return delete_rows(Submission.objects.filter(user=user))


PART = Part(
    app="feedback",
    export=export,
    erase=erase,
    kept=_(
        "Your questionnaire answers stay in the anonymous results: they were never linked to you, so they cannot "
        "be found or erased as yours. The record that you answered is deleted."
    ),
)
