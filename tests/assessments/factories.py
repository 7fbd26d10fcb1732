"""Questions of every type, a quiz that draws them, and a module that shows the quiz."""

from decimal import Decimal

import factory

from assessments.models import Question, QuestionCategory, QuestionOption, QuestionType, Quiz, QuizDraw


class CategoryFactory(factory.django.DjangoModelFactory):
    name_zh = factory.Sequence(lambda n: f"題庫 {n}")
    name_en = factory.Sequence(lambda n: f"Bank {n}")

    class Meta:
        model = QuestionCategory


def make_question(kind, options=(), category=None, **fields):
    """A saved question of ``kind`` with ``options``: dicts of QuestionOption fields, in their order."""
    fields.setdefault("name", f"{kind} question")
    fields.setdefault("text_zh", "問題")
    fields.setdefault("text_en", "Question")
    question = Question.objects.create(question_type=kind, category=category or CategoryFactory(), **fields)
    for order, option in enumerate(options):
        QuestionOption.objects.create(question=question, sort_order=order, **option)
    return question


def single_choice(category=None, **fields):
    return make_question(
        QuestionType.SINGLE_CHOICE,
        [
            {"text_zh": "教育部", "text_en": "The Ministry of Education", "fraction": Decimal(1)},
            {"text_zh": "學校", "text_en": "Schools", "fraction": Decimal(0)},
            {"text_zh": "家長會", "text_en": "Parents' associations", "fraction": Decimal("0.5")},
        ],
        category,
        text_zh="國際教育中心計畫的執行機關是？",
        text_en="Who carries out the international education centre plan?",
        **fields,
    )


def multiple_response(category=None, **fields):
    return make_question(
        QuestionType.MULTIPLE_RESPONSE,
        [
            {"text_zh": "英語村", "text_en": "English villages", "fraction": Decimal("0.5")},
            {"text_zh": "姊妹校交流", "text_en": "Sister-school exchanges", "fraction": Decimal("0.5")},
            {"text_zh": "興建體育館", "text_en": "Building gymnasiums", "fraction": Decimal("-1")},
        ],
        category,
        **fields,
    )


def true_false(category=None, answer=True, **fields):
    return make_question(QuestionType.TRUE_FALSE, [], category, true_is_correct=answer, **fields)


def short_answer(category=None, **fields):
    return make_question(
        QuestionType.SHORT_ANSWER,
        [
            {"text_zh": "臺灣", "text_en": "Taiwan", "fraction": Decimal(1)},
            {"text_zh": "台灣", "text_en": "", "fraction": Decimal(1)},
            {"text_zh": "中華民國*", "text_en": "", "fraction": Decimal("0.5")},
        ],
        category,
        **fields,
    )


def numeric(category=None, **fields):
    return make_question(
        QuestionType.NUMERIC,
        [
            {"text_en": "12", "fraction": Decimal(1), "tolerance": Decimal(0)},
            {"text_en": "10", "fraction": Decimal("0.5"), "tolerance": Decimal(1)},
        ],
        category,
        text_zh="學校國際交流計畫有幾個補助項目？",
        text_en="How many kinds of activity does the school exchange plan fund?",
        **fields,
    )


def matching(category=None, **fields):
    return make_question(
        QuestionType.MATCHING,
        [
            {"text_zh": "國際教育中心計畫", "text_en": "Centre plan", "match_zh": "教育部", "match_en": "Ministry"},
            {"text_zh": "學校國際化計畫", "text_en": "School plan", "match_zh": "學校", "match_en": "Schools"},
            {"text_zh": "教師專業成長", "text_en": "Teacher growth", "match_zh": "教師", "match_en": "Teachers"},
        ],
        category,
        **fields,
    )


def ordering(category=None, **fields):
    return make_question(
        QuestionType.ORDERING,
        [{"text_zh": f"步驟 {n}", "text_en": f"Step {n}"} for n in range(1, 5)],
        category,
        **fields,
    )


def cloze(category=None, **fields):
    return make_question(
        QuestionType.CLOZE,
        [],
        category,
        text_zh="白皮書的推動期程為{1:NUMERICAL:=10:0}年，執行機關為{2:MC:學校~=教育部~家長}，首都為{1:SA:=臺北~=台北}。",
        text_en="The plan runs for {1:NUMERICAL:=10:0} years, carried out by {2:MC:Schools~=the Ministry~Parents}, "
        "capital {1:SA:=Taipei}.",
        **fields,
    )


def essay(category=None, **fields):
    fields.setdefault("rubric_zh", "提出兩項具體做法。")
    fields.setdefault("rubric_en", "Two concrete actions.")
    return make_question(QuestionType.ESSAY, [], category, **fields)


EVERY_TYPE = [single_choice, multiple_response, true_false, short_answer, numeric, matching, ordering, cloze, essay]


def make_quiz(category, count, **fields):
    fields.setdefault("title_zh", "期末測驗")
    fields.setdefault("title_en", "Final exam")
    quiz = Quiz.objects.create(**fields)
    QuizDraw.objects.create(quiz=quiz, category=category, count=count)
    return quiz
