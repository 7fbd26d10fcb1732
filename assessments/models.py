"""The question bank, quizzes and attempts.

A question carries its text in both site languages (``*_zh`` and ``*_en``, as the certification programmes do),
so one question, one history and one set of statistics serve learners of either language.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from competencies.panels import indicator_panel, indicators_field


def in_reader_language(obj, field):
    """``obj.<field>_zh`` for a Chinese reader and ``obj.<field>_en`` otherwise, falling back to the other one."""
    chinese = (get_language() or "").lower().startswith("zh")
    first, second = ("zh", "en") if chinese else ("en", "zh")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class QuestionCategory(models.Model):
    """A folder of the question bank: shared, or belonging to a course or to a certification programme."""

    class Scope(models.TextChoices):
        SHARED = "shared", _("Shared by every course")
        COURSE = "course", _("One course")
        PROGRAMME = "programme", _("One certification programme")

    name_zh = models.CharField(_("name in Chinese"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=160)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices, default=Scope.SHARED)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The programme by its slug: assessments sits below certification and may not hold a key to its tables.
    programme_slug = models.SlugField(_("programme slug"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldPanel("parent"),
        MultiFieldPanel([FieldPanel("scope"), FieldPanel("course"), FieldPanel("programme_slug")], heading=_("Scope")),
    ]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name_en"]

    def __str__(self):
        return " / ".join(in_reader_language(category, "name") for category in self.ancestry())

    def ancestry(self):
        chain, category, seen = [], self, set()
        while category is not None and category.pk not in seen:
            seen.add(category.pk)
            chain.insert(0, category)
            category = category.parent
        return chain

    def clean(self):
        if self.scope == self.Scope.COURSE and self.course_id is None:
            raise ValidationError({"course": _("A course category names its course.")})
        if self.scope == self.Scope.PROGRAMME and not self.programme_slug:
            raise ValidationError({"programme_slug": _("A programme category names its programme.")})
        if self.pk and self.parent and self in self.parent.ancestry():
            raise ValidationError({"parent": _("A category cannot sit inside itself.")})

    def descendant_ids(self):
        """This category's id and those of every category below it."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(QuestionCategory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(pk for pk in frontier if pk not in ids)
        return ids


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("assessments.Question", related_name="tagged_items", on_delete=models.CASCADE)


class QuestionType(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_RESPONSE = "multiple_response", _("Multiple response")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT_ANSWER = "short_answer", _("Short answer")
    NUMERIC = "numeric", _("Numeric")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    CLOZE = "cloze", _("Cloze (gaps in a text)")
    ESSAY = "essay", _("Essay (graded by a trainer)")


CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE}
OPTION_TYPES = CHOICE_TYPES | {
    QuestionType.SHORT_ANSWER,
    QuestionType.NUMERIC,
    QuestionType.MATCHING,
    QuestionType.ORDERING,
}


class Question(RevisionMixin, index.Indexed, ClusterableModel):
    """One question of the bank. Its options (``QuestionOption``) hold what is marked right."""

    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    question_type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("For trainers only: how the bank lists it."))
    text_zh = models.TextField(
        _("question in Chinese"),
        help_text=_(
            "For a cloze question, gaps in Moodle's syntax: {1:SHORTANSWER:=臺北~%50%台北} or {1:MC:=right~wrong}."
        ),
    )
    text_en = models.TextField(_("question in English"))
    general_feedback_zh = models.TextField(_("feedback in Chinese"), blank=True)
    general_feedback_en = models.TextField(_("feedback in English"), blank=True)
    default_mark = models.DecimalField(
        _("mark"), max_digits=6, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )
    shuffle_options = models.BooleanField(_("shuffle the options"), default=True)
    true_is_correct = models.BooleanField(_("the statement is true"), null=True, blank=True)
    case_sensitive = models.BooleanField(_("letter case matters"), default=False)
    rubric_zh = models.TextField(_("rubric in Chinese"), blank=True, help_text=_("Essay: what graders look for."))
    rubric_en = models.TextField(_("rubric in English"), blank=True)
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_archived = models.BooleanField(_("archived"), default=False, help_text=_("Archived questions are not drawn."))
    competency_indicators = indicators_field("questions")

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("category"), FieldPanel("question_type"), FieldPanel("tags")],
            heading=_("Question"),
        ),
        FieldPanel("text_zh"),
        FieldPanel("text_en"),
        FieldRowPanel([FieldPanel("default_mark"), FieldPanel("shuffle_options"), FieldPanel("case_sensitive")]),
        FieldPanel("true_is_correct"),
        InlinePanel("options", label=_("Options and answers")),
        FieldRowPanel([FieldPanel("general_feedback_zh"), FieldPanel("general_feedback_en")]),
        FieldRowPanel([FieldPanel("rubric_zh"), FieldPanel("rubric_en")]),
        indicator_panel(),
        FieldPanel("is_archived"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("text_zh"),
        index.SearchField("text_en"),
        index.FilterField("question_type"),
        index.FilterField("category"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "name"]

    def __str__(self):
        return self.name

    @property
    def text(self):
        return in_reader_language(self, "text")

    @property
    def general_feedback(self):
        return in_reader_language(self, "general_feedback")

    @property
    def rubric(self):
        return in_reader_language(self, "rubric")

    def clean(self):
        from .questions import question_problems

        problems = question_problems(self, list(self.options.all()))
        if problems:
            raise ValidationError(problems)


class QuestionOption(Orderable):
    """A choice, an accepted answer, a number with its tolerance, a matching pair or an item in its right place.

    For ordering questions the options' order is the right order; for matching, ``text`` is matched to ``match``.
    """

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text_zh = models.CharField(_("text in Chinese"), max_length=500, blank=True)
    text_en = models.CharField(_("text in English"), max_length=500, blank=True)
    fraction = models.DecimalField(
        _("fraction of the mark"),
        max_digits=7,
        decimal_places=5,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(-1)), MaxValueValidator(Decimal(1))],
        help_text=_("1 for a fully right answer, 0.5 for half the mark, negative to take marks away."),
    )
    tolerance = models.DecimalField(_("tolerance"), max_digits=12, decimal_places=6, default=Decimal(0))
    match_zh = models.CharField(_("matches (Chinese)"), max_length=500, blank=True)
    match_en = models.CharField(_("matches (English)"), max_length=500, blank=True)
    feedback_zh = models.CharField(_("feedback in Chinese"), max_length=500, blank=True)
    feedback_en = models.CharField(_("feedback in English"), max_length=500, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("text_zh"), FieldPanel("text_en")]),
        FieldRowPanel([FieldPanel("fraction"), FieldPanel("tolerance")]),
        FieldRowPanel([FieldPanel("match_zh"), FieldPanel("match_en")]),
        FieldRowPanel([FieldPanel("feedback_zh"), FieldPanel("feedback_en")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.text_en or self.text_zh

    @property
    def text(self):
        return in_reader_language(self, "text")

    @property
    def match(self):
        return in_reader_language(self, "match")

    @property
    def feedback(self):
        return in_reader_language(self, "feedback")


class Quiz(ClusterableModel):
    """A quiz or exam: which questions it draws, when and how often it may be taken, and how it is graded."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice: feedback and right answers after each attempt")
        EXAM = "exam", _("Exam: only the mark until the exam closes")

    class GradingMethod(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        AVERAGE = "average", _("Average of attempts")
        FIRST = "first", _("First attempt")
        LAST = "last", _("Last attempt")

    title_zh = models.CharField(_("title in Chinese"), max_length=160)
    title_en = models.CharField(_("title in English"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=0, help_text=_("0: no limit."))
    wait_minutes = models.PositiveIntegerField(_("wait between attempts (minutes)"), default=0)
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    panels = [
        FieldRowPanel([FieldPanel("title_zh"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("shuffle_questions")]),
        InlinePanel("draws", label=_("Questions drawn"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("time_limit_minutes"),
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("wait_minutes")]),
                FieldRowPanel([FieldPanel("grading_method"), FieldPanel("pass_mark")]),
            ],
            heading=_("Timing and grading"),
        ),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        return in_reader_language(self, "title")

    @property
    def title(self):
        return in_reader_language(self, "title")

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The quiz must close after it opens.")})

    def is_open(self, now=None):
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (self.closes_at is None or now < self.closes_at)

    def shows_review(self, now=None):
        """Whether learners may see feedback and the right answers of their finished attempts."""
        if self.kind == self.Kind.PRACTICE:
            return True
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at


class QuizDraw(Orderable):
    """N questions drawn at random from a category (and, if asked, the categories below it) for each attempt."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draws")
    category = models.ForeignKey(QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    count = models.PositiveSmallIntegerField(_("number of questions"), default=1, validators=[MinValueValidator(1)])
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)

    panels = [FieldRowPanel([FieldPanel("category"), FieldPanel("count"), FieldPanel("include_subcategories")])]

    class Meta(Orderable.Meta):
        verbose_name = _("questions drawn")
        verbose_name_plural = _("questions drawn")


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        NEEDS_GRADING = "needs_grading", _("Waiting for a trainer")
        GRADED = "graded", _("Graded")

    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts")
    module = models.ForeignKey(
        "courses.ModulePage", verbose_name=_("module"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(_("state"), max_length=14, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    closed_by_deadline = models.BooleanField(_("closed at the deadline"), default=False)
    marks = models.DecimalField(_("marks"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_marks = models.DecimalField(_("maximum marks"), max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "module", "user", "number"], name="unique_attempt_number"),
            models.UniqueConstraint(
                fields=["quiz", "module", "user"],
                condition=models.Q(state="in_progress"),
                name="one_open_attempt",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"])]

    def __str__(self):
        return f"{self.user} · {self.quiz} #{self.number}"

    @property
    def is_open(self):
        return self.state == self.State.IN_PROGRESS

    def is_overdue(self, now=None):
        return self.deadline is not None and (now or timezone.now()) >= self.deadline


class AttemptSlot(models.Model):
    """One question of an attempt, with the order its options were shown in and the learner's response."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField(_("position"))
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    max_mark = models.DecimalField(_("maximum mark"), max_digits=6, decimal_places=2)
    # What the learner was shown: option ids in display order (and, for matching, the answers' order). Form values
    # are positions in these lists, never ids, so that the page says nothing of which option an author wrote first.
    layout = models.JSONField(_("layout"), default=dict)
    response = models.JSONField(_("response"), default=dict, blank=True)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    fraction = models.DecimalField(_("fraction"), max_digits=7, decimal_places=5, null=True, blank=True)
    mark = models.DecimalField(_("mark"), max_digits=6, decimal_places=2, null=True, blank=True)
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    grader_comment = models.TextField(_("comment to the learner"), blank=True)

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="unique_slot_position")]

    def __str__(self):
        return f"{self.attempt} · {self.position + 1}"

    @property
    def needs_grading(self):
        return self.question.question_type == QuestionType.ESSAY and self.grader_id is None
