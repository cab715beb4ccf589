"""The glyph subsets a PDF embeds are kept compressed in the user cache by the font's hash and
characters: a PDF made from them is byte for byte the one reportlab's own font writes, a later
run embeds what is stored, a damaged stored subset is made again, and the store stays bounded.
Oracle: reportlab's TTFont (its own subsetter and Flate filter) on the same file and text."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from conftest import ROOT

import builder.text.fontfile as fontfile
from builder.text.fontfile import FastTTFont

FONT = ROOT / "fonts" / "MTLmr3m.ttf"
# 300 Japanese characters the font has: reportlab puts 256 into a subset, so two subsets
TEXT = "".join(chr(c) for c in sorted(TTFont("Chars", str(FONT)).face.charToGlyph) if c >= 0x3041)[:300]


def _pdf(font) -> bytes:
    """One line in `font`, registered under its name for this PDF only (reportlab's registry would
    hand back the first font registered for the file, whatever the name)."""
    pdfmetrics._fonts[font.fontName] = font
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, pageCompression=1, initialFontName=font.fontName)
    canvas.setFont(font.fontName, 10)
    canvas.drawString(10, 10, TEXT)
    canvas.save()
    del pdfmetrics._fonts[font.fontName]
    return out.getvalue()


def _ours(store: Path, name: str) -> bytes:
    return _pdf(FastTTFont(name, str(FONT), subsets=store, identity="font-hash"))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "subsets"


def test_stored_subsets_write_the_pdf_reportlab_writes(store: Path):
    theirs = _pdf(TTFont("Theirs", str(FONT)))
    made = _ours(store, "Theirs")  # the same font name, so the same PDF names
    assert len(list(store.iterdir())) == 2
    assert made == theirs
    assert _ours(store, "Theirs") == theirs  # from the store


def test_a_later_run_embeds_what_is_stored(store: Path):
    first = _ours(store, "Planted")
    for stored in store.iterdir():  # a different (valid) subset under the same name: it is used as it is
        stored.write_bytes(zlib.compress(zlib.decompress(stored.read_bytes())[:-4] + b"PLNT"))
    again = _ours(store, "Planted")
    assert again != first and zlib.compress(b"PLNT") not in first
    assert all(stored.read_bytes() in again for stored in store.iterdir())


@pytest.mark.parametrize("damage", [b"", b"not zlib", zlib.compress(b"x")[:-3]])
def test_a_damaged_stored_subset_is_made_again(store: Path, damage: bytes):
    first = _ours(store, "Damaged")
    for stored in store.iterdir():
        stored.write_bytes(damage)
    assert _ours(store, "Damaged") == first
    assert all(stored.read_bytes() != damage for stored in store.iterdir())


def test_the_store_keeps_the_newest(store: Path, monkeypatch):
    monkeypatch.setattr(fontfile, "STORED_SUBSETS", 3)
    store.mkdir()
    for n in range(5):
        old = store / f"old{n}.z"
        old.write_bytes(b"x")
        __import__("os").utime(old, ns=(n, n))
    _ours(store, "Pruned")  # stores two: the three newest files stay
    assert sorted(f.name for f in store.iterdir() if f.name.startswith("old")) == ["old4.z"]
    assert len(list(store.iterdir())) == 3


def test_two_fonts_with_the_same_characters_keep_their_own_subsets(store: Path):
    other = ROOT / "fonts" / "BIZUDGothic-Regular.ttf"
    assert {ord(c) for c in TEXT} <= set(TTFont("Check", str(other)).face.charToGlyph)
    _ours(store, "Twin")  # the Mincho's two subsets stored first
    assert _pdf(FastTTFont("Twin", str(other), subsets=store, identity="other-hash")) == \
        _pdf(TTFont("Twin", str(other)))
    assert len(list(store.iterdir())) == 4


@pytest.mark.parametrize("setting", ["SUBSET_FORMAT", "Version", "ZLIB_RUNTIME_VERSION"])
def test_a_new_store_format_or_library_version_stores_new_subsets(store: Path, monkeypatch, setting: str):
    _ours(store, "Versioned")
    before = set(store.iterdir())
    monkeypatch.setattr(zlib if setting == "ZLIB_RUNTIME_VERSION" else fontfile, setting, "changed")
    _ours(store, "Versioned")
    assert len(set(store.iterdir()) - before) == 2


def test_a_face_without_a_store_writes_what_reportlab_writes():
    assert _pdf(FastTTFont("Plain", str(FONT))) == _pdf(TTFont("Plain", str(FONT)))
