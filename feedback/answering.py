"""Who is asked, and answering: after attending a session or completing a course, once, anonymously."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courses.models import Attendance, Enrolment
from courses.signals import announce_progress

from .models import Answer, AnswerSheet, Question, Submission, Survey


class AnswerRefused(Exception):
    """``str(error)`` is a sentence for the person."""


def respondents(survey: Survey):
    """The ids of everyone the survey asks: the session's attendees, or the course's completers."""
    if survey.session_id:
        return Attendance.objects.filter(session_id=survey.session_id).values_list("user_id", flat=True)
    return Enrolment.objects.filter(course_id=survey.course_id, completed_at__isnull=False).values_list(
        "user_id", flat=True
    )


def is_asked(survey: Survey, user) -> bool:
    return user.is_authenticated and respondents(survey).filter(user_id=user.pk).exists()


def has_answered(survey: Survey, user) -> bool:
    return Submission.objects.filter(survey=survey, user=user).exists()


def submit(survey: Survey, user, answers: dict) -> None:
    """Record ``answers`` (``{question id: value}`` as the form cleans them) without the person's name, and that
    the person answered; answering twice is refused and changes nothing."""
    if not is_asked(survey, user):
        raise AnswerRefused(_("This questionnaire is for the people who attended or completed it."))
    try:
        with transaction.atomic():
            Submission.objects.create(survey=survey, user=user)
            sheet = AnswerSheet.objects.create(survey=survey)
            questions = {q.pk: q for q in survey.questionnaire.questions.all()}
            rows = []
            for question_id, value in answers.items():
                question = questions[question_id]
                if value in (None, "", []):
                    continue
                if question.kind == Question.Kind.TEXT:
                    rows.append(Answer(sheet=sheet, question=question, text=value))
                elif question.kind == Question.Kind.MULTIPLE:
                    rows.append(Answer(sheet=sheet, question=question, choices=sorted(int(v) for v in value)))
                else:
                    rows.append(Answer(sheet=sheet, question=question, number=int(value)))
            Answer.objects.bulk_create(rows)
            # Workshop hours may have waited on this answer.
            announce_progress(user)
    except IntegrityError as error:
        raise AnswerRefused(_("You have already answered this questionnaire. Thank you!")) from error
