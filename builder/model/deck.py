"""The karuta deck: 46 cards, one per basic hiragana, and the play sheet."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.errors import Where
from builder.model.theme import Colour

KANA = tuple("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん")


@dataclass(frozen=True)
class Illustration:
    icon: str  # Tabler icon name
    accent: str
    icon_char: str  # the icon font's character for `icon`
    accent_char: str
    background: Colour
    accent_colour: Colour


@dataclass(frozen=True)
class Card:
    kana: str
    slogan: str
    reading: str
    explanation: str
    topic: str
    keyword: str
    illustration: Illustration
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
