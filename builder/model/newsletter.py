"""The newsletter: masthead, parts and findings, and which chart goes where."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.errors import Where
from builder.model.deck import Card
from builder.model.survey import Survey


@dataclass(frozen=True)
class KeyFigure:
    value: str
    sub: str
    label: str
    chart: str
    where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class Finding:
    heading: str
    text: str
    charts: tuple[str, ...] = ()
    focus: tuple[str, ...] = ()  # the categories (labels or series of its charts) the finding is about
    link: Link | None = None
    cards: tuple[Card, ...] = ()  # cards shown at actual size
    cards_caption: str = ""
    cards_face: str = "picture"  # which face of the cards: picture (取り札) or reading (読み札)
    where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Words:
    """The small fixed words printed around the figures, kept in the content like all text."""

    overview: tuple[tuple[str, str], ...]  # (label, field of the survey) in print order
    credit_label: str
    unknown_value: str
    unknown_mark: str
    note_prefix: str
    single: str  # printed after n: how the question was answered
    multiple: str


@dataclass(frozen=True)
class KeyVisual:
    """The cover's iceberg: a chart's first series summed above the waterline, its second below."""

    chart: str
    title: str
    above: str  # label of the part above the water (the first series)
    below: str  # label of the part below it (the second series)
    caption: str
    where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Action:
    """One thing to do from today, with the deck's card it comes from (when the issue has a deck)."""

    text: str
    card: Card | None = None


@dataclass(frozen=True)
class Closing:
    """The issue's ending: what to do from today, the colophon, and whom to ask in the company."""

    title: str
    intro: str
    actions: tuple[Action, ...]
    colophon: tuple[tuple[str, str], ...]  # (label, text) rows: 発行, 発行日, 出典
    contact_title: str
    contact: str
    where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    summary: str
    intro: str
    findings: tuple[Finding, ...]
    where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Newsletter:
    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    name: str
    issuer: str
    date: str
    issue: str
    headline: str
    lead: str
    key_figures: tuple[KeyFigure, ...]
    summary_title: str
    overview_title: str
    words: Words
    parts: tuple[Part, ...]
    footer: str
    survey: Survey
    closing: Closing | None = None
    key_visual: KeyVisual | None = None
    issued_epoch: int | None = None  # the issue date (content: masthead.issued) as seconds since 1970, UTC
    where: dict[str, Where] = field(default_factory=dict, compare=False, repr=False)
