"""Fonts reportlab cannot read directly (a collection, PostScript outlines) turned into a TrueType
subset, on tiny fonts made in the test (tinyfont.py): which face is chosen and how a wrong
choice is worded, what the subset keeps, that the converted outlines and metrics are the
original's, and the cache the result is kept in."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

import tinyfont

from builder.text import opentype
from builder.text.opentype import FontProblem, cache_folder, is_plain_truetype, truetype

KANJI = {**tinyfont.CHARS, 0x6F22: "b", 0x5B57: "c"}  # 漢 字: outside the common set, kept only when asked


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "karuta-press" / "fonts"


def _collection(tmp_path: Path) -> Path:
    faces = [TTFont(tinyfont.build(tmp_path / f"{n}.ttf", name=n, hinted=True,
                                   names={"fullName": f"{n} Book", "typographicFamily": f"{n} Family",
                                          "psName": f"{n}-PS", "uniqueFontIdentifier": f"{n} Unique"}))
             for n in ("TinyA", "TinyB")]
    collection = TTCollection()
    collection.fonts = faces
    collection.save(str(tmp_path / "pair.ttc"))
    return tmp_path / "pair.ttc"


def never() -> str:
    raise AssertionError("the characters are asked for only when a subset is made")


def test_plain_truetype_is_recognised_by_its_first_four_bytes(tmp_path: Path):
    assert is_plain_truetype(tinyfont.build(tmp_path / "a.ttf"))
    assert not is_plain_truetype(tinyfont.build(tmp_path / "a.otf", cff=True))
    assert not is_plain_truetype(_collection(tmp_path))
    (tmp_path / "apple.ttf").write_bytes(b"true" + bytes(20))
    assert is_plain_truetype(tmp_path / "apple.ttf")


def test_cache_folder(tmp_path: Path, monkeypatch):
    assert cache_folder() == tmp_path / "cache" / "karuta-press" / "fonts"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "karuta-press" / "fonts"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder() == tmp_path / "home" / ".cache" / "karuta-press" / "fonts"


def test_plain_truetype_is_used_as_it_is(tmp_path: Path, cache: Path):
    path = tinyfont.build(tmp_path / "a.ttf")
    assert truetype(path, None, never) == path
    assert not cache.exists()


def _area(glyph, glyf) -> float:
    """Shoelace area of the glyph's one contour: negative when it runs clockwise (y up)."""
    points = list(glyph.getCoordinates(glyf)[0])
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])) / 2


def _names(font) -> set[tuple]:
    return {(r.nameID, r.platformID, r.platEncID, r.langID, r.toUnicode()) for r in font["name"].names
            if r.platformID == 3}


@pytest.mark.parametrize("kind", ["cff", "cff2"])
def test_postscript_outlines_become_truetype_with_the_same_metrics(tmp_path: Path, cache: Path, kind: str):
    original = TTFont(tinyfont.build(tmp_path / "Tiny.otf", chars=KANJI, **{kind: True}, names={
        "typographicFamily": "Tiny Family", "sampleText": {"en": "ABC", "ja": "あいう"}}))
    made = truetype(tmp_path / "Tiny.otf", None, lambda: "漢")
    assert made.parent == cache and re.fullmatch(r"Tiny-0-[0-9a-f]{24}\.ttf", made.name)
    assert made.read_bytes()[:4] == b"\x00\x01\x00\x00" and is_plain_truetype(made)
    font = TTFont(made)
    assert "glyf" in font and "loca" in font and not {"CFF ", "CFF2", "VORG"} & set(font.keys())
    cmap = font.getBestCmap()
    assert chr(0x6F22) in map(chr, cmap) and 0x5B57 not in cmap  # 漢 asked for, 字 not
    assert {0x20, 0x41, 0x42, 0x3042, 0x3044, 0x3046} <= cmap.keys()  # the common set kept
    glyf, hmtx = font["glyf"], font["hmtx"]
    for code, name in cmap.items():
        advance, box = tinyfont.GLYPHS[KANJI[code]]
        assert hmtx[name][0] == advance == original["hmtx"][KANJI[code]][0]
        glyph = glyf[name]
        if box is None:
            assert not glyph.numberOfContours and hmtx[name][1] == 0
            continue
        assert (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax) == box
        assert hmtx[name][1] == box[0]  # left side bearing = the outline's left edge
        assert _area(glyph, glyf) == -(box[2] - box[0]) * (box[3] - box[1])  # TrueType: outer contours clockwise
    assert glyf[".notdef"].numberOfContours == 1  # the .notdef box kept
    maxp = font["maxp"]
    assert maxp.tableVersion == 0x00010000 and maxp.maxZones == 1
    assert (maxp.maxTwilightPoints, maxp.maxStorage, maxp.maxFunctionDefs, maxp.maxInstructionDefs,
            maxp.maxStackElements, maxp.maxSizeOfInstructions, maxp.maxComponentElements) == (0,) * 7
    assert font["post"].formatType == 3.0
    # every Unicode name kept, whatever its number or language (the Mac Roman copies go)
    assert _names(font) == _names(original) and {(16, 0x409), (19, 0x411)} <= {(n[0], n[3]) for n in _names(font)}
    # reportlab reads the result
    from builder.text.fontfile import FastTTFontFace
    assert FastTTFontFace(str(made)).charWidths[0x41] == 600


def test_the_subset_is_made_once_per_font_face_and_characters(tmp_path: Path, cache: Path, monkeypatch):
    path = tinyfont.build(tmp_path / "Tiny.otf", cff=True, chars=KANJI)
    first = truetype(path, None, lambda: "漢")
    stamp = first.stat().st_mtime_ns
    monkeypatch.setattr(opentype, "_subset", lambda *_: pytest.fail("made again"))
    assert truetype(path, None, lambda: "漢漢") == first and first.stat().st_mtime_ns == stamp
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent.parent))
    other = truetype(path, None, lambda: "字")
    assert other != first and other.parent == cache
    assert sorted(p.name for p in cache.iterdir()) == sorted([first.name, other.name])  # no .part left


def test_a_face_of_a_collection_by_index_or_name(tmp_path: Path):
    pair = _collection(tmp_path)

    def family(made: Path) -> str:
        return next(r.toUnicode() for r in TTFont(made)["name"].names if r.nameID == 1)

    assert family(truetype(pair, None, str)) == "TinyA"
    for choice in (0, "0"):
        assert family(truetype(pair, choice, str)) == "TinyA"
    # by index, or by family (name 1), full (4), PostScript (6) or typographic family name (16), in any case
    for choice in (1, "1", "tinyb", "TINYB BOOK", "TinyB-PS", "TinyB Family"):
        made = truetype(pair, choice, str)
        assert family(made) == "TinyB" and made.name.startswith("pair-1-"), choice
    subset = TTFont(made)
    assert "glyf" in subset and "prep" not in subset  # TrueType outlines kept, hinting dropped
    assert subset["post"].formatType == 3.0  # no glyph names


@pytest.mark.parametrize("choice, message", [
    (2, "it holds faces 0 to 1; 'face' 2 is not one of them"),
    ("2", "it holds faces 0 to 1; 'face' 2 is not one of them"),
    (-1, "it holds faces 0 to 1; 'face' -1 is not one of them"),
    ("Regular", "it has no face named 'Regular'; its faces are 0: tinya, 1: tinyb"),  # a style is not a face's name
    ("TinyB Unique", "it has no face named 'TinyB Unique'; its faces are 0: tinya, 1: tinyb"),  # nor an identifier
    ("-1", "it has no face named '-1'; its faces are 0: tinya, 1: tinyb"),
])
def test_a_wrong_face_of_a_collection_is_named(tmp_path: Path, choice, message):
    with pytest.raises(FontProblem) as err:
        truetype(_collection(tmp_path), choice, str)
    assert str(err.value) == message


@pytest.mark.parametrize("choice", [1, "1", "Tiny"])
def test_a_single_face_has_nothing_to_choose(tmp_path: Path, choice):
    with pytest.raises(FontProblem) as err:
        truetype(tinyfont.build(tmp_path / "a.otf", cff=True), choice, str)
    assert str(err.value) == "it holds one face, so 'face' has nothing to choose; leave it out"


def test_a_single_face_chosen_as_zero(tmp_path: Path):
    for choice in (0, "0"):
        assert truetype(tinyfont.build(tmp_path / "a.ttf"), choice, str).name.startswith("a-0-")


@pytest.mark.parametrize("data", [b"OTTO" + bytes(40), b"ttcf" + bytes(40), b"\x00\x01\x00\x00garbage"])
def test_a_damaged_font_is_a_font_problem(tmp_path: Path, data: bytes, cache: Path):
    (tmp_path / "bad.otf").write_bytes(data)
    with pytest.raises(FontProblem, match=r"^it cannot be read as a font \(\w+: .*\); replace the file$"):
        truetype(tmp_path / "bad.otf", 0, str)


def test_a_failed_save_leaves_nothing_behind(tmp_path: Path):
    seen = []

    class Broken:
        def save(self, handle):
            handle.write(b"half")
            seen.extend(os.listdir(target.parent))
            raise OSError("disk full")

    target = tmp_path / "deep" / "folder" / "x.ttf"
    with pytest.raises(OSError, match="disk full"):
        opentype._save(Broken(), target)
    assert list(target.parent.iterdir()) == []
    assert len(seen) == 1 and re.fullmatch(r"\..+\.part", seen[0])  # written under a hidden name of its own

    class Fine:
        def save(self, handle):
            handle.write(b"font")

    assert opentype._save(Fine(), target) == target and target.read_bytes() == b"font"
    assert [p.name for p in target.parent.iterdir()] == ["x.ttf"]
