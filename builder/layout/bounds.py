"""The last check on finished pages: every line of text lies inside its page (the trim box, less
a safe distance) and no two lines of text overlap.

Layout sets text to fit its boxes; this catches what a layout let through anyway (a figure so
large its label runs across the page, a lead so long it runs into the headline), so that such a
page is refused with the place of the text instead of printed. Icon glyphs are left out of the
overlap test: an accent icon sits on its main icon by design.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from builder.errors import ContentError, Where
from builder.layout.geometry import Page, Text
from builder.layout.textblock import GlyphError
from builder.model.theme import Theme
from builder.text.fonts import PT_TO_MM, Face, MissingGlyph, face, font_files

SAFE = 3.0  # mm inside the trim that text keeps clear of, as the cut may wander that far
OVERLAP = 0.01  # mm two em boxes may share (rounding): lines whose em boxes meet are set solid, touching


@dataclass(frozen=True)
class Problem:
    text: str  # the line of text at fault, to find it in the content
    message: str


def text_problems(pages: list[Page], faces: dict[str, Face], *, skip: frozenset[str] = frozenset()) -> list[Problem]:
    """What is wrong with the text on `pages`; `faces` by the names Text items use; `skip` the
    faces whose glyphs may overlap (icons)."""
    problems: list[Problem] = []
    for number, page in enumerate(pages, 1):
        tx, ty, tw, th = page.trim or (0.0, 0.0, page.width, page.height)
        lines: list[tuple[tuple[float, float, float, float], Text]] = []
        for item in page.items:
            if not isinstance(item, Text) or item.rotate or not item.text.strip():
                continue
            box = _box(item, faces[item.font])
            left, top, right, bottom = box
            if left < tx + SAFE - 1e-6 or top < ty + SAFE - 1e-6 or right > tx + tw - SAFE + 1e-6 \
                    or bottom > ty + th - SAFE + 1e-6:
                problems.append(Problem(item.text, f"'{_short(item.text)}' runs off page {number} (it reaches "
                                                   f"{_beyond(box, (tx, ty, tw, th)):.0f} mm past the safe area); "
                                                   "shorten it or write a smaller figure"))
            if item.font not in skip:
                lines.append((box, item))
        lines.sort(key=lambda entry: entry[0][1])
        for i, (box, item) in enumerate(lines):
            for other_box, other in lines[i + 1:]:
                if other_box[1] >= box[3] - OVERLAP:
                    break
                if min(box[2], other_box[2]) - max(box[0], other_box[0]) > OVERLAP and \
                        min(box[3], other_box[3]) - max(box[1], other_box[1]) > OVERLAP:
                    problems.append(Problem(other.text, f"'{_short(other.text)}' overlaps '{_short(item.text)}' on "
                                                        f"page {number}: there is not room for both; shorten the "
                                                        "text"))
    return problems


@contextmanager
def glyphs_located(locate: Callable[[str], Where]) -> Iterator[None]:
    """A character the fonts lack, wherever layout meets it, reported at the content that holds
    it (`locate` finds a text in the content)."""
    try:
        yield
    except MissingGlyph as err:
        raise ContentError(locate(err.char), err.describe()) from None
    except GlyphError as err:  # set inside a block located as a whole: name the field itself
        where = locate(err.char)
        raise ContentError(where, err.message if where == err.where else err.description) from None


def refuse_misfits(pages: list[Page], theme: Theme, locate: Callable[[str], Where]) -> None:
    """Text that runs off its page or into other text: refused at its place in the content."""
    faces = {name: face(path) for name, path in font_files(theme.fonts).items()}
    problems = text_problems(pages, faces, skip=frozenset())  # no icon font any more: art is drawn as paths
    if problems:
        raise ContentError(locate(problems[0].text), problems[0].message)


def _box(item: Text, face: Face) -> tuple[float, float, float, float]:
    em = item.size * PT_TO_MM
    return (item.x, item.y - face.ascent * em, item.x + face.width(item.text, item.size) + item.spacing * len(item.text),
            item.y + face.descent * em)  # a justified run adds its spacing (PDF Tc) after each character


def _beyond(box: tuple[float, float, float, float], trim: tuple[float, float, float, float]) -> float:
    left, top, right, bottom = box
    tx, ty, tw, th = trim
    return max(tx + SAFE - left, ty + SAFE - top, right - (tx + tw - SAFE), bottom - (ty + th - SAFE))


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
