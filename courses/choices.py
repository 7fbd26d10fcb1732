from django.db import models
from django.utils.translation import gettext_lazy as _


class CompetencyArea(models.TextChoices):
    """The competency areas of the certification course, from the white paper."""

    CONCEPTS = "concepts", _("Concepts of international education")
    CURRICULUM = "curriculum", _("Curriculum integration")
    EXCHANGE = "exchange", _("International exchange")
    SCHOOL = "school", _("School internationalisation")
    GROWTH = "growth", _("Teacher professional growth")


class CourseLevel(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    ADVANCED = "advanced", _("Advanced")
    EXPERT = "expert", _("Expert")


class Assurance(models.IntegerChoices):
    """What a completion proves, weakest first: levels compare as numbers."""

    VIEWED = 1, _("Viewed")
    # The package says it is done; the browser could have said so on its own.
    REPORTED = 2, _("Reported by the activity")
    # A score the server recomputed from the package's own answers.
    CHECKED = 3, _("Score checked by the server")
    # Scored by the server without the answers ever reaching the browser (native assessments).
    ASSESSED = 4, _("Assessed by the server")


class CompletionRule(models.TextChoices):
    VIEWED = "viewed", _("Viewed")
    H5P_COMPLETED = "h5p_completed", _("H5P completed")
    H5P_PASSED = "h5p_passed", _("H5P score at or above the pass mark")
    QUIZ_PASSED = "quiz_passed", _("Quiz passed (scored by the server)")
    SCORM_COMPLETED = "scorm_completed", _("SCORM completed (reported by the package)")
    SCORM_PASSED = "scorm_passed", _("SCORM passed (reported by the package)")
    SCORM_SCORE = "scorm_score", _("SCORM score at or above the pass mark (reported by the package)")

    @property
    def is_scorm(self):
        return self in (CompletionRule.SCORM_COMPLETED, CompletionRule.SCORM_PASSED, CompletionRule.SCORM_SCORE)

    @property
    def assurance(self) -> Assurance:
        """The level a completion under this rule proves at least."""
        return {
            CompletionRule.VIEWED: Assurance.VIEWED,
            CompletionRule.H5P_COMPLETED: Assurance.REPORTED,
            CompletionRule.H5P_PASSED: Assurance.CHECKED,
            CompletionRule.QUIZ_PASSED: Assurance.ASSESSED,
            # A SCORM package's run-time is the browser's: whatever it reports, the server cannot check.
            CompletionRule.SCORM_COMPLETED: Assurance.REPORTED,
            CompletionRule.SCORM_PASSED: Assurance.REPORTED,
            CompletionRule.SCORM_SCORE: Assurance.REPORTED,
        }[self]
