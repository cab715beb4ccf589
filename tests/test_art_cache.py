"""The art file is parsed once for its bytes and kept in the user cache
($XDG_CACHE_HOME/karuta-press/art): a later run reads the stored pieces back, an edited file is
parsed anew, a damaged store is made again, and a damaged piece is still named when drawn.
Oracles: the art file's JSON, read here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.layout import art

SHIPPED = Path(__file__).resolve().parents[1] / "assets" / "art" / "fluent-emoji-flat.json"


@pytest.fixture
def library(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    art.library.cache_clear(), art.piece.cache_clear()
    path = tmp_path / "art.json"
    shutil.copy(SHIPPED, path)
    yield path
    art.library.cache_clear(), art.piece.cache_clear()


def _stored(path: Path) -> list[Path]:
    return list((path.parent / "cache" / "karuta-press" / "art").iterdir())


def _new_process() -> None:
    art.library.cache_clear(), art.piece.cache_clear()


def test_pieces_are_the_files_points_and_colours(library: Path):
    data = json.loads(library.read_text(encoding="utf-8"))["pieces"]
    name = sorted(data)[0]
    piece = art.piece(library, name)
    assert piece.box == tuple(data[name]["box"])
    first = data[name]["shapes"][0]
    assert [p for _, points in piece.shapes[0].commands for p in points] == first["pts"]
    assert "".join(op for op, _ in piece.shapes[0].commands) == "".join(first["ops"])
    hex_fill = first["fill"].lstrip("#")
    hex_fill = "".join(c * 2 for c in hex_fill) if len(hex_fill) == 3 else hex_fill  # #abc is #aabbcc
    assert piece.shapes[0].fill.rgb == tuple(int(hex_fill[i:i + 2], 16) for i in (0, 2, 4))
    _new_process()
    assert art.piece(library, name).shapes == piece.shapes  # read back from the store alike


def test_a_later_run_reads_the_stored_pieces(library: Path):
    name = sorted(art.library(library))[0]
    (stored,) = _stored(library)
    pieces = art.library(library)
    pieces[name] = "has a damaged piece 'planted' (stored)"  # what the store says is what a run uses
    stored.write_bytes(__import__("marshal").dumps(pieces))
    _new_process()
    with pytest.raises(art.ArtDamaged, match="planted"):
        art.piece(library, name)


def test_an_edited_file_is_parsed_anew(library: Path):
    name = sorted(art.library(library))[0]
    data = json.loads(library.read_text(encoding="utf-8"))
    data["pieces"][name]["box"] = [0, 0, 1, 1]
    library.write_text(json.dumps(data), encoding="utf-8")
    _new_process()
    assert art.piece(library, name).box == (0, 0, 1, 1)
    assert len(_stored(library)) == 2


@pytest.mark.parametrize("damage", [b"", b"\x00 not marshal", b"\xe9"])
def test_a_damaged_store_is_made_again(library: Path, damage: bytes):
    name = sorted(art.library(library))[0]
    (stored,) = _stored(library)
    stored.write_bytes(damage)
    _new_process()
    assert art.piece(library, name).box == tuple(json.loads(library.read_text(encoding="utf-8"))["pieces"][name]["box"])
    assert stored.read_bytes() != damage


def test_a_damaged_piece_is_named_when_drawn_and_from_the_store_too(library: Path):
    data = json.loads(library.read_text(encoding="utf-8"))
    name = sorted(data["pieces"])[0]
    data["pieces"][name]["shapes"][0]["fill"] = "#zzzzzz"
    library.write_text(json.dumps(data), encoding="utf-8")
    for _ in range(2):  # parsed, then from the store
        _new_process()
        with pytest.raises(art.ArtDamaged, match=f"has a damaged piece '{name}' \\(ValueError"):
            art.piece(library, name)
        assert art.piece(library, sorted(data["pieces"])[1]).shapes
