"""content/karuta.yaml -> Deck, with the rules that keep a deck playable."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Callable

from builder.content.paths import content_path
from builder.content.source import Mapping, Node, did_you_mean, load
from builder.content.survey import load_survey
from builder.errors import ContentError, Gather, Where, display_path
from builder.layout import art
from builder.model.deck import KANA, Art, Card, Deck, PlaySheet
from builder.model.theme import Theme
from builder.paths import DECK_FILE, Project
from builder.text.ruby import RubyError, align_ruby

SLOGAN_MAX = 30
EXPLANATION_RANGE = (80, 120)
KEYWORD_MAX = 10
OTHER_LABEL = "その他"
MAX_PROPS = 2
ART_FIX = "put back the shipped file (tools/vendor_art.py writes it) or remove the project's own copy"


def art_names(path: Path) -> frozenset[str]:
    """The pieces the art file holds (tools/vendor_art.py vendors those the deck names); a
    damaged file is named at its line, not met deep in a layout."""
    try:
        return frozenset(art.library(path))
    except art.ArtDamaged as err:
        raise ContentError(Where(path, err.line, err.column), f"the art file {err}; {ART_FIX}") from None


def illustration_names(project: Project) -> list[str]:
    """The art pieces a card's `art` may name (what `build list art` prints)."""
    return sorted(art_names(project.art_library))


def load_deck(project: Project, theme: Theme) -> Deck:
    path = project.content / DECK_FILE
    root = load(path).mapping(required=("deck", "cards"), optional=("survey_coverage",))
    info = root["deck"].mapping(required=("title", "subtitle", "play_sheet"), optional=("survey",))
    nodes = root["cards"].items()
    _check_duplicates(nodes)
    found = Gather()  # every card's mistakes, the play sheet's and the coverage's, in one reading
    library = project.art_library
    # the art file's names made once for the deck, not once per card (a set of all its pieces);
    # a damaged file is not kept, so each card still says so, as before
    known = cache(lambda: art_names(library))
    cards = tuple(found.each(nodes, lambda node: _card(node.named("kana", "card"), library, known, theme)))
    if len(cards) == len(nodes):
        found.attempt(lambda: _check_kana(cards, root["cards"]))
    kana, coverage = {node.peek("kana") for node in nodes}, {}
    if kana >= set(KANA):  # else the card or kana mistakes already told would be told again as coverage's
        coverage = found.attempt(lambda: _deck_coverage(project, root, info, kana), {})
    title, subtitle = found.attempt(lambda: (info["title"].text(), info["subtitle"].text()), ("", ""))
    play_sheet, sheet_where = found.attempt(lambda: _play_sheet(info), (None, {}))
    found.done()
    where = {"title": info["title"].where, "subtitle": info["subtitle"].where, **sheet_where}
    return Deck(title=title, subtitle=subtitle, play_sheet=play_sheet, cards=cards, coverage=coverage, where=where)


def _play_sheet(info: Mapping) -> tuple[PlaySheet, dict[str, Where]]:
    """The play sheet, and where its texts are (its title, intro, closing and each step)."""
    sheet = info["play_sheet"].mapping(required=("title", "intro", "steps", "closing"))
    steps = sheet["steps"].items(min_items=1)
    where = {f"play_sheet {key}": sheet[key].where for key in ("title", "intro", "closing")}
    where |= {f"step {i}": step.where for i, step in enumerate(steps, 1)}
    return PlaySheet(title=sheet["title"].text(), intro=sheet["intro"].text(), steps=tuple(s.text() for s in steps),
                     closing=sheet["closing"].text(), where=info["play_sheet"].where), where


def _deck_coverage(project: Project, root: Mapping, info: Mapping, kana: set[str | None]) -> dict[str, dict[str, str]]:
    if "survey_coverage" not in root:
        return {}
    if "survey" not in info:
        raise root["survey_coverage"].error("survey_coverage names categories of a survey: add 'survey: <its data "
                                            "file>' under deck:, or remove survey_coverage")
    survey = load_survey(content_path(project, info["survey"]))
    return _coverage(root["survey_coverage"], survey.charts, kana)


def _card(node: Node, library: Path, names: Callable[[], frozenset[str]], theme: Theme) -> Card:
    m = node.mapping(required=("kana", "slogan", "reading", "explanation", "topic", "keyword", "art"),
                     optional=("picture", "action"))
    kana = m["kana"].text()
    what = f"card '{kana}'"
    m.labelled(what)
    if kana not in KANA:
        raise m["kana"].error(f"{what}: kana must be one basic hiragana (あ to ん), not '{kana}'")
    slogan, reading, explanation = m["slogan"].text(), m["reading"].text(), m["explanation"].text()
    keyword = m["keyword"].text()
    if len(slogan) > SLOGAN_MAX:
        raise m["slogan"].error(f"{what}: slogan has {len(slogan)} characters; keep it to {SLOGAN_MAX} or fewer")
    low, high = EXPLANATION_RANGE
    if len(explanation) > high:
        raise m["explanation"].error(f"{what}: explanation has {len(explanation)} characters; "
                                     f"keep it to {high} or fewer")
    if len(explanation) < low:
        raise m["explanation"].error(f"{what}: explanation has {len(explanation)} characters; "
                                     f"write at least {low}")
    if len(keyword) > KEYWORD_MAX or len(keyword.split()) > 3:
        raise m["keyword"].error(f"{what}: keyword '{keyword}' is too long; use one to three words, "
                                 f"{KEYWORD_MAX} characters at most")
    bad = next((c for c in reading if not ("\u3041" <= c <= "\u3096" or c in "ー ")), None)
    if bad is not None:
        raise m["reading"].error(f"{what}: reading must be written in hiragana, but it has '{bad}'")
    if _base(reading[0]) != kana:
        raise m["reading"].error(f"{what}: reading starts with '{reading[0]}'; it must start with '{kana}' "
                                 "(or its voiced form, such as が for か)")
    try:
        align_ruby(slogan, reading)
    except RubyError as err:
        raise m["reading"].error(f"{what}: {err}") from None
    art = _art(m["art"], what, library, names, theme)
    return Card(kana=kana, slogan=slogan, reading=reading, explanation=explanation, topic=m["topic"].text(),
                keyword=keyword, art=art,
                picture=m["picture"].text() if "picture" in m else "",
                action=m["action"].text() if "action" in m else "",
                where={key: m[key].where for key in m.keys()} | {"card": node.where})


def _art(node: Node, what: str, library: Path, names: Callable[[], frozenset[str]], theme: Theme) -> Art:
    """The card's pieces, each checked against the art file, and its two colours."""
    table = node.mapping(required=("main", "background", "colour"), optional=("props",)).labelled(f"{what} art")
    known = names()

    def piece(item: Node) -> str:
        name = item.text()
        if name not in known:
            raise item.error(f"{what}: there is no art piece '{name}'{did_you_mean(name, sorted(known))}; "
                             f"pieces are named as in Fluent Emoji (see assets/SOURCES.md)")
        try:
            art.piece(library, name)  # read now, so that a damaged piece is named at the card that draws it
        except art.ArtDamaged as err:
            raise item.error(f"{what}: the art file {display_path(library)} {err}; {ART_FIX}") from None
        return name

    props = tuple(piece(item) for item in table["props"].items()) if "props" in table else ()
    if len(props) > MAX_PROPS:
        raise table["props"].error(f"{what}: art has {len(props)} props; give at most {MAX_PROPS}, "
                                   "so that the main piece stays the subject")
    return Art(main=piece(table["main"]), props=props,
               background=theme.colours[table["background"].choice(theme.colours)],
               colour=theme.colours[table["colour"].choice(theme.colours)], library=library)


def _base(char: str) -> str:
    """が -> か, ぱ -> は: the card's kana without dakuten or handakuten."""
    return unicodedata.normalize("NFD", char)[0]


def _check_duplicates(nodes: list[Node]) -> None:
    """Before each card is read: a kana used twice is the likelier mistake than its reading."""
    seen: set[str] = set()
    for node in nodes:
        kana = node.peek("kana")
        if kana in seen:
            raise node.error(f"card '{kana}' appears twice; each kana has one card")
        if kana:
            seen.add(kana)


def _check_kana(cards: tuple[Card, ...], node: Node) -> None:
    seen: dict[str, Card] = {}
    topics: dict[str, Card] = {}
    for card in cards:
        seen[card.kana] = card
        if card.topic in topics:
            raise ContentError(card.where["topic"], f"card '{card.kana}': topic '{card.topic}' is already the topic "
                                                    f"of card '{topics[card.topic].kana}'; give each card its own risk")
        topics[card.topic] = card
    missing = [k for k in KANA if k not in seen]
    if missing:
        raise node.error(f"the deck has no card for {'、'.join(missing)}; a deck has one card for each of "
                         f"the {len(KANA)} basic hiragana")


def _coverage(node: Node, charts: dict, kana: set[str]) -> dict[str, dict[str, str]]:
    """Which card covers each category of the charts the deck names (any of its survey's charts):
    every label but その他 of a named chart needs a card."""
    table = node.mapping(optional=tuple(charts))
    coverage: dict[str, dict[str, str]] = {}
    for chart_id in table.keys():
        labels = charts[chart_id].labels
        table[chart_id].label = f"survey_coverage {chart_id}"
        entries = table[chart_id].mapping(optional=tuple(labels)).labelled(f"survey_coverage {chart_id}")
        coverage[chart_id] = {}
        for label in entries.keys():
            card = entries[label].text()
            if card not in kana:
                raise entries[label].error(f"survey_coverage {chart_id}: there is no card '{card}'")
            coverage[chart_id][label] = card
        uncovered = [label for label in labels if label != OTHER_LABEL and label not in coverage[chart_id]]
        if uncovered:
            raise table[chart_id].error(f"survey_coverage {chart_id}: no card covers '{uncovered[0]}'; "
                                        "name the card that does")
    return coverage
