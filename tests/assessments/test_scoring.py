"""Scoring per question type, with partial credit; positions in the attempt's layout stand for the choices."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.models import Question, QuestionOption, QuestionType
from assessments.questions import layout_for, question_problems
from assessments.scoring import normalise_answer, score_response
from tests.assessments import factories

pytestmark = pytest.mark.django_db


def scored(question, response, seed=1):
    options = list(question.options.all())
    layout = layout_for(question, options, random.Random(seed))
    return score_response(question, options, layout, response), layout, options


def position(layout_ids, option):
    return str(layout_ids.index(option.pk))


def test_single_choice_full_partial_and_wrong():
    question = factories.single_choice()
    options = list(question.options.all())
    layout = layout_for(question, options, random.Random(3))
    right, wrong, half = options
    assert score_response(question, options, layout, {"choice": position(layout["options"], right)}) == 1
    assert score_response(question, options, layout, {"choice": position(layout["options"], half)}) == Decimal("0.5")
    assert score_response(question, options, layout, {"choice": position(layout["options"], wrong)}) == 0
    assert score_response(question, options, layout, {}) == 0
    assert score_response(question, options, layout, {"choice": "7"}) == 0
    assert score_response(question, options, layout, {"choice": "-1"}) == 0


def test_shuffled_options_are_scored_by_what_the_learner_saw():
    question = factories.single_choice()
    options = list(question.options.all())
    layouts = {tuple(layout_for(question, options, random.Random(seed))["options"]) for seed in range(30)}
    assert len(layouts) > 1
    for ids in layouts:
        layout = {"options": list(ids)}
        assert score_response(question, options, layout, {"choice": str(ids.index(options[0].pk))}) == 1


def test_unshuffled_options_keep_the_author_order():
    question = factories.single_choice(shuffle_options=False)
    options = list(question.options.all())
    assert layout_for(question, options)["options"] == [option.pk for option in options]


def test_multiple_response_partial_credit_and_penalty():
    question = factories.multiple_response()
    options = list(question.options.all())
    layout = layout_for(question, options, random.Random(5))
    a, b, wrong = (position(layout["options"], option) for option in options)
    assert score_response(question, options, layout, {"choices": [a, b]}) == 1
    assert score_response(question, options, layout, {"choices": [a]}) == Decimal("0.5")
    assert score_response(question, options, layout, {"choices": [a, wrong]}) == 0  # never below zero
    assert score_response(question, options, layout, {"choices": [a, b, wrong]}) == 0
    assert score_response(question, options, layout, {"choices": [a, a, a]}) == Decimal("0.5")  # counted once


def test_true_false():
    question = factories.true_false(answer=False)
    assert scored(question, {"answer": "false"})[0] == 1
    assert scored(question, {"answer": "true"})[0] == 0
    assert scored(question, {"answer": "yes"})[0] == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("臺灣", 1),
        ("台灣", 1),
        ("  Taiwan ", 1),
        ("TAIWAN", 1),
        ("ＴＡＩＷＡＮ", 1),  # full-width letters
        ("中華民國（臺灣）", Decimal("0.5")),  # wildcard answer worth half
        ("Taiwann", 0),
        ("", 0),
    ],
)
def test_short_answer(typed, expected):
    assert scored(factories.short_answer(), {"answer": typed})[0] == expected


def test_short_answer_case_sensitive_when_asked():
    question = factories.short_answer(case_sensitive=True)
    assert scored(question, {"answer": "Taiwan"})[0] == 1
    assert scored(question, {"answer": "taiwan"})[0] == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("12", 1), ("１２", 1), (" 12.0 ", 1), ("11", Decimal("0.5")), ("9", Decimal("0.5")), ("8", 0), ("abc", 0),
     ("1e999999", 0), ("NaN", 0)],
)  # fmt: skip
def test_numeric_with_tolerance(typed, expected):
    assert scored(factories.numeric(), {"answer": typed})[0] == expected


def test_matching_partial_credit():
    question = factories.matching()
    options = list(question.options.all())
    layout = layout_for(question, options, random.Random(2))
    by_id = {option.pk: option for option in options}
    right = {
        f"m{index}": str(
            layout["answers"].index(next(pk for pk in layout["answers"] if by_id[pk].match_en == by_id[stem].match_en))
        )
        for index, stem in enumerate(layout["stems"])
    }
    assert score_response(question, options, layout, right) == 1
    one_wrong = dict(right)
    one_wrong["m0"], one_wrong["m1"] = right["m1"], right["m0"]
    assert score_response(question, options, layout, one_wrong) == Decimal("0.33333")
    assert score_response(question, options, layout, {"m0": "99"}) == 0


def test_ordering_is_never_shown_in_the_right_order_and_scores_places():
    question = factories.ordering()
    options = list(question.options.all())
    for seed in range(20):
        layout = layout_for(question, options, random.Random(seed))
        assert layout["items"] != [option.pk for option in options]
    rank = {option.pk: str(order + 1) for order, option in enumerate(options)}
    response = {f"o{index}": rank[pk] for index, pk in enumerate(layout["items"])}
    assert score_response(question, options, layout, response) == 1
    response["o0"], response["o1"] = response["o1"], response["o0"]
    assert score_response(question, options, layout, response) == Decimal("0.5")


def test_cloze_weighted_gaps_in_either_language():
    question = factories.cloze()
    options = []
    layout = layout_for(question, options, random.Random(4))
    ministry = str(layout["gaps"]["1"].index(1))
    assert score_response(question, options, layout, {"g0": "10", "g1": ministry, "g2": "台北"}) == 1
    assert score_response(question, options, layout, {"g0": "10", "g1": ministry, "g2": "Taipei"}) == 1
    # Weights 1, 2, 1: the choice gap alone is half the mark.
    assert score_response(question, options, layout, {"g0": "9", "g1": ministry, "g2": "Tokyo"}) == Decimal("0.5")
    assert score_response(question, options, layout, {"g0": "10"}) == Decimal("0.25")


def test_essay_waits_for_a_person():
    assert scored(factories.essay(), {"answer": "兩項做法"})[0] is None


@pytest.mark.parametrize("make", factories.EVERY_TYPE)
def test_every_type_is_well_formed_and_scores_an_empty_answer_zero(make):
    question = make()
    assert question_problems(question, list(question.options.all())) == {}
    fraction = scored(question, {})[0]
    assert fraction in (None, 0)


def test_malformed_questions_are_refused():
    question = factories.single_choice()
    question.options.update(fraction=Decimal("0.5"))
    with pytest.raises(ValidationError):
        question.full_clean()
    cloze = factories.cloze()
    cloze.text_zh = "只有{1:SA:=一}個空格"
    assert "text_zh" in question_problems(cloze, [])
    cloze.text_en = "{1:SA:%50%half only}"
    assert "text_en" in question_problems(cloze, [])
    missing = factories.true_false(answer=None)
    assert "true_is_correct" in question_problems(missing, [])


def full_width(text):
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30))
def test_normalised_answers_ignore_width_case_and_surrounding_space(text):
    assert normalise_answer(f"  {full_width(text)}\t") == normalise_answer(text)
    assert normalise_answer(text.upper()) == normalise_answer(text.lower())


def unsaved_multiple_response(fractions):
    question = Question(question_type=QuestionType.MULTIPLE_RESPONSE, text_zh="問", text_en="Q")
    options = [QuestionOption(pk=pk, question=question, fraction=fraction) for pk, fraction in enumerate(fractions, 1)]
    return question, options


@settings(max_examples=150, deadline=None)
@given(
    fractions=st.lists(st.decimals(min_value=-1, max_value=1, places=2), min_size=2, max_size=6),
    choices=st.lists(st.sampled_from(["0", "1", "2", "3", "4", "5", "x", "", "-1", "99"]), max_size=8),
)
def test_multiple_response_is_always_between_zero_and_one(fractions, choices):
    question, options = unsaved_multiple_response(fractions)
    fraction = score_response(question, options, {"options": [o.pk for o in options]}, {"choices": choices})
    assert 0 <= fraction <= 1
    chosen = {int(c) for c in choices if c.isdigit() and int(c) < len(options)}
    assert fraction == max(Decimal(0), min(Decimal(1), sum(fractions[i] for i in chosen)))
