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
    link: Link | None = None
    cards: tuple[Card, ...] = ()  # picture cards shown at actual size
    cards_caption: str = ""
    where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Words:
    """The small fixed words printed around the figures, kept in the content like all text."""

    overview: tuple[tuple[str, str], ...]  # (label, field of the survey) in print order
    credit_label: str
    unknown_value: str
    unknown_mark: str
    note_prefix: str


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
    where: dict[str, Where] = field(default_factory=dict, compare=False, repr=False)
