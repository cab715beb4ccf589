"""Web fonts: the theme's own faces cut down to the characters the pages use, as WOFF2.

A Japanese face is 3-5 MB; cut to a site's few hundred characters it is under 100 KB, so the
pages set in the same faces as the print without any request leaving the site.
"""

from __future__ import annotations

import io
import logging
import struct
from pathlib import Path

from builder.cache import KNOWN, digest
from builder.places import user_cache

FONT_ROLES = ("body", "bold", "display")  # the theme's text faces (icons are drawn into the images)
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F))  # ASCII: URLs, numbers, file sizes
# OpenType features that only vertical writing uses (CSS writing-mode: vertical-*): the site sets
# no text vertically, so the glyphs only they reach (turned brackets, rotated kana, ...) can go
VERTICAL_FEATURES = frozenset({"valt", "vert", "vhal", "vjmo", "vkrn", "vpal", "vrt2", "vchw"})
_CODE = Path(__file__).read_bytes()  # how the subsets are made: part of the stored ones' names


def subset_woff2(path: Path, text: str) -> bytes:
    """The font at `path` with only the glyphs for `text` (and ASCII), WOFF2-compressed
    (fontTools does this with the brotli package). Hinting goes: screens that draw Japanese
    ignore TrueType hints, and they are a fifth of the size. All name records stay, so the
    subset keeps the font's copyright and licence. The layout features a browser applies to
    horizontal text stay; the vertical ones go, with the glyphs only they reach."""
    from fontTools import subset  # here: a site whose fonts are all stored never loads the subsetter

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # tables it cannot subset are only dropped
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = [tag for tag in options.layout_features if tag not in VERTICAL_FEATURES]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=ALWAYS + text)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def is_woff2(data: bytes) -> bool:
    """A whole WOFF2 file: its signature, and the length its header gives is its own (a stored
    subset cut short, or not one at all, is made again)."""
    return len(data) >= 48 and data[:4] == b"wOF2" and struct.unpack_from(">I", data, 8)[0] == len(data)


def stored_subset(path: Path, text: str) -> Path:
    """Where the user's cache keeps the subset of the font at `path` for `text`: named by the
    font's bytes, the characters, this module's code (the options) and fontTools' version, any
    of which changes the file. Beside the fonts' tables, not in the project's output/.cache, so
    that `--force`, `build clean` and other projects with the same faces and words reuse it:
    making the three subsets is over a second of CPU each, and they change only with the
    characters the pages show."""
    import fontTools

    return Path(user_cache()) / "site-fonts" / f"{digest(fontTools.version, _CODE, KNOWN.hash(path), text)}.woff2"


def read_stored(stored: Path) -> bytes | None:
    """A stored subset, or None when there is none or it is damaged (then it is made again)."""
    try:
        data = stored.read_bytes()
    except OSError:
        return None
    return data if is_woff2(data) else None
