"""The karuta deck: 46 cards, one per basic hiragana, and the play sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import Where
from builder.model.theme import Colour

KANA = tuple("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん")


@dataclass(frozen=True)
class Art:
    """A picture card's illustration: pieces of the vendored art set, drawn over a tint."""

    main: str  # the subject, drawn large
    props: tuple[str, ...]  # one or two smaller pieces that say what the card is about
    background: Colour  # the card's tint
    colour: Colour  # the strong colour of the kana disc and the keyword band
    library: Path  # the art file the pieces come from


@dataclass(frozen=True)
class Card:
    kana: str
    slogan: str
    reading: str
    explanation: str
    topic: str
    keyword: str
    art: Art
    picture: str = ""  # the picture in one sentence, for alt texts
    action: str = ""  # one concrete thing to do, for the post's caption
    where: dict[str, Where] = field(default_factory=dict, compare=False, repr=False)

    @property
    def number(self) -> int:
        return KANA.index(self.kana) + 1


@dataclass(frozen=True)
class PlaySheet:
    title: str
    intro: str
    steps: tuple[str, ...]
    closing: str
    where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Deck:
    title: str
    subtitle: str
    play_sheet: PlaySheet
    cards: tuple[Card, ...]
    coverage: dict[str, dict[str, str]]  # chart id -> survey label -> kana
    # where each text is in karuta.yaml: "title", "subtitle", "play_sheet title", "step 3", ...
    where: dict[str, Where] = field(default_factory=dict, compare=False, repr=False)
