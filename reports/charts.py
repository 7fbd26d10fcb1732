"""Small server-side SVG charts: bar (one or more series side by side), stacked bar and line.

Charts are drawn on the server so that they need no JavaScript, work offline and satisfy a strict content
security policy. Each chart is an image with a title and a description for assistive technology; its numbers are
also offered as a table (``Chart.rows``) that the templates show behind a ``<details>`` toggle.
"""

import math
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
HEIGHT = 380
MARGIN_LEFT = 72
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 130
# Dark enough to reach 3:1 against white (WCAG 1.4.11, non-text contrast), distinguishable by most colour-blind
# readers; the legend and the data table carry the same information in words.
PALETTE = ("#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#be185d", "#0e7490", "#4b5563")
TEXT_COLOUR = "#1f2937"
GRID_COLOUR = "#d1d5db"
# Axis labels are slanted; past this width (in pixels at 12 px) they would run into the legend or off the image.
LABEL_WIDTH = 100


@dataclass
class Series:
    label: str
    values: list


@dataclass
class Chart:
    """What a chart shows: categories along the x axis and one value per category in each series."""

    kind: str
    slug: str
    title: str
    categories: list[str]
    series: list[Series]
    description: str = ""
    percent: bool = False
    rows: list = field(init=False)

    KINDS = ("bar", "stacked", "line")

    def __post_init__(self):
        if self.kind not in self.KINDS:
            raise ValueError(f"Unknown chart kind {self.kind!r}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"Series {series.label!r} has {len(series.values)} values for {len(self.categories)} categories"
                )
        self.rows = [
            (category, [series.values[index] for series in self.series])
            for index, category in enumerate(self.categories)
        ]

    @property
    def is_empty(self) -> bool:
        return not any(number(value) for series in self.series for value in series.values)

    @property
    def show_totals(self) -> bool:
        return self.kind == "stacked" and len(self.series) > 1

    @property
    def table_rows(self):
        """The rows of the data table, with a total column for stacked charts."""
        if not self.show_totals:
            return self.rows
        return [(category, [*values, sum(number(value) for value in values)]) for category, values in self.rows]

    @property
    def scale_maximum(self) -> float:
        if self.percent:
            return 100.0
        if self.kind == "stacked":
            totals = [sum(number(value) for value in values) for _category, values in self.rows]
        else:
            totals = [number(value) for series in self.series for value in series.values]
        return nice_ceiling(max(totals, default=0))

    def svg(self) -> str:
        return render_svg(self)


def number(value) -> float:
    return 0.0 if value is None else float(value)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 5, 10) if value <= step * magnitude)


def tick_count(maximum: float) -> int:
    """How many steps the y axis has, so that each tick is a round number (whole for small counts)."""
    if maximum == int(maximum) and maximum <= 5:
        return max(int(maximum), 1)
    leading = maximum / 10 ** math.floor(math.log10(maximum))
    return 4 if round(leading) == 2 else 5


def format_value(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def text_width(text: str) -> int:
    """Roughly how wide text is at 12 px: CJK characters are square, Latin ones about half as wide."""
    return sum(12 if ord(character) > 0x2E80 else 7 for character in text)


def shorten(label) -> str:
    label = str(label)
    if text_width(label) <= LABEL_WIDTH:
        return label
    while text_width(label + "…") > LABEL_WIDTH:
        label = label[:-1]
    return label + "…"


def render_svg(chart: Chart) -> str:
    title_id = f"chart-{chart.slug}-title"
    description_id = f"chart-{chart.slug}-description"
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{} {}" font-family="system-ui, sans-serif" font-size="12">'
            '<title id="{}">{}</title><desc id="{}">{}</desc>',
            WIDTH,
            HEIGHT,
            title_id,
            description_id,
            title_id,
            chart.title,
            description_id,
            chart.description or summary(chart),
        )
    ]
    if chart.is_empty:
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="16">{}</text>',
                WIDTH // 2,
                HEIGHT // 2,
                TEXT_COLOUR,
                _("No data for these filters."),
            )
        )
        parts.append("</svg>")
        return mark_safe("".join(parts))
    parts.extend(axes(chart))
    if chart.kind == "line":
        parts.extend(lines(chart))
    else:
        parts.extend(bars(chart))
    parts.extend(legend(chart))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def summary(chart: Chart) -> str:
    return _("%(title)s: %(categories)s categories, %(series)s series. The numbers are in the table below.") % {
        "title": chart.title,
        "categories": len(chart.categories),
        "series": len(chart.series),
    }


def plot_height() -> int:
    return HEIGHT - MARGIN_TOP - MARGIN_BOTTOM


def band_width(chart: Chart) -> float:
    return (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(len(chart.categories), 1)


def y_for(value: float, maximum: float) -> float:
    return MARGIN_TOP + plot_height() - plot_height() * value / maximum


def axes(chart: Chart):
    maximum = chart.scale_maximum
    baseline = MARGIN_TOP + plot_height()
    ticks = tick_count(maximum)
    for tick in range(ticks + 1):
        value = maximum * tick / ticks
        y = round(y_for(value, maximum), 1)
        yield format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
            '<text x="{}" y="{}" text-anchor="end" fill="{}">{}{}</text>',
            MARGIN_LEFT,
            WIDTH - MARGIN_RIGHT,
            y,
            y,
            GRID_COLOUR,
            MARGIN_LEFT - 6,
            y + 4,
            TEXT_COLOUR,
            format_value(value),
            "%" if chart.percent else "",
        )
    band = band_width(chart)
    # Every label when they fit, otherwise every n-th so that they do not overlap.
    step = max(1, math.ceil(len(chart.categories) / 24))
    for index, category in enumerate(chart.categories):
        if index % step:
            continue
        x = round(MARGIN_LEFT + band * (index + 0.5), 1)
        yield format_html(
            '<text x="{}" y="{}" text-anchor="end" fill="{}" transform="rotate(-40 {} {})">{}</text>',
            x,
            baseline + 14,
            TEXT_COLOUR,
            x,
            baseline + 14,
            shorten(category),
        )
    yield format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5"/>',
        MARGIN_LEFT,
        WIDTH - MARGIN_RIGHT,
        baseline,
        baseline,
        TEXT_COLOUR,
    )


def bars(chart: Chart):
    maximum = chart.scale_maximum
    band = band_width(chart)
    inner = band * 0.8
    baseline = MARGIN_TOP + plot_height()
    for index, (category, values) in enumerate(chart.rows):
        left = MARGIN_LEFT + band * index + (band - inner) / 2
        stacked_top = baseline
        for position, value in enumerate(values):
            height = plot_height() * number(value) / maximum
            if chart.kind == "stacked":
                x, width, y = left, inner, stacked_top - height
                stacked_top = y
            else:
                width = inner / len(values)
                x, y = left + width * position, baseline - height
            yield format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                round(x, 1),
                round(y, 1),
                round(width, 1),
                round(height, 1),
                PALETTE[position % len(PALETTE)],
                tooltip(category, chart.series[position].label, value, chart.percent),
            )


def lines(chart: Chart):
    maximum = chart.scale_maximum
    band = band_width(chart)
    for position, series in enumerate(chart.series):
        colour = PALETTE[position % len(PALETTE)]
        points = [
            (round(MARGIN_LEFT + band * (index + 0.5), 1), round(y_for(number(value), maximum), 1))
            for index, value in enumerate(series.values)
        ]
        yield format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
            " ".join(f"{x},{y}" for x, y in points),
            colour,
        )
        for (x, y), category, value in zip(points, chart.categories, series.values, strict=True):
            yield format_html(
                '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}</title></circle>',
                x,
                y,
                colour,
                tooltip(category, series.label, value, chart.percent),
            )


def tooltip(category, series_label, value, percent) -> str:
    return f"{category} · {series_label}: {format_value(number(value))}{'%' if percent else ''}"


def legend(chart: Chart):
    if len(chart.series) < 2 and chart.kind != "line":
        return
    x = MARGIN_LEFT
    y = HEIGHT - 14
    for position, series in enumerate(chart.series):
        label = shorten(series.label)
        yield format_html(
            '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" fill="{}">{}</text>',
            x,
            y - 10,
            PALETTE[position % len(PALETTE)],
            x + 16,
            y,
            TEXT_COLOUR,
            label,
        )
        x += 28 + text_width(label)
