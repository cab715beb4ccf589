"""Fonts a user may name in theme.yaml: damaged files are refused at their line in theme.yaml,
a face is chosen out of a collection by name or index, and an OpenType CFF collection (Noto
Sans CJK, as most Japanese fonts are CFF) builds the newsletter with the font embedded."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from conftest import ROOT, invoke, tool

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # Debian's fonts-noto-cjk
BODY = "  body: BIZUDPGothic-Regular.ttf"


def _body_line() -> int:
    """The line of the body font in the shipped theme.yaml, counted here from the file itself."""
    return (ROOT / "content" / "theme.yaml").read_text(encoding="utf-8").splitlines().index(BODY) + 1


def _theme(project: Path, body: str) -> None:
    theme = project / "content" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    assert text.count(BODY) == 1
    theme.write_text(text.replace(BODY, f"  body: {body}"), encoding="utf-8")


@pytest.mark.parametrize("damage", ["empty", "truncated", "text", "zeros after the header"])
def test_a_damaged_font_is_named_at_its_line(project: Path, damage: str):
    good = (ROOT / "fonts" / "BIZUDPGothic-Regular.ttf").read_bytes()
    data = {"empty": b"", "truncated": good[:50_000], "text": b"not a font\n",
            "zeros after the header": good[:12] + bytes(len(good) - 12)}[damage]
    (project / "fonts").mkdir()
    (project / "fonts" / "Broken.ttf").write_bytes(data)
    _theme(project, "Broken.ttf")
    result = invoke(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert re.match(rf"content/theme\.yaml:{_body_line()}:\d+: font 'Broken\.ttf'.* replace", result.stderr), result.stderr


def _collection(project: Path) -> None:
    """A TrueType collection of two shipped faces (the Latin-less icon font first). The second is
    cut to the characters the project prints (those the tool keeps when it takes a face out of a
    collection), so that taking it out is quick; reading only the glyphs kept is quick here too."""
    from fontTools import subset

    from builder.content.theme import project_chars
    from builder.paths import Project
    from builder.text.opentype import COMMON

    (project / "fonts").mkdir()
    body = TTFont(ROOT / "fonts" / "BIZUDPGothic-Regular.ttf", lazy=True, recalcBBoxes=False)  # glyphs kept as read
    options = subset.Options(layout_features=["*"], name_IDs=["*"], name_languages=["*"], notdef_outline=True)
    cut = subset.Subsetter(options)
    cut.populate(unicodes={ord(c) for c in project_chars(Project(project)) + COMMON})
    cut.subset(body)
    collection = TTCollection()
    collection.fonts = [TTFont(ROOT / "fonts" / "MTLmr3m.ttf"), body]
    collection.save(project / "fonts" / "Pair.ttc")


def _body_family(project: Path) -> str:
    """The family name (name ID 1, read by fontTools) of the font file the theme's body role uses."""
    from builder.content.theme import load_theme
    from builder.paths import Project

    return TTFont(load_theme(Project(project)).fonts["body"])["name"].getDebugName(1)


def test_a_face_of_a_collection_is_chosen_by_name_or_index(small_project: Path, tmp_path: Path, monkeypatch):
    # the small newsletter (no deck): the face is cut here, and taken out by the tool, for the characters
    # the project prints (504 against the shipped content's 967); which face is chosen does not depend on them
    project = small_project
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the face taken out: not in the user's cache
    _collection(project)
    _theme(project, "{file: Pair.ttc, face: BIZ UDPGothic}")
    result = invoke(project, "check")
    assert result.returncode == 0, result.stderr
    assert _body_family(project) == "BIZ UDPGothic"  # the second face, not the first
    _theme_text = (project / "content" / "theme.yaml").read_text(encoding="utf-8")
    (project / "content" / "theme.yaml").write_text(_theme_text.replace("face: BIZ UDPGothic", "face: 1"),
                                                    encoding="utf-8")
    assert _body_family(project) == "BIZ UDPGothic"
    (project / "content" / "theme.yaml").write_text(_theme_text.replace("face: BIZ UDPGothic", "face: 7"),
                                                    encoding="utf-8")
    result = invoke(project, "check")
    assert result.returncode == 1
    assert re.match(rf"content/theme\.yaml:{_body_line()}:\d+: font 'Pair\.ttc': it holds faces 0 to 1", result.stderr), \
        result.stderr
    (project / "content" / "theme.yaml").write_text(_theme_text.replace("face: BIZ UDPGothic", "face: Gothic X"),
                                                    encoding="utf-8")
    result = invoke(project, "check")
    assert "it has no face named 'Gothic X'; its faces are 0: " in result.stderr, result.stderr


@pytest.mark.skipif(not NOTO.is_file(), reason=f"{NOTO} is not installed (apt-get install fonts-noto-cjk)")
def test_noto_sans_cjk_a_cff_collection_builds_the_newsletter_embedded(small_project: Path):
    # the small newsletter: the face is converted for the characters a project prints, and the
    # shipped deck and newsletter hold three times as many, for the same check
    project = small_project
    (project / "fonts").mkdir()
    shutil.copy(NOTO, project / "fonts")
    _theme(project, "{file: NotoSansCJK-Regular.ttc, face: Noto Sans CJK JP}")
    result = invoke(project, "newsletter")
    assert result.returncode == 0, result.stderr
    fonts = tool("pdffonts", str(project / "output" / "newsletter" / "newsletter.pdf"))
    rows = [line.split() for line in fonts.splitlines() if "NotoSansCJKjp-Regular" in line]
    assert rows, fonts
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in rows), fonts  # embedded and subset
    text = tool("pdftotext", "-f", "1", "-l", "1", str(project / "output" / "newsletter" / "newsletter.pdf"), "-")
    assert "架空の会社で働く200人に" in text.replace("\n", "")
