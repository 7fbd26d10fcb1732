"""What a module page shows of a quiz to one learner: their attempts, grade, and whether they may start one."""

from django.utils import timezone

from courses.models.pages import canonical

from .attempts import close_if_overdue, finished_attempts, has_passed, open_attempt, quiz_grade, refusal


def quiz_overview(quiz, module, user):
    module = canonical(module)
    now = timezone.now()
    current = open_attempt(quiz, module, user)
    if current is not None and close_if_overdue(current, now):
        current = None
    grade = quiz_grade(quiz, module, user)
    return {
        "show_quiz": True,
        "quiz_module": module,
        "current_attempt": current,
        "attempts": list(finished_attempts(quiz, module, user).order_by("number")),
        "grade": grade,
        "passed": has_passed(quiz, grade),
        "refusal": "" if current else refusal(quiz, module, user, now),
    }
