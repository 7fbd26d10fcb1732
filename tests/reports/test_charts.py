import re
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import pytest
from django.utils import translation

from reports.charts import (
    HEIGHT,
    LABEL_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    Chart,
    Series,
    nice_ceiling,
    text_width,
    tick_count,
)

SVG = "{http://www.w3.org/2000/svg}"
PLOT_HEIGHT = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
BASELINE = MARGIN_TOP + PLOT_HEIGHT


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse(chart):
    return ElementTree.fromstring(str(chart.svg()))


def bars(root):
    return [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def test_a_bar_chart_is_an_accessible_image_with_bars_in_proportion():
    chart = Chart("bar", "demo", "Enrolments <per> month", ["Jan", "Feb", "Mar"], [Series("Enrolled", [5, 10, 0])])
    root = parse(chart)
    assert root.get("role") == "img"
    title_id, description_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Enrolments <per> month"  # escaped in the markup, intact when parsed
    assert root.find(f"{SVG}desc").get("id") == description_id
    heights = [float(rect.get("height")) for rect in bars(root)]
    # The scale tops at 10: the second bar fills the plot, the first half of it, the third nothing.
    assert heights == [pytest.approx(PLOT_HEIGHT / 2, abs=0.1), pytest.approx(PLOT_HEIGHT, abs=0.1), 0]
    for rect, height in zip(bars(root), heights, strict=True):
        assert float(rect.get("y")) + height == pytest.approx(BASELINE, abs=0.1)
    assert [rect.find(f"{SVG}title").text for rect in bars(root)] == [
        "Jan · Enrolled: 5",
        "Feb · Enrolled: 10",
        "Mar · Enrolled: 0",
    ]
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert {"Jan", "Feb", "Mar", "0", "10"} <= set(labels)


def test_grouped_bars_sit_side_by_side_and_a_legend_names_the_series():
    chart = Chart("bar", "funnel", "Funnel", ["Course"], [Series("Enrolled", [4]), Series("Completed", [2])])
    root = parse(chart)
    enrolled, completed = bars(root)
    assert float(completed.get("x")) == pytest.approx(float(enrolled.get("x")) + float(enrolled.get("width")), abs=0.2)
    assert float(completed.get("height")) == pytest.approx(float(enrolled.get("height")) / 2, abs=0.1)
    assert enrolled.get("fill") != completed.get("fill")
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert "Enrolled" in labels and "Completed" in labels


def test_stacked_bars_pile_up_and_the_table_has_totals():
    chart = Chart(
        "stacked", "stack", "By county", ["Taipei", "Tainan"], [Series("Beginner", [3, 1]), Series("Advanced", [1, 0])]
    )
    root = parse(chart)
    beginner_taipei, advanced_taipei, beginner_tainan, advanced_tainan = bars(root)
    # The tallest stack (4) sets the scale at 5.
    assert float(beginner_taipei.get("height")) == pytest.approx(PLOT_HEIGHT * 3 / 5, abs=0.1)
    assert float(advanced_taipei.get("y")) + float(advanced_taipei.get("height")) == pytest.approx(
        float(beginner_taipei.get("y")), abs=0.1
    )
    assert float(advanced_tainan.get("height")) == 0
    assert chart.table_rows == [("Taipei", [3, 1, 4]), ("Tainan", [1, 0, 1])]


def test_a_line_chart_draws_one_polyline_per_series_with_a_point_per_category():
    chart = Chart("line", "line", "Months", ["1", "2", "3"], [Series("A", [0, 5, 10]), Series("B", [1, 1, 1])])
    root = parse(chart)
    polylines = list(root.iter(f"{SVG}polyline"))
    assert len(polylines) == 2
    first = [tuple(map(float, point.split(","))) for point in polylines[0].get("points").split()]
    assert [y for _x, y in first] == [pytest.approx(BASELINE), pytest.approx(BASELINE - PLOT_HEIGHT / 2), MARGIN_TOP]
    assert len(list(root.iter(f"{SVG}circle"))) == 6


def test_percent_charts_scale_to_one_hundred_and_say_percent():
    chart = Chart("bar", "difficulty", "Difficulty", ["Quiz"], [Series("Correct", [Decimal("40.0")])], percent=True)
    root = parse(chart)
    (bar,) = bars(root)
    assert float(bar.get("height")) == pytest.approx(PLOT_HEIGHT * 0.4, abs=0.1)
    assert "100%" in [text.text for text in root.iter(f"{SVG}text")]
    assert bar.find(f"{SVG}title").text == "Quiz · Correct: 40%"


def test_empty_data_says_so_instead_of_drawing_nothing():
    for categories, values in (([], []), (["Jan", "Feb"], [0, None])):
        chart = Chart("bar", "empty", "Nothing", categories, [Series("Count", values)])
        root = parse(chart)
        assert chart.is_empty
        assert bars(root) == []
        assert [text.text for text in root.iter(f"{SVG}text")] == ["No data for these filters."]


def test_labels_are_translated_and_hostile_labels_are_escaped():
    chart = Chart("bar", "x", "<script>alert(1)</script>", ['"><script>'], [Series("<b>", [1])])
    markup = str(chart.svg())
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    ElementTree.fromstring(markup)
    with translation.override("zh-hant"):
        empty = str(Chart("bar", "y", "空", [], []).svg())
    assert re.search(r"<text[^>]*>這些篩選條件下沒有資料。</text>", empty)


def test_long_labels_are_shortened_and_many_categories_thinned():
    categories = [f"{month:02d} 國際教育一個非常非常長的課程名稱" for month in range(1, 61)]
    chart = Chart("bar", "many", "Many", categories, [Series("n", list(range(60)))])
    root = parse(chart)
    axis_labels = [text.text for text in root.iter(f"{SVG}text") if text.get("transform")]
    assert len(axis_labels) == 20  # every third of sixty
    assert all(text_width(label) <= LABEL_WIDTH for label in axis_labels)
    assert axis_labels[0] == "01 國際教育一個…"
    assert axis_labels[0].endswith("…")


def test_a_series_must_have_a_value_per_category_and_the_kind_must_exist():
    with pytest.raises(ValueError):
        Chart("bar", "bad", "Bad", ["a", "b"], [Series("n", [1])])
    with pytest.raises(ValueError):
        Chart("pie", "bad", "Bad", ["a"], [Series("n", [1])])


@pytest.mark.parametrize(
    ("value", "ceiling", "ticks"),
    [(0, 1, 1), (1, 1, 1), (2, 2, 2), (3, 5, 5), (7, 10, 5), (11, 20, 4), (24, 50, 5), (999, 1000, 5), (0.3, 0.5, 5)],
)
def test_the_scale_ends_on_a_round_number_with_round_ticks(value, ceiling, ticks):
    assert nice_ceiling(value) == pytest.approx(ceiling)
    assert tick_count(nice_ceiling(value)) == ticks
