"""QR codes as vector squares, so a printed URL can be scanned at any print resolution."""

from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import reportlab

from builder.cache import digest, write_cache_file
from builder.layout.geometry import Rect
from builder.model.theme import Colour
from builder.places import user_cache

QUIET_ZONE = 4  # modules of light margin the QR standard asks for on every side
SEAM = 0.02  # mm each dark run reaches into the next row, so rasterisers show no hairline gaps


@lru_cache(maxsize=1)
def _encoder():
    """reportlab's QR encoder module on its own. Importing it by name first runs its package's
    __init__, which loads every barcode widget, reportlab's graphics shapes and platypus (about
    a tenth of a newsletter build) for nothing we use; the encoder itself needs only re and
    itertools."""
    name = "reportlab.graphics.barcode.qrencoder"
    if name in sys.modules:
        return sys.modules[name]
    barcode = Path(importlib.util.find_spec("reportlab").origin).parent / "graphics" / "barcode"
    spec = importlib.util.spec_from_file_location("builder.layout._qrencoder", barcode / "qrencoder.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=64)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix (True = dark) at error level M, the smallest version that holds `data`
    (memoised: the page composer lays a link out at more than one width). Kept in the user's cache
    by the address and the encoder's version: reportlab's encoder scores all eight masks in Python
    (about 20 ms, a fiftieth of a newsletter build) to make the same matrix every time."""
    stored = Path(user_cache()) / "qr" / f"{digest(reportlab.Version, 'M', data)}.txt"
    matrix = _read_matrix(stored)
    if matrix is None:
        matrix = _encode(data)
        write_cache_file(stored, "\n".join("".join("1" if dark else "0" for dark in row) for row in matrix).encode())
    return matrix


def _read_matrix(path: Path) -> tuple[tuple[bool, ...], ...] | None:
    """A stored matrix, or None when there is none or it is not a QR code's square of modules."""
    try:
        rows = path.read_text(encoding="ascii").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    size = len(rows)
    if not 21 <= size <= 177 or (size - 17) % 4 or any(len(row) != size or row.strip("01") for row in rows):
        return None
    return tuple(tuple(module == "1" for module in row) for row in rows)


def _encode(data: str) -> tuple[tuple[bool, ...], ...]:
    encoder = _encoder()
    code = encoder.QRCode(None, encoder.QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    count = code.getModuleCount()
    return tuple(tuple(bool(code.isDark(r, c)) for c in range(count)) for r in range(count))


def qr_rects(data: str, x: float, y: float, size: float, colour: Colour) -> list[Rect]:
    """The code drawn in a `size` mm square at (x, y), quiet zone included; each run of dark
    modules in a row is one rectangle."""
    matrix = qr_matrix(data)
    module = size / (len(matrix) + 2 * QUIET_ZONE)
    origin_x, origin_y = x + QUIET_ZONE * module, y + QUIET_ZONE * module
    rects: list[Rect] = []
    for r, row in enumerate(matrix):
        c = 0
        for dark, run in groupby(row):
            length = len(list(run))
            if dark:
                bottom_seam = SEAM if r + 1 < len(matrix) else 0.0
                rects.append(Rect(origin_x + c * module, origin_y + r * module, length * module,
                                  module + bottom_seam, fill=colour))
            c += length
    return rects
