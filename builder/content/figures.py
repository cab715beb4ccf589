"""Figures in prose come from the data: `{C1:発生した}` in a text prints C1's value for that label
(10.5%), so that a corrected figure changes every sentence that states it; and a percentage
typed as a literal must be a value of a chart its text shows, or the text is reported.

Placeholder syntax, inside any newsletter text:

    {C1:発生した}                      the value of a label (a unique start of the label is enough)
    {C10:発生し、会社・上司に報告した/自分の利用している端末}   series/label, for a chart with several series
    {C10:total/自分の利用している端末}  the chart's `totals` entry for a label
    {C5:ルールが制定・周知されており + ルールが制定・周知されているが + ルールが制定されているが}
                                       a sum (spaces around + and -)
    {C6:100 - 1度もルール違反を犯さなかった}   a number and a label
    {C2:n}                             how many people were asked (1,000 style)
    {C4:average}                       the chart's `average`

Percentages print with one decimal as the source gives them (10.5%, 19.0%); other units with
the unit after the number (1.4回).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.errors import ContentError, Where
from builder.model.survey import Chart

PLACEHOLDER = re.compile(r"\{([A-Za-z][\w-]*):([^{}]+)\}")
LITERAL_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[%％]")
OPERATOR = re.compile(r"\s+([+-])\s+")
TOTAL_SERIES = "total"
AVERAGE = "average"
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str


def fill(text: str, charts: dict[str, Chart], where: Where) -> str:
    """`text` with every placeholder replaced by its figure; a wrong one is reported at `where`."""
    return PLACEHOLDER.sub(lambda m: show(evaluate(m.group(1), m.group(2), charts, where)), text)


def show(figure: Figure) -> str:
    if figure.unit == "%":
        return f"{figure.value:.1f}%"
    if figure.unit == "people":
        return f"{figure.value:,.0f}"
    return f"{figure.value:g}{figure.unit}"


def evaluate(chart_id: str, expression: str, charts: dict[str, Chart], where: Where) -> Figure:
    chart = charts.get(chart_id)
    if chart is None:
        raise ContentError(where, f"{{{chart_id}:{expression}}}: there is no chart '{chart_id}' in the survey data; "
                                  f"use one of {', '.join(charts)}")
    if expression.strip() == "n":
        if chart.n is None:
            raise ContentError(where, f"{{{chart_id}:n}}: chart {chart_id} has no n (null); write the number in words")
        return Figure(float(chart.n), "people")
    parts = OPERATOR.split(f" + {expression.strip()}")  # ['', '+', term, '-', term, ...]
    total = 0.0
    for sign, term in zip(parts[1::2], parts[2::2]):
        value = _term(chart, term.strip(), where)
        total += value if sign == "+" else -value
    return Figure(round(total, 6), chart.unit)


def _term(chart: Chart, term: str, where: Where) -> float:
    try:
        return float(term)
    except ValueError:
        pass
    if term == AVERAGE:
        if chart.average is None:
            raise ContentError(where, f"{{{chart.id}:{term}}}: chart {chart.id} has no 'average'")
        return chart.average
    series_name, _, label_text = term.rpartition("/") if "/" in term else ("", "", term)
    if series_name == TOTAL_SERIES:
        if chart.totals is None:
            raise ContentError(where, f"{{{chart.id}:{term}}}: chart {chart.id} has no 'totals'")
        row = chart.totals
    else:
        row = chart.values[_series_index(chart, series_name, term, where)]
    value = row[_label_index(chart, label_text.strip(), term, where)]
    if value is None:
        raise ContentError(where, f"{{{chart.id}:{term}}}: the source gives no value for this label, so the text "
                                  "cannot state one; say it is unknown in words")
    return value


def _series_index(chart: Chart, name: str, term: str, where: Where) -> int:
    if not name:
        if len(chart.series) > 1:
            raise ContentError(where, f"{{{chart.id}:{term}}}: chart {chart.id} has {len(chart.series)} series; "
                                      f"write series/label with one of: {', '.join(chart.series)} (or total)")
        return 0
    if name not in chart.series:
        raise ContentError(where, f"{{{chart.id}:{term}}}: chart {chart.id} has no series '{name}'; "
                                  f"use one of: {', '.join(chart.series)}")
    return chart.series.index(name)


def _label_index(chart: Chart, text: str, term: str, where: Where) -> int:
    if text in chart.labels:
        return chart.labels.index(text)
    matches = [i for i, label in enumerate(chart.labels) if label.startswith(text)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ContentError(where, f"{{{chart.id}:{term}}}: '{text}' starts {len(matches)} labels of chart "
                                  f"{chart.id} ({'; '.join(chart.labels[i] for i in matches)}); write more of it")
    raise ContentError(where, f"{{{chart.id}:{term}}}: chart {chart.id} has no label '{text}'; "
                              f"its labels are: {'; '.join(chart.labels)}")


def chart_values(charts: list[Chart]) -> set[float]:
    """Every figure the charts print: values, totals and averages."""
    values: set[float] = set()
    for chart in charts:
        values.update(v for row in chart.values for v in row if v is not None)
        values.update(chart.totals or ())
        if chart.average is not None:
            values.add(chart.average)
    return values


def check_literals(text: str, charts: list[Chart], where: Where, what: str) -> None:
    """A percentage typed into `text` (outside placeholders) must be a value of one of `charts`,
    the charts the text shows; otherwise it has gone stale or was never in the data. A text that
    shows no chart (the lead, a part's summary) cannot be checked that way: its percentages must
    be placeholders."""
    known = chart_values(charts)
    for match in LITERAL_PERCENT.finditer(PLACEHOLDER.sub("", text)):
        value = float(match.group(1))
        if value == 100 or any(abs(value - v) < TOLERANCE for v in known):
            continue
        if not charts:
            raise ContentError(where, f"{what}: '{match.group(0)}' is typed in; this text shows no chart to check it "
                                      "against, so write it as a placeholder such as {C1:発生した} that takes the "
                                      "figure from the data")
        ids = ", ".join(c.id for c in charts)
        raise ContentError(where, f"{what}: '{match.group(0)}' is no value of chart {ids}; write the figure as a "
                                  f"placeholder such as {{{charts[0].id}:{charts[0].labels[0]}}} so that it comes "
                                  "from the data, or correct it")
