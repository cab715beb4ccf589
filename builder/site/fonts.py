"""Web fonts: the theme's own faces cut down to the characters the pages use, as WOFF2.

A Japanese face is 3-5 MB; cut to a site's few hundred characters it is under 100 KB, so the
pages set in the same faces as the print without any request leaving the site.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from fontTools import subset

FONT_ROLES = ("body", "bold", "display")  # the theme's text faces (icons are drawn into the images)
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F))  # ASCII: URLs, numbers, file sizes


def subset_woff2(path: Path, text: str) -> bytes:
    """The font at `path` with only the glyphs for `text` (and ASCII), WOFF2-compressed
    (fontTools does this with the brotli package). Hinting goes: screens that draw Japanese
    ignore TrueType hints, and they are a fifth of the size. All name records stay, so the
    subset keeps the font's copyright and licence."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # tables it cannot subset are only dropped
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=ALWAYS + text)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()
