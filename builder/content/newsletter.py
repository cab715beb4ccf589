"""A newsletter text (content/newsletter.yaml, or any other named on the command line) and the
survey data it names -> Newsletter."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Callable

from builder.content.paths import content_path
from builder.content.source import Node, find_text, load
from builder.content.deck import DECK_FILE, load_deck
from builder.content.figures import check_literals, fill
from builder.content.survey import load_survey
from builder.errors import ContentError, Gather, Where
from builder.model.deck import Card, Deck
from builder.model.newsletter import Action, Closing, KeyVisual, Finding, KeyFigure, Link, Newsletter, Part, Words
from builder.model.theme import Theme
from builder.paths import Project

NEWSLETTER_FILE = "newsletter.yaml"
MAX_URL_BYTES = 300  # a QR code of this much data still has modules of 1/3 mm at the newsletter's size
SURVEY_FIELDS = ("title", "organisation", "respondents", "method", "period", "period_asked")


def load_newsletter(project: Project, theme: Theme, path: Path | None = None, *,
                    deck_mistakes: list[ContentError] | None = None,
                    read_deck: Callable[[], Deck] | None = None) -> Newsletter:
    """`deck_mistakes`: where the named deck's mistakes go instead of stopping the newsletter
    (build check reports them with the deck's and reads on without its cards). `read_deck`:
    the project's deck as the caller has read it or will (karuta.yaml is then read once)."""
    path = path or project.content / NEWSLETTER_FILE
    root = load(path).mapping(required=("data", "meta", "masthead", "headline", "lead", "key_figures",
                                        "summary_title", "overview_title", "words", "parts", "footer"),
                              optional=("deck", "closing", "key_visual"))
    survey = load_survey(content_path(project, root["data"]))  # the prose's placeholders need its charts
    found = Gather()  # every part's, figure's and section's mistakes in one reading
    deck = found if deck_mistakes is None else Gather(deck_mistakes)
    cards = deck.attempt(lambda: _deck_cards(project, theme, root, read_deck))  # None: the deck could not be read
    meta = root["meta"].mapping(required=("title", "subject", "author"), optional=("keywords",))
    mast = root["masthead"].mapping(required=("name", "issuer", "date", "issue"), optional=("issued",))
    figures = tuple(found.each(root["key_figures"].items(min_items=1), lambda node: _key_figure(node, survey.charts)))
    parts = tuple(found.each(root["parts"].items(min_items=1),
                             lambda node: _part(node.named("id", "part"), survey.charts, cards)))
    prose = {key: found.attempt(lambda key=key: _prose(root[key], [], survey.charts, key))
             for key in ("headline", "lead")}
    words = found.attempt(lambda: _words(root["words"]))
    closing = found.attempt(lambda: _closing(root["closing"], cards)) if "closing" in root else None
    key_visual = found.attempt(lambda: _key_visual(root["key_visual"], survey.charts)) if "key_visual" in root else None
    issued = found.attempt(lambda: _issued(mast["issued"])) if "issued" in mast else None
    if not found.errors:
        found.attempt(lambda: _check_placement(parts, survey.charts, root["parts"]))
        found.attempt(lambda: _check_chart_parts(parts, survey.charts))
    found.done()
    return Newsletter(
        title=meta["title"].text(), subject=meta["subject"].text(), author=meta["author"].text(),
        keywords=tuple(meta["keywords"].texts()) if "keywords" in meta else (),
        name=mast["name"].text(), issuer=mast["issuer"].text(), date=mast["date"].text(),
        issue=mast["issue"].text(), headline=prose["headline"], lead=prose["lead"],
        key_figures=figures, summary_title=root["summary_title"].text(),
        overview_title=root["overview_title"].text(), words=words,
        parts=parts, footer=root["footer"].text(),
        survey=survey, closing=closing, key_visual=key_visual, issued_epoch=issued,
        where={key: root[key].where for key in ("headline", "lead", "footer", "summary_title", "overview_title",
                                                "words")}
        | {key: mast[key].where for key in ("name", "issuer", "date", "issue")}
        | {key: meta[key].where for key in ("title", "subject", "author")}
        | {"keywords": meta["keywords"].where if "keywords" in meta else root["meta"].where},
    )


def where_text(doc: Newsletter, text: str) -> Where:
    """Where in the content the first text holding `text` (a character, or a line as laid out)
    comes from; a figure is found in its chart. Used to place what layout reports."""
    fallback = doc.where.get("headline", Where(Path(NEWSLETTER_FILE)))
    found = _find(doc, text.strip(), fallback)
    if found is not None:
        return found
    for chart in doc.survey.charts.values():
        if any(f"{value:g}" in text for row in chart.values for value in row if value is not None):
            return chart.where or fallback
    return fallback


def where_char(doc: Newsletter, char: str) -> Where:
    """Where the first value holding `char` is written: in the newsletter text, else its survey
    data, else the deck whose cards it shows; a character the fonts lack is named at its field."""
    deck = next((card.where["card"].path for card in _cards(doc) if "card" in card.where), None)
    files = (doc.where["headline"].path, doc.survey.where.path if doc.survey.where else None, deck)
    found = (find_text(path, char) for path in dict.fromkeys(files) if path is not None)
    return next((where for where in found if where is not None), None) or where_text(doc, char)


def _cards(doc: Newsletter) -> list[Card]:
    shown = [card for part in doc.parts for finding in part.findings for card in finding.cards]
    return shown + [action.card for action in doc.closing.actions if action.card] if doc.closing else shown


def _find(obj: object, text: str, where: Where) -> Where | None:
    if isinstance(obj, str):
        return where if text and text in obj else None
    if isinstance(obj, (tuple, list)):
        return next((w for item in obj if (w := _find(item, text, where)) is not None), None)
    if isinstance(obj, dict):
        return next((w for item in obj.values() if (w := _find(item, text, where)) is not None), None)
    if not dataclasses.is_dataclass(obj):
        return None
    own = getattr(obj, "where", None)
    for item in dataclasses.fields(obj):
        if item.name == "where":
            continue
        here = own.get(item.name, where) if isinstance(own, dict) else own if isinstance(own, Where) else where
        found = _find(getattr(obj, item.name), text, here)
        if found is not None:
            return found
    return None


def _chart_ref(node: Node, charts: dict) -> str:
    chart_id = node.text()
    if chart_id not in charts:
        raise node.error(f"there is no chart '{chart_id}' in the survey data{_options(charts)}")
    return chart_id


def _options(charts: dict) -> str:
    return f"; use one of {', '.join(charts)}"


def _prose(node: Node, shown: list, charts: dict, what: str) -> str:
    """A text with its placeholders filled from the data, once every percentage typed in as a
    literal is found to be a value of the charts it goes with (`shown`; none: placeholders only)."""
    text = node.text()
    check_literals(text, shown, node.where, what)
    return fill(text, charts, node.where)


def _key_figure(node: Node, charts: dict) -> KeyFigure:
    """A key figure's numbers must be its chart's: write them as placeholders ({C1:発生した})."""
    m = node.mapping(required=("value", "label", "chart"), optional=("sub",)).labelled("key figure")
    chart_id = _chart_ref(m["chart"], charts)
    shown = [charts[chart_id]]
    what = f"key figure ({chart_id})"
    return KeyFigure(value=_prose(m["value"], shown, charts, what),
                     sub=_prose(m["sub"], shown, charts, what) if "sub" in m else "",
                     label=_prose(m["label"], shown, charts, what), chart=chart_id,
                     where=node.where)


def _words(node: Node) -> Words:
    m = node.mapping(required=("overview", "credit_label", "unknown_value", "unknown_mark", "note_prefix",
                               "answers"))
    answers = m["answers"].mapping(required=("single", "multiple"))
    overview = m["overview"].mapping(optional=SURVEY_FIELDS)
    return Words(overview=tuple((overview[key].text(), key) for key in overview.keys()),
                 credit_label=m["credit_label"].text(), unknown_value=m["unknown_value"].text(),
                 unknown_mark=m["unknown_mark"].text(), note_prefix=m["note_prefix"].text(),
                 single=answers["single"].text(), multiple=answers["multiple"].text())


def _deck_cards(project: Project, theme: Theme, root, read_deck: Callable[[], Deck] | None) -> dict[str, Card]:
    """The deck's cards by kana, when the newsletter names a deck to show cards from."""
    if "deck" not in root:
        return {}
    deck_file = content_path(project, root["deck"])
    if deck_file.name != DECK_FILE or deck_file.parent != project.content.resolve():
        raise root["deck"].error(f"the deck is content/{DECK_FILE}; name that file")
    deck = read_deck() if read_deck else load_deck(project, theme)
    return {card.kana: card for card in deck.cards}


def _part(node: Node, charts: dict, cards: dict[str, Card] | None) -> Part:
    m = node.mapping(required=("id", "title", "summary", "intro", "findings"))
    part_id = m["id"].text()
    m.labelled(f"part {part_id}")
    found = Gather()
    findings = tuple(found.each(m["findings"].items(min_items=1), lambda f: _finding(f, charts, cards, part_id)))
    texts = {key: found.attempt(lambda key=key: _prose(m[key], [], charts, f"part {part_id} {key}"))
             for key in ("title", "summary", "intro")}
    found.done()
    return Part(id=part_id, **texts, findings=findings, where=node.where)


def _finding(node: Node, charts: dict, cards: dict[str, Card] | None, part_id: str) -> Finding:
    m = node.mapping(required=("heading", "text"), optional=("charts", "focus", "link", "cards", "cards_caption",
                                                                 "cards_face"))
    m.labelled(f"{part_id} finding")
    shown = []
    for item in m["cards"].items() if "cards" in m and cards is not None else ():
        kana = item.text()
        if not cards:
            raise item.error("cards are shown from the deck: add 'deck: karuta.yaml' at the top of the file")
        if kana not in cards:
            raise item.error(f"there is no card '{kana}' in the deck; name a card by its kana")
        shown.append(cards[kana])
    link = None
    if "link" in m:
        lm = m["link"].mapping(required=("url", "label"))
        url = lm["url"].text()
        if not url.startswith(("https://", "http://")):
            raise lm["url"].error(f"'{url}' is not a web address; start it with https://")
        if len(url.encode()) > MAX_URL_BYTES:
            raise lm["url"].error(f"the address is {len(url.encode())} bytes long; its printed QR code can be scanned "
                                  f"only up to {MAX_URL_BYTES} bytes, so use a shorter address (a short link)")
        link = Link(url=url, label=lm["label"].text())
    refs = tuple(_chart_ref(c, charts) for c in m["charts"].items()) if "charts" in m else ()
    focus = []
    for item in m["focus"].items() if "focus" in m else ():
        name = item.text()
        known = [name for chart_id in refs for name in charts[chart_id].labels + charts[chart_id].series]
        if name not in known:
            raise item.error(f"'{name}' is not a label or series of this finding's charts; copy it from the "
                             "survey data exactly")
        focus.append(name)
    figures = [charts[c] for c in refs] or list(charts.values())  # no chart: any figure of the survey
    what = f"{part_id} finding"
    return Finding(heading=_prose(m["heading"], figures, charts, what), text=_prose(m["text"], figures, charts, what),
                   charts=refs, focus=tuple(focus), link=link, cards=tuple(shown),
                   cards_caption=m["cards_caption"].text() if "cards_caption" in m else "",
                   cards_face=m["cards_face"].choice(("picture", "reading")) if "cards_face" in m else "picture",
                   where=node.where)


def _issued(node: Node) -> int:
    """The issue date, written 2021-12-01, as the PDF's creation date (midnight UTC)."""
    text = str(getattr(node.node, "value", ""))  # the written text: YAML would read it as a date object
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise node.error(f"'{text}' is not a date; write the issue date as 2021-12-01") from None
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).timestamp())


def _key_visual(node: Node, charts: dict) -> KeyVisual:
    m = node.mapping(required=("chart", "title", "above", "below", "caption")).labelled("key visual")
    chart_id = _chart_ref(m["chart"], charts)
    if len(charts[chart_id].series) != 2:
        raise m["chart"].error(f"the key visual needs a chart with two series (above and below the waterline); "
                               f"chart {chart_id} has {len(charts[chart_id].series)}")
    return KeyVisual(chart=chart_id, title=m["title"].text(), above=m["above"].text(), below=m["below"].text(),
                     caption=m["caption"].text(), where=node.where)


def _closing(node: Node, cards: dict[str, Card] | None) -> Closing:
    m = node.mapping(required=("title", "actions", "colophon", "contact"), optional=("intro",)).labelled("closing")
    actions = []
    for item in m["actions"].items(min_items=1):
        a = item.mapping(required=("text",), optional=("card",)).labelled("closing action")
        card = None
        if "card" in a and cards is not None:
            kana = a["card"].text()
            if not cards:
                raise a["card"].error("actions name cards from the deck: add 'deck: karuta.yaml' at the top of the file")
            if kana not in cards:
                raise a["card"].error(f"there is no card '{kana}' in the deck; name a card by its kana")
            card = cards[kana]
        actions.append(Action(a["text"].text(), card))
    colophon = []
    for row in m["colophon"].items(min_items=1):
        r = row.mapping(required=("label", "text")).labelled("colophon row")
        colophon.append((r["label"].text(), r["text"].text()))
    contact = m["contact"].mapping(required=("title", "text")).labelled("contact")
    return Closing(title=m["title"].text(), intro=m["intro"].text() if "intro" in m else "", actions=tuple(actions),
                   colophon=tuple(colophon), contact_title=contact["title"].text(), contact=contact["text"].text(),
                   where=node.where)


def _check_chart_parts(parts: tuple[Part, ...], charts: dict) -> None:
    """A chart's `part` names a part of this newsletter (a typo would otherwise go unseen)."""
    ids = [part.id for part in parts]
    for chart in charts.values():
        if chart.part not in ids:
            raise ContentError(chart.where, f"chart {chart.id}: part '{chart.part}' is not a part of the newsletter; "
                                            f"use one of {', '.join(ids)}")


def _check_placement(parts: tuple[Part, ...], charts: dict, parts_node: Node) -> None:
    seen: dict[str, Finding] = {}
    for part in parts:
        for finding in part.findings:
            for chart_id in finding.charts:
                if chart_id in seen:
                    raise ContentError(finding.where, f"chart {chart_id} is placed twice; keep it in one finding")
                seen[chart_id] = finding
    missing = [chart_id for chart_id in charts if chart_id not in seen]
    if missing:
        raise parts_node.error(f"chart(s) {', '.join(missing)} are not placed in any finding; add each to a "
                               "finding's 'charts' list")
