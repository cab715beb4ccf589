"""Survey data: charts with their exact figures, as the source gives them."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.errors import Where

CHART_KINDS = ("pie", "bars", "stacked", "stacked-bars", "columns", "grouped-bars", "grouped-columns")
ONE_SERIES_KINDS = ("pie", "bars", "stacked", "columns")  # the others draw every series they are given
# single: one answer per person, the labels are its answers (a series adds up to 100 %);
# multiple: several answers per person; each: every label is a question or group of its own.
ANSWERS = ("single", "multiple", "each")


@dataclass(frozen=True)
class Chart:
    id: str
    part: str
    title: str
    question: str
    n: int | None
    answers: str  # single | multiple | each (see ANSWERS)
    kind: str  # one of CHART_KINDS
    unit: str
    series: tuple[str, ...]
    labels: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]  # one tuple per series; None = the source gives no value
    notes: tuple[str, ...] = ()
    totals: tuple[float, ...] | None = None
    average: float | None = None
    average_label: str = ""
    unknown_note: str = ""
    n_note: str = ""
    where: Where | None = field(default=None, compare=False, repr=False)

    @property
    def has_unknown(self) -> bool:
        return any(v is None for row in self.values for v in row)


@dataclass(frozen=True)
class Survey:
    title: str
    organisation: str
    respondents: str
    method: str
    period: str
    period_asked: str
    credit: str
    rounding_note: str
    charts: dict[str, Chart]
    where: Where | None = field(default=None, compare=False, repr=False)
