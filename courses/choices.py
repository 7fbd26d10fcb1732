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


class CompletionRule(models.TextChoices):
    VIEWED = "viewed", _("Viewed")
    H5P_COMPLETED = "h5p_completed", _("H5P completed")
    H5P_PASSED = "h5p_passed", _("H5P score at or above the pass mark")
    QUIZ_PASSED = "quiz_passed", _("Quiz passed (scored by the server)")
