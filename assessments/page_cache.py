"""The attempt page kept whole for its learner (``courses.learner_pages``), until anything it shows changes.

Its key holds, besides what every learner's page holds (the learner, their token, the site's, the chrome's
generation, host, path, language and date), a token of the attempt's answers, replaced by every save that changes
one, and a token of the question bank, replaced when any quiz, question or option is saved or deleted. A timed
attempt is never kept: its page counts down from the seconds left when it is rendered. An attempt past its deadline
or finished never reaches the page (the view sends the learner to the review first).
"""

from django.db.models.signals import post_delete, post_save

from core.generations import replace_token
from courses.learner_cache import TOKEN_SECONDS
from courses.learner_pages import learner_page_key

from .models import Question, QuestionOption, Quiz, QuizDraw

BANK_TOKEN = "assessments:question-bank-token"


def answers_token_key(attempt_id):
    return f"assessments:answers-token:{attempt_id}"


def answers_changed(attempt_id):
    """Retire the attempt's kept page, now and when the current transaction commits."""
    replace_token(answers_token_key(attempt_id), TOKEN_SECONDS)


def attempt_page_key(request, attempt):
    """The key of the learner's kept attempt page, or None when it must be rendered afresh."""
    if attempt.deadline is not None:
        return None
    return learner_page_key(request, f"quiz-attempt:{attempt.pk}", [answers_token_key(attempt.pk), BANK_TOKEN])


def _bank_changed(sender, **kwargs):
    replace_token(BANK_TOKEN, TOKEN_SECONDS)


def connect():
    """Called once, from the app's ``ready``."""
    for model in (Quiz, QuizDraw, Question, QuestionOption):
        for signal in (post_save, post_delete):
            signal.connect(_bank_changed, sender=model, dispatch_uid=f"assessments-bank.{model.__name__}.{signal}")
