"""Every PDF the tool makes: embedded subset fonts with ToUnicode, no Helvetica, page boxes set,
fonts taken from the repository (no system fonts), metadata present."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, tool
from pdfcheck import boxes, fonts

from builder.content.theme import load_theme
from builder.paths import find_project


def _pdfs(built: Path) -> list[Path]:
    found = sorted((built / "output").rglob("*.pdf"))
    assert len(found) >= 5, found
    return found


def test_every_font_is_embedded_subset_with_tounicode(built: Path):
    for pdf in _pdfs(built):
        rows = fonts(pdf)
        assert rows, f"{pdf.name} lists no fonts"
        for row in rows:
            assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), (pdf.name, row)
            assert "Helvetica" not in row["name"], (pdf.name, row)


def test_every_page_has_trim_and_bleed_boxes(built: Path):
    for pdf in _pdfs(built):
        for number, page in enumerate(boxes(pdf), 1):
            assert "TrimBox" in page and "BleedBox" in page, (pdf.name, number)


def test_metadata_is_set(built: Path):
    info = tool("pdfinfo", str(built / "output" / "newsletter" / "newsletter.pdf"))
    assert "Title:" in info and "職場のセキュリティ通信" in info
    assert "Author:" in info


def test_fonts_come_from_the_repository_not_the_system():
    theme = load_theme(find_project(ROOT))
    for role, path in theme.fonts.items():
        assert path.resolve().is_relative_to(ROOT.resolve()), (role, path)
        assert (path.parent / "SOURCES.md").is_file()
