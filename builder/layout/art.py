"""Illustration pieces as display-list paths.

The art file (assets/art/fluent-emoji-flat.json, see tools/vendor_art.py) holds each piece's
shapes as path operators and absolute points (parsed from SVG by fontTools when vendored), with
fill colours, in 32 x 32 units; the file is parsed once for its bytes (and kept so in the user
cache), each piece is made once per process, then only scaled and moved.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FilePath

from builder.cache import write_cache_file
from builder.layout.geometry import Path
from builder.model.theme import Colour, PressStyle, plain_cmyk
from builder.places import user_cache


@dataclass(frozen=True, eq=False)  # one object per piece (see piece()): compared and hashed by identity
class Piece:
    box: tuple[float, float, float, float]  # ink box (x0, y0, x1, y1) in the piece's units
    shapes: tuple[Path, ...]  # in the piece's units, painted in order
    outline: Path  # the area all shapes cover, unfilled (a layout gives it a colour)

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @lru_cache(maxsize=512)  # a card's office sheet and its social images place it alike
    def placed(self, x: float, y: float, scale: float) -> tuple[Path, tuple[Path, ...]]:
        """The outline and the shapes with the ink box's top-left at (x, y) mm, `scale` mm per unit."""
        dx, dy = x - self.box[0] * scale, y - self.box[1] * scale
        return self.outline.moved(dx, dy, scale), tuple(shape.moved(dx, dy, scale) for shape in self.shapes)

    def fitted(self, x: float, y: float, w: float, h: float) -> tuple[Path, tuple[Path, ...]]:
        """The outline and shapes as large as fits the box (x, y, w, h) mm, centred in it."""
        scale = min(w / self.width, h / self.height)
        return self.placed(x + (w - self.width * scale) / 2, y + (h - self.height * scale) / 2, scale)


class ArtDamaged(Exception):
    """The art file, or a piece of it, is not as tools/vendor_art.py writes it (at line and
    column of the file when its JSON is broken)."""

    def __init__(self, problem: str, line: int = 0, column: int = 0):
        super().__init__(problem)
        self.line, self.column = line, column


ART_FORMAT = 1  # in the stored libraries' names: a change of the stored form makes new names


@lru_cache(maxsize=4)
def library(path: FilePath) -> dict[str, tuple | str]:
    """The art file's pieces by name, each parsed (box, shapes and outline as plain tuples) or, for
    a damaged piece, what is wrong with it (said when a card draws it). Parsed once for these
    bytes and kept in the user cache: the file's 23,000 numbers cost a newsletter build about
    30 ms to read from JSON and turn into shapes, the stored tuples about 3 ms."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ArtDamaged(f"cannot be read ({err.strerror})") from None
    stored = FilePath(user_cache()) / "art" / f"{hashlib.sha256(raw).hexdigest()}-{ART_FORMAT}.marshal"
    try:
        pieces = marshal.loads(stored.read_bytes())
        if isinstance(pieces, dict):
            return pieces
    except (OSError, EOFError, ValueError, TypeError):
        pass
    pieces = {name: _parsed(name, data) for name, data in _read(raw).items()}
    write_cache_file(stored, marshal.dumps(pieces))
    return pieces


def _read(raw: bytes) -> dict:
    try:
        data = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as err:
        raise ArtDamaged(f"is not valid JSON ({err.msg})", err.lineno, err.colno) from None
    except UnicodeDecodeError:
        raise ArtDamaged("is not UTF-8 text") from None
    pieces = data.get("pieces") if isinstance(data, dict) else None
    if not isinstance(pieces, dict) or not all(isinstance(value, dict) for value in pieces.values()):
        raise ArtDamaged("has no table of pieces by name ('pieces')")
    return pieces


def _parsed(name: str, data: dict) -> tuple | str:
    try:
        box = tuple(float(value) for value in data["box"])
        if len(box) != 4 or box[2] <= box[0] or box[3] <= box[1]:
            raise ValueError(f"box {data['box']} is not x0, y0, x1, y1 of an area")
        return box, tuple(_shape(shape) for shape in data["shapes"]), _shape(data["outline"])
    except (KeyError, TypeError, ValueError, AttributeError) as err:  # only the file's data is read here
        return f"has a damaged piece '{name}' ({type(err).__name__}: {err})"


@lru_cache(maxsize=256)
def piece(library_path: FilePath, name: str) -> Piece:
    parsed = library(library_path)[name]
    if isinstance(parsed, str):
        raise ArtDamaged(parsed)
    box, shapes, outline = parsed
    return Piece(box, tuple(map(_path, shapes)), _path(outline))


@lru_cache(maxsize=1024)
def art_colour(hex_text: str) -> Colour:
    """An art colour, with the plain CMYK conversion for print (faint components dropped)."""
    value = hex_text.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    rgb = (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    return Colour(f"#{value}", rgb, plain_cmyk(rgb, PressStyle.min_ink))


ARITY = {"M": 2, "L": 2, "C": 6, "Q": 4, "Z": 0}


def _shape(data: dict) -> tuple:
    """A shape as stored: its commands, fill and stroke colours (checked), stroke width and fill rule."""
    pts = [float(value) for value in data["pts"]]
    commands = []
    at = 0
    for op in data["ops"]:
        n = ARITY[op]
        commands.append((op, tuple(pts[at:at + n])))
        at += n
    if at != len(pts):
        raise ValueError(f"{len(pts)} numbers for the operators {data['ops']}, which take {at}")
    fill, stroke = data["fill"] if "fill" in data else None, data.get("stroke") or None
    if "fill" in data:  # checked here: a colour that is not one makes the piece damaged
        art_colour(fill)
    if stroke:
        art_colour(stroke)
    return tuple(commands), fill, stroke, data.get("stroke_width", 0.0), data.get("evenodd", False)


def _path(shape: tuple) -> Path:
    commands, fill, stroke, stroke_width, even_odd = shape
    return Path(commands, fill=art_colour(fill) if fill is not None else None,
                stroke=art_colour(stroke) if stroke else None, stroke_width=stroke_width, even_odd=even_odd)
