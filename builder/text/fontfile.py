"""reportlab's TrueType face, read with bulk unpacking.

reportlab reads the cmap, hmtx and loca tables one short at a time (about 40 ms for each of
our 14,000-glyph Japanese faces, a quarter of a newsletter's start-up). This face computes the
same tables that reportlab then reads (character -> glyph, widths, horizontal metrics, glyph
offsets: the PDF's width arrays and glyph subsets are made from them) with one struct call per
table; the horizontal metrics are looked up on demand, and reportlab's glyph -> characters table,
which only its own reader uses, is not made. Cmap formats other than 4 and 12 go through
reportlab's own reader."""

from __future__ import annotations

import itertools
import zlib
from fnmatch import fnmatch
from pathlib import Path
from struct import unpack_from
from weakref import WeakKeyDictionary

from reportlab import Version, rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace, unShapedFontGlob

from builder.cache import digest, write_cache_file


SUBSET_FORMAT = 1  # in the stored subsets' names: a change of what is stored makes new names
STORED_SUBSETS = 512  # about 15 MB of the user cache; the oldest go first

Maps = tuple[dict[int, int], dict[int, float]]  # character -> glyph, character -> width (1/1000 em)


class FastTTFontFace(TTFontFace):
    """`maps`: the character map and widths an earlier parse of the same bytes made (see
    text/fonts.py, which keeps them on disk); the rest is read from the file. `subsets`: where
    the compressed glyph subsets this face embeds are kept, by the font's `identity` (its bytes'
    hash) and characters (see `makeSubset`); None keeps none."""

    def __init__(self, filename: str, maps: Maps | None = None, subsets: Path | None = None, identity: str = ""):
        self._maps = maps
        self._subsets, self._identity = subsets, identity
        super().__init__(filename)
        del self._maps

    def makeSubset(self, subset: list[int]) -> bytes:
        """The TrueType subset reportlab embeds for these characters, kept compressed as the PDF
        holds it: making a subset and compressing it cost a newsletter about 30 ms for its eight,
        and the same text embeds the same subsets in every build (--force, other projects, the
        site's copies). The stored form is checked by decompressing it."""
        if self._subsets is None:
            return super().makeSubset(subset)
        stored = self._subsets / f"{digest(self._identity, SUBSET_FORMAT, Version, zlib.ZLIB_RUNTIME_VERSION, subset)}.z"
        try:
            packed = stored.read_bytes()
            made = _Subset(zlib.decompress(packed))
        except (OSError, zlib.error):
            made = _Subset(super().makeSubset(subset))
            packed = zlib.compress(made)
            write_cache_file(stored, packed)
            _prune(self._subsets)
        made.packed = packed
        return made

    def addSubsetObjects(self, doc, fontname: str, subset: list[int]):
        """reportlab's font objects, the font file stream already compressed (the same bytes as
        its own Flate filter would write: same zlib, same level)."""
        descriptor = super().addSubsetObjects(doc, fontname, subset)
        stream = doc.idToObject[f"fontFile:{self.filename}({fontname})"]
        if isinstance(stream.content, _Subset) and stream.filters == [pdfdoc.PDFZCompress]:
            stream.content, stream.filters = stream.content.packed, None
            stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
        return descriptor

    def extractInfo(self, charInfo=1):
        super().extractInfo(0)  # names, head, OS/2, post, hhea, maxp: small, read field by field
        if not charInfo:
            return
        data = self._ttf_data
        head = self.get_table_pos("head")[0]
        index_to_loc, glyph_data_format = unpack_from(">HH", data, head + 50)
        number_of_hmetrics = unpack_from(">H", data, self.get_table_pos("hhea")[0] + 34)[0]
        cmap = self._cmap_subtable(data)
        if cmap is None or glyph_data_format != 0 or "loca" not in self.table or index_to_loc > 1:
            super().extractInfo(charInfo)  # anything unusual: reportlab's reader and its errors
            return

        num_glyphs = self.numGlyphs
        scale = 1000 / self.unitsPerEm  # reportlab's scale, for the same floats
        start = self.get_table_pos("hmtx")[0]
        pairs = unpack_from(f">{2 * number_of_hmetrics}H", data, start)
        lsbs = unpack_from(f">{max(0, num_glyphs - number_of_hmetrics)}H", data, start + 4 * number_of_hmetrics)
        first, last = (pairs[0], pairs[-2]) if self.unitsPerEm == 1000 else (pairs[0] * scale, pairs[-2] * scale)
        # as reportlab: glyphs after the full pairs keep the last advance, already scaled
        self.hmetrics = _Metrics(pairs, lsbs, last)
        self.defaultWidth = first
        if self._maps is not None:
            self.charToGlyph, self.charWidths = self._maps
        else:
            self.charToGlyph, self.charWidths = self._maps_of(data, *cmap, pairs, len(lsbs))

        loca = self.get_table_pos("loca")[0]
        if index_to_loc == 0:
            self.glyphPos = [offset << 1 for offset in unpack_from(f">{num_glyphs + 1}H", data, loca)]
        else:
            self.glyphPos = list(unpack_from(f">{num_glyphs + 1}L", data, loca))

    def get_table(self, tag: str) -> bytes | _Slices:
        """A table's bytes, copied out of the file once: reportlab's subsetter asks again for every
        256 characters it embeds. The glyf table (megabytes, of which a subset takes a few hundred
        glyphs) is not copied: the subsetter only slices glyphs out of it."""
        if tag == "glyf":
            return _Slices(self._ttf_data, *self.get_table_pos(tag))
        copied = self.__dict__.setdefault("_copied_tables", {})
        if tag not in copied:
            copied[tag] = super().get_table(tag)
        return copied[tag]

    def _maps_of(self, data, table: int, fmt: int, pairs: tuple[int, ...], extra: int) -> Maps:
        """The character map and every mapped character's width, as reportlab's reader makes them."""
        char_to_glyph = self._cmap12(data, table) if fmt == 12 else self._cmap4(data, table)
        scale = 1000 / self.unitsPerEm  # reportlab's scale, for the same floats
        full = pairs[0::2]
        if self.unitsPerEm != 1000:  # each distinct advance scaled once and its float shared by the glyphs
            scaled = {x: x * scale for x in set(full)}  # that have it: a few objects instead of ~14,000, and
            full = [scaled[x] for x in full]  # the stored widths (text/fonts.py) load about a fifth faster
        last, count = full[-1], len(full) + extra  # as reportlab, even past numGlyphs when hhea
        char_widths = {  # claims more pairs than maxp has glyphs
            char: full[glyph] if glyph < len(full) else last
            for char, glyph in char_to_glyph.items() if glyph < count}
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]
        return char_to_glyph, char_widths

    def _cmap_subtable(self, data) -> tuple[int, int] | None:
        """Where the subtable reportlab would choose starts, and its format, if that is 4 or 12; else None."""
        cmap_offset = self.get_table_pos("cmap")[0]
        version, count = unpack_from(">HH", data, cmap_offset)
        if count == 0 and version != 0:
            count = version
        chosen, enc = None, 0
        for n in range(count):
            platform, encoding, offset = unpack_from(">HHL", data, cmap_offset + 4 + 8 * n)
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                enc, chosen = 1, offset
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, chosen = 2, offset
        if chosen is None:
            return None
        table = cmap_offset + chosen
        fmt = unpack_from(">H", data, table)[0]
        return (table, fmt) if fmt in (4, 12) else None

    def _cmap12(self, data, table: int) -> dict[int, int]:
        groups = unpack_from(">L", data, table + 12)[0]
        values = unpack_from(f">{3 * groups}L", data, table + 16)
        found: dict[int, int] = {}
        for first, last, glyph in zip(values[0::3], values[1::3], values[2::3]):
            if first == last:
                found[first] = glyph
            else:
                found.update(zip(range(first, last + 1), itertools.count(glyph)))
        return found

    def _cmap4(self, data, table: int) -> dict[int, int]:
        length, _, seg_x2 = unpack_from(">HHH", data, table + 2)
        segments = seg_x2 // 2
        limit = table + length
        ends = unpack_from(f">{segments}H", data, table + 14)
        starts = unpack_from(f">{segments}H", data, table + 16 + seg_x2)
        deltas = unpack_from(f">{segments}h", data, table + 16 + 2 * seg_x2)
        range_start = table + 16 + 3 * seg_x2
        range_offsets = unpack_from(f">{segments}H", data, range_start)
        found: dict[int, int] = {}
        for n, (first, last, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets)):
            if range_offset == 0:
                found.update((char, (char + delta) & 0xFFFF) for char in range(first, last + 1))
                continue
            base = range_start + 2 * n + range_offset
            for char in range(first, last + 1):
                offset = base + (char - first) * 2
                if offset >= limit:  # as reportlab: a broken font's offsets point past the table
                    found[char] = 0
                else:
                    glyph = unpack_from(">H", data, offset)[0]
                    found[char] = (glyph + delta) & 0xFFFF if glyph else 0
        return found


class _Subset(bytes):
    """A font subset's bytes, with `packed`: the same compressed by zlib (level 6, as reportlab)."""

    packed: bytes


def _prune(folder: Path) -> None:
    """The oldest stored subsets removed beyond STORED_SUBSETS (each text edit makes new ones)."""
    try:
        files = sorted(folder.iterdir(), key=lambda f: f.stat().st_mtime_ns)
        for old in files[:-STORED_SUBSETS]:
            old.unlink()
    except OSError:  # another process pruned too: the store is only an optimisation
        pass


class _Slices:
    """A table of the file read by slices (`table[a:b]` is the bytes the copied table would give)."""

    def __init__(self, data: bytes, start: int, length: int):
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, where: slice) -> bytes:
        first, stop, step = where.indices(self._length)
        if step != 1:
            raise ValueError("a table is read by plain slices")
        return self._data[self._start + first:self._start + max(first, stop)]


class _Metrics:
    """reportlab's hmetrics list, (advance, left side bearing) by glyph, made on demand: a subset
    reads a few hundred of a Japanese face's 20,000 glyphs (the list cost 3 ms a face to build).
    Full pairs are as the file has them, the glyphs after them carry the last advance, scaled."""

    def __init__(self, pairs: tuple[int, ...], lsbs: tuple[int, ...], last: float):
        self._pairs, self._lsbs, self._last = pairs, lsbs, last
        self._full = len(pairs) // 2

    def __len__(self) -> int:
        return self._full + len(self._lsbs)

    def __getitem__(self, glyph: int) -> tuple:
        if 0 <= glyph < self._full:
            return self._pairs[2 * glyph], self._pairs[2 * glyph + 1]
        if self._full <= glyph < len(self):
            return self._last, self._lsbs[glyph - self._full]
        raise IndexError(glyph)


class FastTTFont(TTFont):
    """reportlab's TTFont on the fast face (TTFont.__init__ names its face class directly)."""

    def __init__(self, name: str, filename: str, maps: Maps | None = None, subsets: Path | None = None,
                 identity: str = ""):
        self.fontName = name
        self.face = FastTTFontFace(filename, maps, subsets, identity)
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
