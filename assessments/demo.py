"""The demo's question bank and the Advanced programme's final exam.

Thirty-three automatically scored questions on chapter 4 of the white paper (and one essay in its own category)
in both languages, an exam that draws ten of them, and a module holding the exam at the end of the advanced
course *School internationalisation*, completed only by passing it: the Advanced programme, which requires that
course, therefore requires a passed exam. Idempotent: categories, questions and the quiz are found by name.
"""

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from courses.demo import TRAINER
from courses.models import CoursePage, ModulePage
from home.demo import ensure_page, locales, paragraphs

from .demo_questions import QUESTIONS
from .models import Question, QuestionCategory, QuestionOption, QuestionType, Quiz, QuizDraw
from .questions import question_problems

EXAM_COURSE = "school-internationalisation"
EXAM_SIZE = 10


def _category(name_zh, name_en, parent=None, **fields):
    category, _created = QuestionCategory.objects.update_or_create(
        name_en=name_en, parent=parent, defaults={"name_zh": name_zh, **fields}
    )
    return category


def _options(spec):
    kind = spec["type"]
    for zh, en, *rest in spec.get("options", []):
        if kind == QuestionType.NUMERIC:
            yield {"text_en": zh, "text_zh": zh, "tolerance": Decimal(en), "fraction": Decimal(rest[0])}
        elif kind == QuestionType.MATCHING:
            yield {"text_zh": zh, "text_en": en, "match_zh": rest[0], "match_en": rest[1]}
        elif kind == QuestionType.ORDERING:
            yield {"text_zh": zh, "text_en": en}
        else:
            yield {"text_zh": zh, "text_en": en, "fraction": Decimal(str(rest[0])).quantize(Decimal("0.00001"))}


def ensure_question(spec, category, author):
    feedback_zh, feedback_en = spec.get("feedback", ("", ""))
    rubric_zh, rubric_en = spec.get("rubric", ("", ""))
    question, _created = Question.objects.update_or_create(
        name=spec["name"],
        defaults={
            "category": category,
            "question_type": spec["type"],
            "text_zh": spec["zh"],
            "text_en": spec["en"],
            "true_is_correct": spec.get("true"),
            "general_feedback_zh": feedback_zh,
            "general_feedback_en": feedback_en,
            "rubric_zh": rubric_zh,
            "rubric_en": rubric_en,
            "author": author,
        },
    )
    question.options.all().delete()
    options = [QuestionOption(question=question, sort_order=n, **fields) for n, fields in enumerate(_options(spec))]
    QuestionOption.objects.bulk_create(options)
    problems = question_problems(question, options)
    if problems:
        raise ValueError(f"demo question {spec['name']!r}: {problems}")
    if not question.revisions.exists():
        question.save_revision(user=author)
    return question


@transaction.atomic
def load(stdout):
    trainer = User.objects.filter(email=TRAINER).first()
    book = _category("中小學國際教育白皮書", "White paper on international education")
    chapter = _category(
        "第四章 中小學國際教育推動計畫",
        "Chapter 4: plans for international education",
        parent=book,
        scope=QuestionCategory.Scope.PROGRAMME,
        programme_slug="advanced",
    )
    essays = _category("第四章 申論題", "Chapter 4: essays", parent=chapter)
    for spec in QUESTIONS:
        ensure_question(spec, essays if spec["type"] == QuestionType.ESSAY else chapter, trainer)

    exam, _created = Quiz.objects.update_or_create(
        title_en="Advanced programme final exam",
        defaults={
            "title_zh": "進階認證總測驗",
            "kind": Quiz.Kind.EXAM,
            "time_limit_minutes": 30,
            "max_attempts": 3,
            "wait_minutes": 60,
            "grading_method": Quiz.GradingMethod.HIGHEST,
            "pass_mark": Decimal(70),
        },
    )
    exam.draws.all().delete()
    QuizDraw.objects.create(quiz=exam, category=chapter, count=EXAM_SIZE, include_subcategories=False)

    course = CoursePage.objects.get(slug=EXAM_COURSE, locale__language_code="zh-hant")
    pages = {"zh-hant": course, "en": course.get_translation(locales()["en"])}
    quiz_block = {"type": "quiz", "value": {"quiz": exam.pk}}
    common = {"completion_rule": "quiz_passed", "estimated_minutes": 30}
    intro_zh = "進階認證的總測驗：從第四章題庫隨機抽出十題，限時三十分鐘，七十分及格。"
    intro_en = (
        "The Advanced programme's final exam: ten questions drawn from the chapter 4 bank, 30 minutes, pass at 70%."
    )
    ensure_page(
        pages,
        ModulePage,
        "final-exam",
        {
            "zh-hant": {"title": "進階認證總測驗", "body": [*paragraphs(intro_zh), quiz_block], **common},
            "en": {"title": "Advanced final exam", "body": [*paragraphs(intro_en), quiz_block], **common},
        },
    )
    stdout.write(
        f"Assessments: {chapter.questions.count()} exam questions and {essays.questions.count()} essay on chapter 4, "
        f"a {EXAM_SIZE}-question final exam in '{EXAM_COURSE}'."
    )
