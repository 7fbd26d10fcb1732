"""Moodle XML import and export: the shared fixture, a round trip of every type, and hostile files."""

from decimal import Decimal
from pathlib import Path

import pytest

from assessments.interchange import save_import
from assessments.models import Question, QuestionCategory, QuestionOption, QuestionType
from assessments.moodle_xml import read_moodle_xml, write_moodle_xml
from tests.assessments import factories

pytestmark = pytest.mark.django_db


FIXTURE = Path("/work/shared/moodle-xml/nested_categories_with_questions.xml")
needs_fixture = pytest.mark.skipif(not FIXTURE.exists(), reason="the shared Moodle XML fixture is not on this machine")


def import_bytes(data, under=None):
    return save_import(read_moodle_xml(data), under=under)


@needs_fixture
def test_the_shared_fixture_imports_its_category_tree_and_questions():
    report = import_bytes(FIXTURE.read_bytes())
    assert report.ok, report.problems
    paths = {" / ".join(c.name_en for c in category.ancestry()) for category in QuestionCategory.objects.all()}
    assert paths == {"Iota", "Iota / Kappa", "Iota / Kappa / Lambda", "Iota / Mu"}
    true_false = Question.objects.filter(question_type=QuestionType.TRUE_FALSE)
    assert true_false.count() == 4
    assert all(question.true_is_correct is True for question in true_false)
    essay = Question.objects.get(question_type=QuestionType.ESSAY)
    assert essay.name == "Kappa Essay Question" and essay.category.name_en == "Kappa"
    iota = Question.objects.get(name="Iota Question")
    assert iota.text_en == iota.text_zh == "Testing Iota Question"  # markup removed
    assert iota.revisions.count() == 1


@needs_fixture
def test_the_shared_fixture_survives_a_round_trip():
    import_bytes(FIXTURE.read_bytes())
    before = snapshot(Question.objects.all())
    exported = write_moodle_xml(Question.objects.all())
    empty_bank()
    assert import_bytes(exported).ok
    assert snapshot(Question.objects.all()) == before


def empty_bank():
    Question.objects.all().delete()
    while QuestionCategory.objects.exists():
        QuestionCategory.objects.filter(children__isnull=True).delete()


def snapshot(questions):
    """What must survive a round trip: each question's category path, fields and options.

    An answer written in one language only comes back in both (Moodle XML holds one text; a text in one language
    serves both, as the bank reads it), so answers are compared with that fallback.
    """
    rows = []
    for question in questions.order_by("name"):
        options = [
            (
                o.text_zh or o.text_en,
                o.text_en or o.text_zh,
                o.fraction,
                o.tolerance,
                o.match_zh,
                o.match_en,
                o.feedback_zh,
                o.feedback_en,
            )
            for o in question.options.order_by("sort_order")
        ]
        rows.append(
            (
                tuple(c.name_en for c in question.category.ancestry()),
                question.name,
                question.question_type,
                question.text_zh,
                question.text_en,
                question.general_feedback_zh,
                question.general_feedback_en,
                question.true_is_correct,
                question.case_sensitive,
                question.shuffle_options,
                question.default_mark,
                question.rubric_zh,
                question.rubric_en,
                tuple(options),
            )
        )
    return rows


def test_every_type_survives_a_round_trip_in_both_languages():
    category = factories.CategoryFactory(name_en="Round trip")
    for make in factories.EVERY_TYPE:
        make(
            category, name=f"{make.__name__} round trip", general_feedback_zh="做得好", general_feedback_en="Well done"
        )
    before = snapshot(Question.objects.all())
    exported = write_moodle_xml(Question.objects.all())
    assert b"multilang" in exported
    empty_bank()
    report = import_bytes(exported)
    assert report.ok, report.problems
    assert snapshot(Question.objects.all()) == before


MULTICHOICE = """<question type="multichoice"><name><text>{name}</text></name>
<questiontext format="html"><text>Pick one</text></questiontext>
<single>true</single>{answers}</question>"""
GOOD_ANSWERS = '<answer fraction="100"><text>right</text></answer><answer fraction="0"><text>wrong</text></answer>'


def quiz_file(*questions, prologue=""):
    return f'<?xml version="1.0" encoding="UTF-8"?>{prologue}<quiz>{"".join(questions)}</quiz>'.encode()


def assert_refused(data, *expected):
    report = import_bytes(data)
    assert not report.ok
    assert not Question.objects.exists() and not QuestionOption.objects.exists()
    assert not QuestionCategory.objects.exists()
    text = " ".join(report.problems)
    for fragment in expected:
        assert fragment in text, text
    return report


def test_external_entities_are_refused():
    data = quiz_file(
        MULTICHOICE.format(name="&xxe;", answers=GOOD_ANSWERS),
        prologue='<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    )
    assert_refused(data, "DTD")


def test_entity_expansion_is_refused():
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{"&" + chr(97 + n) + ";" * 1}{("&" + chr(97 + n) + ";") * 9}">' for n in range(8)
    )
    data = quiz_file(MULTICHOICE.format(name="&i;", answers=GOOD_ANSWERS), prologue=f"<!DOCTYPE quiz [{entities}]>")
    assert_refused(data, "DTD")


def test_megabytes_of_text_are_refused_naming_the_question():
    huge = "國" * 300_000
    data = quiz_file(
        MULTICHOICE.format(name="Fine", answers=GOOD_ANSWERS),
        MULTICHOICE.format(name="Huge", answers=GOOD_ANSWERS).replace("Pick one", huge),
    )
    assert_refused(data, "Question 2", "Huge", "20000")
    assert_refused(b"<quiz>" + b" " * (6 * 1024 * 1024) + b"</quiz>", "MB")


def test_bad_grades_are_refused_naming_the_question():
    bad = '<answer fraction="250"><text>right</text></answer><answer fraction="0"><text>wrong</text></answer>'
    data = quiz_file(
        MULTICHOICE.format(name="Fine", answers=GOOD_ANSWERS), MULTICHOICE.format(name="Greedy", answers=bad)
    )
    assert_refused(data, "Greedy", "250")
    nan = GOOD_ANSWERS.replace('fraction="0"', 'fraction="NaN"')
    assert_refused(quiz_file(MULTICHOICE.format(name="Not a number", answers=nan)), "Not a number")
    no_full = GOOD_ANSWERS.replace('fraction="100"', 'fraction="50"')
    assert_refused(quiz_file(MULTICHOICE.format(name="Half right", answers=no_full)), "Half right", "full mark")


def test_a_missing_answer_is_refused_naming_the_question():
    data = quiz_file(
        MULTICHOICE.format(name="Fine", answers=GOOD_ANSWERS), MULTICHOICE.format(name="Empty", answers="")
    )
    report = assert_refused(data, "Question 2", "Empty")
    assert len(report.problems) == 1
    tf = (
        '<question type="truefalse"><name><text>No truth</text></name>'
        "<questiontext><text>?</text></questiontext></question>"
    )
    assert_refused(quiz_file(tf), "No truth")


def test_malformed_and_foreign_files_are_refused():
    assert_refused(b"<quiz><question", "well-formed")
    assert_refused(b"<html></html>", "<quiz>")
    unknown = '<question type="calculated"><name><text>Formula</text></name></question>'
    assert_refused(quiz_file(unknown), "Formula", "calculated")
    cloze = (
        '<question type="multianswer"><name><text>Broken gap</text></name>'
        "<questiontext><text>{1:SA:%50%half}</text></questiontext></question>"
    )
    assert_refused(quiz_file(cloze), "Broken gap")


def test_multianswer_numerical_and_matching_import():
    cloze = (
        '<question type="multianswer"><name><text>Gaps</text></name><questiontext format="html"><text>'
        "<![CDATA[<p>Capital {1:SHORTANSWER:=Taipei} and years {1:NUMERICAL:=10:0}</p>]]></text></questiontext>"
        "</question>"
    )
    numerical = (
        '<question type="numerical"><name><text>Pi</text></name><questiontext><text>Pi?</text></questiontext>'
        '<answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer>'
        '<answer fraction="0"><text>*</text></answer></question>'
    )
    matching = (
        '<question type="matching"><name><text>Pairs</text></name><questiontext><text>Match</text></questiontext>'
        "<subquestion><text>a</text><answer><text>1</text></answer></subquestion>"
        "<subquestion><text>b</text><answer><text>2</text></answer></subquestion></question>"
    )
    report = import_bytes(quiz_file(cloze, numerical, matching))
    assert report.ok, report.problems
    pi = Question.objects.get(name="Pi")
    assert [(o.text_en, o.tolerance) for o in pi.options.all()] == [("3.14", Decimal("0.01"))]
    assert Question.objects.get(name="Gaps").question_type == QuestionType.CLOZE
    assert Question.objects.get(name="Pairs").options.count() == 2
