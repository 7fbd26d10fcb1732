from decimal import Decimal

import pytest

from assessments.gift import read_gift
from assessments.interchange import save_import
from assessments.models import Question, QuestionCategory, QuestionType

pytestmark = pytest.mark.django_db


GIFT = """// Chapter 4 of the white paper
$CATEGORY: $course$/白皮書/第四章

::執行機關::國際教育中心計畫的執行機關是？{=教育部#對 ~學校#不對 ~%50%教育部與學校}

::雙向::學校國際交流計畫補助雙向的國際交流活動。{T}

::單向::學校國際交流計畫只補助出國參訪。{FALSE####計畫補助雙向交流。}

::英語村::國際交流計畫第十項補助項目是？{=英語村 =English village}

::年數::白皮書期望經過幾年的耕耘？{#10:0}

::範圍::補助項目有幾項？{#=12:0 =%50%12:2}

::複選::下列哪些是補助項目？{~%50%英語村 ~%50%姊妹校交流 ~%-100%興建校舍}

::配對::配對計畫與機關。{=國際教育中心計畫 -> 教育部 =學校國際化計畫 -> 學校}

::申論::請規劃一項國際交流活動。{}

::缺字::白皮書的願景是培育具{=國際素養 ~體育專長}的國際化人才。

::跳脫::1 \\= 1 \\{ 是 \\} 真的嗎？{T}
"""


def test_gift_import_every_type():
    report = save_import(read_gift(GIFT.encode()))
    assert report.ok, report.problems
    types = {q.name: q.question_type for q in Question.objects.all()}
    assert types == {
        "執行機關": QuestionType.SINGLE_CHOICE,
        "雙向": QuestionType.TRUE_FALSE,
        "單向": QuestionType.TRUE_FALSE,
        "英語村": QuestionType.SHORT_ANSWER,
        "年數": QuestionType.NUMERIC,
        "範圍": QuestionType.NUMERIC,
        "複選": QuestionType.MULTIPLE_RESPONSE,
        "配對": QuestionType.MATCHING,
        "申論": QuestionType.ESSAY,
        "缺字": QuestionType.SINGLE_CHOICE,
        "跳脫": QuestionType.TRUE_FALSE,
    }
    first = Question.objects.get(name="執行機關")
    assert [(o.text_zh, o.fraction, o.feedback_zh) for o in first.options.order_by("sort_order")] == [
        ("教育部", Decimal(1), "對"),
        ("學校", Decimal(0), "不對"),
        ("教育部與學校", Decimal("0.5"), ""),
    ]
    assert Question.objects.get(name="單向").true_is_correct is False
    assert Question.objects.get(name="單向").general_feedback_zh == "計畫補助雙向交流。"
    assert Question.objects.get(name="缺字").text_zh == "白皮書的願景是培育具 _____ 的國際化人才。"
    assert Question.objects.get(name="跳脫").text_zh == "1 = 1 { 是 } 真的嗎？"
    assert [(o.text_en, o.tolerance) for o in Question.objects.get(name="範圍").options.all()] == [
        ("12", Decimal(0)),
        ("12", Decimal(2)),
    ]
    category = first.category
    assert [c.name_en for c in category.ancestry()] == ["白皮書", "第四章"]
    assert QuestionCategory.objects.count() == 2


def test_a_bad_gift_question_stops_the_whole_import():
    bad = GIFT + "\n::壞的::沒有答案的題目。{=}\n\n::權重::錯誤權重。{~%300%甲 =乙}\n"
    report = save_import(read_gift(bad.encode()))
    assert not report.ok
    text = " ".join(report.problems)
    assert "壞的" in text and "權重" in text
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    assert not save_import(read_gift("無大括號的題目".encode())).ok
    assert not save_import(read_gift(b"\xff\xfe bad")).ok
