"""Survey data file -> Survey, with the data checks that catch a mistyped figure."""

from __future__ import annotations

from pathlib import Path

from builder.content.source import Node, parse, read_content
from builder.errors import ContentError, Gather
from builder.model.survey import ANSWERS, CHART_KINDS, ONE_SERIES_KINDS, Chart, Survey

ROUNDING = 0.05  # each value is rounded to one decimal: a sum of k values is off by at most k x 0.05


# the survey last read from each file, with the bytes it was read from: a build reads the file for
# the deck's coverage and again for the newsletter, and a watching process on every rebuild
_READ: dict[Path, tuple[bytes, Survey]] = {}


def load_survey(path: Path) -> Survey:
    """The survey of the data file `path`, read once for the same bytes (a Survey is immutable);
    a file with mistakes is read, and refused, every time."""
    raw = read_content(path)
    kept = _READ.get(path)
    if kept is not None and kept[0] == raw:
        return kept[1]
    survey = _survey(parse(path, raw))
    _READ[path] = (raw, survey)
    return survey


def _survey(root: Node) -> Survey:
    root = root.mapping(required=("survey", "charts"))
    info = root["survey"].mapping(required=("title", "organisation", "respondents", "method", "period",
                                            "period_asked", "credit", "rounding_note"))
    found = Gather()  # every chart's mistakes in one reading
    charts: dict[str, Chart] = {}
    for chart in found.each(root["charts"].items(min_items=1), lambda item: _chart(item.named("id", "chart"))):
        if chart.id in charts:
            found.errors.append(ContentError(chart.where, f"chart id '{chart.id}' is used twice; give each chart "
                                                          "its own id"))
        charts[chart.id] = chart
    found.done()
    return Survey(**{key: info[key].text() for key in ("title", "organisation", "respondents", "method",
                                                       "period", "period_asked", "credit", "rounding_note")},
                  charts=charts, where=root["survey"].where)


def _chart(node: Node) -> Chart:
    m = node.mapping(required=("id", "part", "title", "question", "n", "answers", "kind", "unit", "series",
                               "labels", "values"),
                     optional=("notes", "totals", "average", "average_label", "unknown_note", "n_note",
                               "pairing_note"))
    chart_id = m["id"].text()
    m.labelled(f"chart {chart_id}")
    n = None if m["n"].is_null() else m["n"].integer()
    if n is not None and n <= 0:
        raise m["n"].error(f"chart {chart_id}: n must be a positive whole number (or null when not known)")
    series = m["series"].texts(min_items=1)
    kind = m["kind"].choice(CHART_KINDS)
    if kind in ONE_SERIES_KINDS and len(series) > 1:
        raise m["series"].error(f"chart {chart_id}: a '{kind}' chart draws one series, but 'series' names {len(series)} "
                                f"({', '.join(series)}); to compare them side by side write kind: grouped-bars or "
                                "grouped-columns, or stacked-bars if they are parts of one whole")
    labels = m["labels"].texts(min_items=1)
    value_rows = m["values"].items()
    if len(value_rows) != len(series):
        raise m["values"].error(f"chart {chart_id}: 'values' has {len(value_rows)} list(s) but 'series' names "
                                f"{len(series)}; give one list of values per series")
    values: list[tuple[float | None, ...]] = []
    for name, row in zip(series, value_rows):
        cells = row.items()
        if len(cells) != len(labels):
            raise row.error(f"chart {chart_id}: series '{name}' has {len(cells)} values for {len(labels)} labels; "
                            "give one value per label (null where the source gives none)")
        # only shares of people can be checked against n; C4's averages cannot
        check_n = n if m["unit"].text() == "%" else None
        values.append(tuple(_value(cell, chart_id, check_n) for cell in cells))
    chart = Chart(
        id=chart_id, part=m["part"].text(), title=m["title"].text(), question=m["question"].text(), n=n,
        answers=m["answers"].choice(ANSWERS), kind=kind,
        unit=m["unit"].text(), series=tuple(series), labels=tuple(labels), values=tuple(values),
        notes=tuple(m["notes"].texts()) if "notes" in m else (),
        totals=tuple(c.number() for c in m["totals"].items()) if "totals" in m else None,
        average=m["average"].number() if "average" in m else None,
        average_label=m["average_label"].text() if "average_label" in m else "",
        unknown_note=m["unknown_note"].text() if "unknown_note" in m else "",
        n_note=m["n_note"].text() if "n_note" in m else "",
        where=node.where,
    )
    if not any(v for row in chart.values for v in row if v is not None):
        raise m["values"].error(f"chart {chart_id} has no value above 0, so there is nothing to draw; "
                                "check its values")
    _check_totals(chart, m, value_rows)
    if chart.has_unknown and not chart.unknown_note:
        raise node.error(f"chart {chart_id} has unknown (null) values; add an 'unknown_note' saying why")
    return chart


def _value(cell: Node, chart_id: str, n: int | None) -> float | None:
    value = cell.optional_number()
    if value is None:
        return None
    if value < 0:
        raise cell.error(f"chart {chart_id}: {value:g} is negative; percentages run from 0 to 100")
    if n is not None:
        if value > 100:
            raise cell.error(f"chart {chart_id}: {value:g} is over 100 %")
        k = round(value * n / 100)
        if abs(round(k / n * 100, 1) - value) > 1e-9:
            near = sorted({round(j / n * 100, 1) for j in (k - 1, k, k + 1) if 0 <= j <= n})
            raise cell.error(f"chart {chart_id}: {value:g} % is not a whole number of the {n} people asked "
                             f"(nearest possible: {', '.join(f'{v:g}' for v in near)}); check the figure in the source")
    return value


def _check_totals(chart: Chart, m, value_rows: list[Node]) -> None:
    if chart.answers == "single" and chart.unit == "%":  # whatever the kind: shares of one answer
        for name, row, node in zip(chart.series, chart.values, value_rows):
            known = [v for v in row if v is not None]
            total, slack = sum(known), max(0.1, ROUNDING * len(row))
            if len(known) == len(row) and abs(total - 100) > slack + 1e-9:
                raise node.error(f"chart {chart.id}: the single-answer values of '{name}' add up to {total:.1f}, "
                                 f"not 100 (± {slack:.2g} for rounding); check each figure, or write "
                                 "'answers: each' if every label is a question or group of its own")
    if chart.totals is not None:
        if chart.kind != "stacked-bars":
            raise m["totals"].error(f"chart {chart.id}: totals are printed only at the end of stacked bars, whose "
                                    "series are parts of one whole; write kind: stacked-bars, or remove 'totals'")
        if len(chart.totals) != len(chart.labels):
            raise m["totals"].error(f"chart {chart.id}: 'totals' needs one value per label ({len(chart.labels)})")
        for i, (total, cell) in enumerate(zip(chart.totals, m["totals"].items())):
            parts = [row[i] for row in chart.values]
            if None not in parts and abs(sum(parts) - total) > 0.1 + 1e-9:
                raise cell.error(f"chart {chart.id}: total {total:g} for '{chart.labels[i]}' is not the sum of its "
                                 f"parts ({sum(parts):.1f}); check the figures")
