"""Content limits at their edges, loaded in this process (no build): an explanation of exactly the
shortest allowed length is accepted, one character less is refused; a site word naming an unknown
placeholder is refused with the placeholders it may use; a percentage over 100 is refused as
such. The limits are written here from the
README's promise (80-120 characters) and content/site.yaml's comment, not read from the code.
The theme: a press section that names only its output condition, and a project fonts/ folder that
cannot be looked into (two builder/content/theme.py mutants no test saw)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, make_project, replace_once

from builder.content.deck import load_deck
from builder.content.site import load_site
from builder.content.survey import load_survey
from builder.content.theme import load_theme
from builder.errors import ContentError
from builder.paths import find_project

OLD = ("辞めた人や異動した人のIDが使えるままだと、情報の持ち出しや不正なアクセスの抜け道になります。退職や異動のときは"
       "IDと権限をすぐに見直し、誰が何を使えるかを、半年に一度など定期的に確かめましょう。")
SHORTEST = 80


def _project(tmp_path: Path, file: str, old: str, new: str):
    """The shipped content with one edit, as the loaders see a project; and the edit's line."""
    line = replace_once(make_project(tmp_path), file, old, new)
    return find_project(tmp_path), line


@pytest.mark.parametrize("length", [SHORTEST, SHORTEST - 1])
def test_the_shortest_explanation_is_accepted_and_one_less_is_not(tmp_path: Path, length: int):
    project, _ = _project(tmp_path, "karuta.yaml", OLD, OLD[:length])
    if length == SHORTEST:
        card = next(c for c in load_deck(project, load_theme(project)).cards if c.kana == "ぬ")
        assert len(card.explanation) == SHORTEST
    else:
        with pytest.raises(ContentError, match=f"card 'ぬ': explanation has {length} characters; write at least 80"):
            load_deck(project, load_theme(project))


def test_a_site_word_naming_an_unknown_placeholder_lists_the_known_ones(tmp_path: Path):
    project, line = _project(tmp_path, "site.yaml", "  card_label: 「{kana}」の札", "  card_label: 「{kanji}」の札")
    with pytest.raises(ContentError) as raised:
        load_site(project)
    message = str(raised.value)
    assert f"site.yaml:{line}:" in message and "{kanji}" in message and "not known" in message
    for known in ("{kana}", "{slogan}", "{keyword}", "{topic}", "{picture}", "{deck}"):
        assert known in message


def test_a_percentage_over_100_is_refused_as_such(tmp_path: Path):
    project, line = _project(tmp_path, "survey-2021.yaml", "      - [10.5, 89.5]", "      - [10.5, 100.5]")
    with pytest.raises(ContentError, match=rf"survey-2021\.yaml:{line}:\d+: chart C1: 100.5 is over 100 %"):
        load_survey(project.content / "survey-2021.yaml")


def test_a_press_section_without_a_condition_name_takes_the_registered_name(tmp_path: Path):
    """JC200103 is registered (ICC characterization data registry) as "Japan Color 2001 Coated":
    a theme that leaves the name out still loads, and its PDF/X output intent carries that name."""
    project, _ = _project(tmp_path, "theme.yaml", "  condition_name: Japan Color 2001 Coated\n", "")
    press = load_theme(project).press
    assert (press.output_condition, press.condition_name) == ("JC200103", "Japan Color 2001 Coated")


def test_a_fonts_folder_that_cannot_be_looked_into_is_passed_over(tmp_path: Path, monkeypatch):
    """The project's own fonts/ is searched first; where the system refuses to look into it
    (permission denied, simulated here: the tests may run as root), the shipped fonts serve, as
    when the folder is missing, instead of the build failing on a font it cannot read."""
    project = find_project(make_project(tmp_path))
    own = project.root / "fonts"
    real_is_file = Path.is_file

    def is_file(path: Path) -> bool:
        if own in path.parents:
            raise PermissionError(13, "Permission denied", str(path))
        return real_is_file(path)

    monkeypatch.setattr(Path, "is_file", is_file)
    fonts = load_theme(project).fonts
    assert fonts and all(path.parent == ROOT / "fonts" for path in fonts.values()), fonts
