"""Illustration pieces as display-list paths.

The art file (assets/art/fluent-emoji-flat.json, see tools/vendor_art.py) holds each piece's
shapes as path operators and absolute points (parsed from SVG by fontTools when vendored), with
fill colours, in 32 x 32 units; each piece is read once per process, then only scaled and moved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FilePath

from builder.layout.geometry import Path
from builder.model.theme import Colour, PressStyle, plain_cmyk


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


@lru_cache(maxsize=4)
def library(path: FilePath) -> dict:
    """The art file's pieces by name."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ArtDamaged(f"is not valid JSON ({err.msg})", err.lineno, err.colno) from None
    except UnicodeDecodeError:
        raise ArtDamaged("is not UTF-8 text") from None
    except OSError as err:
        raise ArtDamaged(f"cannot be read ({err.strerror})") from None
    pieces = data.get("pieces") if isinstance(data, dict) else None
    if not isinstance(pieces, dict) or not all(isinstance(value, dict) for value in pieces.values()):
        raise ArtDamaged("has no table of pieces by name ('pieces')")
    return pieces


@lru_cache(maxsize=256)
def piece(library_path: FilePath, name: str) -> Piece:
    data = library(library_path)[name]
    try:
        box = tuple(float(value) for value in data["box"])
        if len(box) != 4 or box[2] <= box[0] or box[3] <= box[1]:
            raise ValueError(f"box {data['box']} is not x0, y0, x1, y1 of an area")
        return Piece(box, tuple(_shape(shape) for shape in data["shapes"]), _shape(data["outline"]))
    except (KeyError, TypeError, ValueError, AttributeError) as err:  # only the file's data is read here
        raise ArtDamaged(f"has a damaged piece '{name}' ({type(err).__name__}: {err})") from None


@lru_cache(maxsize=1024)
def art_colour(hex_text: str) -> Colour:
    """An art colour, with the plain CMYK conversion for print (faint components dropped)."""
    value = hex_text.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    rgb = (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    return Colour(f"#{value}", rgb, plain_cmyk(rgb, PressStyle.min_ink))


ARITY = {"M": 2, "L": 2, "C": 6, "Q": 4, "Z": 0}


def _shape(data: dict) -> Path:
    pts = [float(value) for value in data["pts"]]
    commands = []
    at = 0
    for op in data["ops"]:
        n = ARITY[op]
        commands.append((op, tuple(pts[at:at + n])))
        at += n
    if at != len(pts):
        raise ValueError(f"{len(pts)} numbers for the operators {data['ops']}, which take {at}")
    stroke = data.get("stroke")
    return Path(tuple(commands), fill=art_colour(data["fill"]) if "fill" in data else None,
                stroke=art_colour(stroke) if stroke else None, stroke_width=data.get("stroke_width", 0.0),
                even_odd=data.get("evenodd", False))
