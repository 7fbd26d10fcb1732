"""Re-scoring learners' responses as the real H5P libraries score them."""

import copy
import json
import zipfile

import pytest

from courses.h5p.demo.quizzes import EXCHANGE_QUIZ
from courses.h5p.scoring import (
    ImpossibleResponse,
    Score,
    blanks_solutions,
    drag_text_answers,
    rescore_blanks,
    rescore_drag_text,
    rescore_multichoice,
    rescore_question_set,
    rescore_statement,
    rescore_truefalse,
    spelling_distance,
    sub_content_id,
)

from .h5p_packages import real_package

IRI = "http://testserver/h5p/activities/abc"


def content_of(name):
    with zipfile.ZipFile(real_package(name)) as archive:
        return json.loads(archive.read("content/content.json"))


def statement(response, raw=None, maximum=None, sub_content=""):
    result = {"response": response}
    if raw is not None:
        result["score"] = {"raw": raw, "max": maximum, "min": 0}
    object_id = f"{IRI}?subContentId={sub_content}" if sub_content else IRI
    return {"object": {"id": object_id}, "result": result}


@pytest.fixture
def multichoice():
    return content_of("H5P.MultiChoice.h5p")


@pytest.fixture
def truefalse():
    return content_of("H5P.TrueFalse-h5p-standalone-test.h5p")


# The real MultiChoice package: one correct answer of three ("Very dark purple", index 0), shuffled on screen;
# the response carries the original indexes.


def test_real_multichoice_correct_answer(multichoice):
    assert rescore_statement(multichoice, "H5P.MultiChoice", statement("0")) == Score(1, 1)


@pytest.mark.parametrize("response", ["1", "2", ""])
def test_real_multichoice_wrong_or_no_answer(multichoice, response):
    assert rescore_statement(multichoice, "H5P.MultiChoice", statement(response)) == Score(0, 1)


@pytest.mark.parametrize("response", ["0[,]1", "3", "-1", "0,1", "a", "0[,]0", "01 "])
def test_real_multichoice_impossible_responses(multichoice, response):
    with pytest.raises(ImpossibleResponse):
        rescore_statement(multichoice, "H5P.MultiChoice", statement(response))


def test_forged_score_does_not_match(multichoice):
    forged = statement("2", raw=1, maximum=1)
    score = rescore_statement(multichoice, "H5P.MultiChoice", forged)
    assert not score.matches(forged["result"]["score"])
    honest = statement("0", raw=1, maximum=1)
    assert rescore_statement(multichoice, "H5P.MultiChoice", honest).matches(honest["result"]["score"])


@pytest.mark.parametrize("claimed", [{"raw": 1, "max": 2}, {"raw": True, "max": 1}, {"raw": "1", "max": 1}, None, []])
def test_score_matches_only_the_same_numbers(claimed):
    assert not Score(1, 1).matches(claimed)


# MultiChoice behaviours that change scoring (multichoice.js 1.x)


def multi(answers, **behaviour):
    return {
        "answers": [{"correct": correct, "text": str(index)} for index, correct in enumerate(answers)],
        "behaviour": behaviour,
    }


@pytest.mark.parametrize(
    ("behaviour", "response", "expected"),
    [
        # Two correct answers: multi-answer; singlePoint (default) gives weight or 0 at passPercentage 100.
        ({}, "0[,]1", Score(1, 1)),
        ({}, "0", Score(0, 1)),
        ({}, "0[,]1[,]2", Score(0, 1)),
        ({"passPercentage": 50}, "0", Score(1, 1)),
        # Without singlePoint: +1 per correct, −1 per wrong, floored at 0; max is the number of correct answers.
        ({"singlePoint": False}, "0[,]1", Score(2, 2)),
        ({"singlePoint": False}, "0[,]2", Score(0, 2)),
        ({"singlePoint": False}, "0[,]1[,]2", Score(1, 2)),
        ({"singlePoint": False}, "2[,]3", Score(0, 2)),
        ({"singlePoint": False}, "", Score(0, 2)),
    ],
)
def test_multi_answer_scoring(behaviour, response, expected):
    assert rescore_multichoice(multi([True, True, False, False], **behaviour), response) == expected


def test_answer_weights_and_question_weight():
    params = multi([True, True, False], singlePoint=False)
    params["answers"][0]["weight"] = 3
    params["answers"][2]["weight"] = 2
    assert rescore_multichoice(params, "0[,]2") == Score(1, 4)
    params["behaviour"]["singlePoint"] = True
    params["weight"] = 5
    assert rescore_multichoice(params, "0[,]1") == Score(5, 5)


def test_type_single_with_several_correct_answers_is_a_radio_question():
    params = multi([True, True, False], type="single")
    assert rescore_multichoice(params, "1") == Score(1, 1)
    with pytest.raises(ImpossibleResponse):
        rescore_multichoice(params, "0[,]1")


def test_type_multi_with_one_correct_answer_uses_checkboxes():
    params = multi([True, False, False], type="multi", singlePoint=False)
    assert rescore_multichoice(params, "0[,]1") == Score(0, 1)


def test_single_answer_scores_one_whatever_the_weight():
    params = multi([False, True, False])
    params["weight"] = 4
    assert rescore_multichoice(params, "1") == Score(1, 4)


def test_no_correct_answer_rewards_an_empty_response():
    params = multi([False, False], type="multi")
    assert rescore_multichoice(params, "") == Score(1, 1)
    assert rescore_multichoice(params, "0") == Score(0, 1)


# The real TrueFalse package: the correct answer is "false".


def test_real_truefalse(truefalse):
    assert rescore_statement(truefalse, "H5P.TrueFalse", statement("false")) == Score(1, 1)
    assert rescore_statement(truefalse, "H5P.TrueFalse", statement("true")) == Score(0, 1)
    with pytest.raises(ImpossibleResponse):
        rescore_statement(truefalse, "H5P.TrueFalse", statement("maybe"))


@pytest.mark.parametrize(("correct", "right"), [("true", "true"), (None, "false"), (True, "false")])
def test_truefalse_correct_is_the_string_true(correct, right):
    params = {} if correct == "true" else {"correct": correct}
    assert rescore_truefalse(params, right) == Score(1, 1)


# QuestionSet: the sum over its questions, each from its own "answered" statement


@pytest.fixture
def question_set(multichoice, truefalse):
    return {
        "passPercentage": 50,
        "questions": [
            {"library": "H5P.MultiChoice 1.14", "params": multichoice, "subContentId": "mc-1"},
            {"library": "H5P.TrueFalse 1.6", "params": truefalse, "subContentId": "tf-1"},
        ],
    }


def test_question_set_top_level(question_set):
    responses = {"mc-1": "0", "tf-1": "true"}
    top = statement("", raw=1, maximum=2)
    assert rescore_statement(question_set, "H5P.QuestionSet", top, responses) == Score(1, 2)
    assert rescore_statement(question_set, "H5P.QuestionSet", top, {}) == Score(0, 2)


def test_question_set_sub_statements_are_rescored_by_their_own_library(question_set):
    assert rescore_statement(question_set, "H5P.QuestionSet", statement("false", sub_content="tf-1")) == Score(1, 1)
    assert rescore_statement(question_set, "H5P.QuestionSet", statement("2", sub_content="mc-1")) == Score(0, 1)
    with pytest.raises(ImpossibleResponse):
        rescore_statement(question_set, "H5P.QuestionSet", statement("0", sub_content="nope"))


def test_question_set_with_an_unsupported_question_cannot_be_rescored(question_set):
    question_set["questions"].append({"library": "H5P.Essay 1.2", "params": {}, "subContentId": "essay"})
    assert rescore_statement(question_set, "H5P.QuestionSet", statement(""), {"mc-1": "0"}) is None


def test_question_set_pool(question_set):
    question_set["poolSize"] = 1
    assert rescore_question_set(question_set, {"tf-1": "false"}) == Score(1, 1)
    with pytest.raises(ImpossibleResponse):
        rescore_question_set(question_set, {"tf-1": "false", "mc-1": "0"})
    with pytest.raises(ImpossibleResponse):
        rescore_question_set(question_set, {"ghost": "0"})


# Our IEA.Quiz


def test_iea_quiz_top_level_and_questions():
    quiz = copy.deepcopy(EXCHANGE_QUIZ)
    all_right = "exchange-purpose[.]0[;]exchange-items[.]0[,]1[,]3[;]exchange-direction[.]1"
    assert rescore_statement(quiz, "IEA.Quiz", statement(all_right)) == Score(3, 3)
    one_wrong = "exchange-purpose[.]0[;]exchange-items[.]0[,]1[;]exchange-direction[.]1"
    assert rescore_statement(quiz, "IEA.Quiz", statement(one_wrong)) == Score(2, 3)
    assert rescore_statement(quiz, "IEA.Quiz", statement("0[,]1[,]3", sub_content="exchange-items")) == Score(1, 1)
    assert rescore_statement(quiz, "IEA.Quiz", statement("1", sub_content="exchange-purpose")) == Score(0, 1)


@pytest.mark.parametrize(
    ("response", "sub_content"),
    [
        ("ghost[.]0", ""),
        ("exchange-purpose[.]0[;]exchange-purpose[.]0", ""),
        ("exchange-purpose", ""),
        ("exchange-purpose[.]0[,]1", ""),
        ("0", "ghost"),
        ("9", "exchange-purpose"),
    ],
)
def test_iea_quiz_impossible_responses(response, sub_content):
    with pytest.raises(ImpossibleResponse):
        rescore_statement(EXCHANGE_QUIZ, "IEA.Quiz", statement(response, sub_content=sub_content))


def test_other_content_types_cannot_be_rescored():
    assert rescore_statement({"text": "x"}, "H5P.Essay", statement("x")) is None
    assert rescore_statement({}, "H5P.Column", statement("")) is None


def test_sub_content_id_of_object_ids():
    assert sub_content_id(f"{IRI}?subContentId=f4e153ab-9205") == "f4e153ab-9205"
    assert sub_content_id(IRI) == ""
    assert sub_content_id(None) == ""


# H5P.DragText and H5P.Blanks (their real packages are re-scored in test_xapi_assurance)


def test_drag_text_words_tips_and_feedback_are_parsed_as_the_library_does():
    text = "A *blue:the sky\\+Right!\\-Wrong* sky\nand *red* and ** and *green*."
    # "**" is a drop zone whose word is empty, as the library's split makes it.
    assert drag_text_answers(text) == ["blue", "red", "", "green"]


def test_drag_text_scores_each_zone_and_refuses_words_it_does_not_offer():
    params = {"textField": "*a* *b* *a*"}
    assert rescore_drag_text(params, "a[,]b[,]a") == Score(3, 3)
    assert rescore_drag_text(params, "[,]a[,]a") == Score(1, 3)
    for impossible in ("a[,]a[,]a", "c[,][,]", "a[,]b"):
        with pytest.raises(ImpossibleResponse):
            rescore_drag_text(params, impossible)


def test_blanks_alternatives_case_and_spelling():
    params = {"questions": ["<p>*Taipei/臺北:capital* is in *Taiwan*, **, *&amp;*</p>"], "behaviour": {}}
    assert blanks_solutions(params["questions"]) == [["Taipei", "臺北"], ["Taiwan"], ["&"]]
    assert rescore_blanks(params, "臺北[,] taiwan [,]&") == Score(3, 3)
    params["behaviour"] = {"caseSensitive": True}
    assert rescore_blanks(params, "taipei[,]Taiwan[,]&") == Score(2, 3)
    params["behaviour"] = {"caseSensitive": True, "acceptSpellingErrors": True}
    # One slip is forgiven in a word of more than three characters, two in one of more than nine.
    assert rescore_blanks(params, "Tiapei[,]Taiwna[,]x") == Score(2, 3)
    with pytest.raises(ImpossibleResponse):
        rescore_blanks(params, "Taipei[,]Taiwan")


def test_spelling_distance_is_the_librarys():
    assert spelling_distance("abcd", "abdc") == 1
    assert spelling_distance("", "abc") == 3
    assert spelling_distance("kitten", "sitting") == 3
