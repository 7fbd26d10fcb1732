"""Feedback questionnaires (研習回饋問卷): reusable questionnaires authored in the admin, given to a workshop, a
community session or a course, and answered anonymously.

Anonymity is by construction: a ``Submission`` records that a person answered (for the answer rate and for hours
that wait on the answer) and an ``AnswerSheet`` holds what was answered; nothing links the two.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from courses.models import CoursePage, TrainingSession

LIKERT_LABELS = (
    _("Strongly disagree"),
    _("Disagree"),
    _("Neutral"),
    _("Agree"),
    _("Strongly agree"),
)


def _in_language(chinese: str, english: str) -> str:
    return english if english and (get_language() or "").startswith("en") else chinese


class Questionnaire(ClusterableModel):
    """A reusable set of questions (a template): the standard in-service questionnaire, a course evaluation …"""

    title_zh = models.CharField(_("title in Chinese"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    introduction_zh = models.TextField(_("introduction in Chinese"), blank=True)
    introduction_en = models.TextField(_("introduction in English"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("title_zh"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("introduction_zh"), FieldPanel("introduction_en")]),
        InlinePanel("questions", label=_("Questions"), min_num=1),
    ]

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return _in_language(self.title_zh, self.title_en)

    @property
    def introduction(self):
        return _in_language(self.introduction_zh, self.introduction_en)


class Question(Orderable):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("Scale of 1 to 5")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Open text")

    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    text_zh = models.CharField(_("question in Chinese"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    options = models.TextField(
        _("options"),
        blank=True,
        help_text=_(
            "One option a line, Chinese and English separated by “|” (選項 | Option). For a scale: five labels from 1 "
            "to 5, or empty for Strongly disagree … Strongly agree."
        ),
    )
    required = models.BooleanField(_("required"), default=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("text_zh"), FieldPanel("text_en")]),
        FieldPanel("options"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def text(self):
        return _in_language(self.text_zh, self.text_en)

    def option_labels(self) -> list[str]:
        """The options in the reader's language; a scale's five labels."""
        lines = [line.strip() for line in self.options.splitlines() if line.strip()]
        labels = []
        for line in lines:
            chinese, _bar, english = line.partition("|")
            labels.append(_in_language(chinese.strip(), english.strip()))
        if self.kind == self.Kind.LIKERT and len(labels) != 5:
            return [str(label) for label in LIKERT_LABELS]
        return labels


class Survey(models.Model):
    """A questionnaire given to one session or one course."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="surveys"
    )
    session = models.OneToOneField(
        TrainingSession,
        verbose_name=_("workshop or community session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_survey",
    )
    course = models.OneToOneField(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_survey",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [FieldPanel("questionnaire"), FieldPanel("session"), FieldPanel("course")]

    class Meta:
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session__isnull=True) ^ models.Q(course__isnull=True),
                name="survey_for_a_session_or_a_course",
            )
        ]

    def __str__(self):
        return f"{self.questionnaire} · {self.subject}"

    @property
    def subject(self) -> str:
        return self.session.title if self.session_id else self.course.title

    def clean(self):
        if bool(self.session_id) == bool(self.course_id):
            raise ValidationError(_("Choose either a session or a course."))


class Submission(models.Model):
    """That a person answered a survey: never what they answered."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("respondent"), on_delete=models.CASCADE, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="one_submission_per_person")]

    def __str__(self):
        return f"{self.user} · {self.survey}"


class AnswerSheet(models.Model):
    """What one (unnamed) respondent answered."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="sheets")

    class Meta:
        verbose_name = _("answer sheet")
        verbose_name_plural = _("answer sheets")

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    sheet = models.ForeignKey(
        AnswerSheet, verbose_name=_("answer sheet"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    # A scale's value (1–5) or a single choice's option number (from 0); options chosen; or open text.
    number = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    choices = models.JSONField(_("options chosen"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.question} · {self.number if self.number is not None else self.choices or self.text}"
