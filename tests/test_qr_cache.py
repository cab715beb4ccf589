"""A link's QR matrix is kept in the user's cache ($XDG_CACHE_HOME/karuta-press/qr) by its address:
made and stored once, read back by later runs, made again when the stored file is damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.layout import qr

URL = "https://www.ipa.go.jp/security/"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    qr.qr_matrix.cache_clear()
    yield tmp_path / "karuta-press" / "qr"
    qr.qr_matrix.cache_clear()


def _is_qr(matrix) -> bool:
    """A version 1-40 square with the three finder patterns of ISO/IEC 18004 (7x7: dark ring,
    light ring, dark 3x3 core) in its top-left, top-right and bottom-left corners."""
    n = len(matrix)
    if not (21 <= n <= 177 and (n - 17) % 4 == 0 and all(len(row) == n for row in matrix)):
        return False
    for top, left in ((0, 0), (0, n - 7), (n - 7, 0)):
        for r in range(7):
            for c in range(7):
                ring = max(abs(r - 3), abs(c - 3))
                if matrix[top + r][left + c] != (ring != 2):
                    return False
    return True


def _text(matrix) -> str:
    return "\n".join("".join("1" if dark else "0" for dark in row) for row in matrix)


def test_a_matrix_is_made_once_and_stored(cache: Path):
    matrix = qr.qr_matrix(URL)
    assert _is_qr(matrix)
    stored = list(cache.iterdir())
    assert len(stored) == 1 and stored[0].suffix == ".txt"
    assert stored[0].read_text(encoding="ascii") == _text(matrix)


def test_a_later_run_reads_the_stored_matrix(cache: Path):
    matrix = qr.qr_matrix(URL)
    (stored,) = cache.iterdir()
    mirrored = tuple(zip(*matrix))  # still a QR square, but not what the encoder makes for URL
    assert mirrored != matrix
    stored.write_text(_text(mirrored), encoding="ascii")
    qr.qr_matrix.cache_clear()  # as a new process
    assert qr.qr_matrix(URL) == mirrored


@pytest.mark.parametrize("damage", ["", "01\n10", "2" * 21, "not a matrix"])
def test_a_damaged_stored_matrix_is_made_again(cache: Path, damage: str):
    matrix = qr.qr_matrix(URL)
    (stored,) = cache.iterdir()
    stored.write_text(damage, encoding="ascii")
    qr.qr_matrix.cache_clear()
    assert qr.qr_matrix(URL) == matrix
    assert stored.read_text(encoding="ascii") == _text(matrix)


def test_each_address_has_its_own_matrix(cache: Path):
    assert qr.qr_matrix(URL) != qr.qr_matrix(URL + "x")
    assert len(list(cache.iterdir())) == 2
