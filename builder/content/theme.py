"""content/theme.yaml -> Theme."""

from __future__ import annotations

import re
from pathlib import Path

from builder.content.source import MAX_FILE_BYTES, Node, load, read_limited
from builder.model.theme import (
    PAPER_SIZES, BackStyle, Colour, Composer, CoverStyle, KarutaStyle, NewsletterStyle, Paper, PictureStyle, PressStyle,
    SocialStyle, TextRules, Theme, plain_cmyk,
)
from builder.paths import Project
from builder.text.fonts import face
from builder.text.opentype import FontProblem, truetype

FONT_ROLES = ("body", "bold", "display", "grid")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
MAX_FILE_NAME = 255  # bytes, as most file systems allow
JAPANESE_PROBE = "あア日"  # every role draws kana and kanji: a font without these has no Japanese at all
SIZE_RANGE = (4.0, 144.0)  # pt: below 4 nothing prints legibly, above 144 nothing fits a page or card
NEWSLETTER_SIZES = ("masthead", "headline", "lead", "part", "heading", "body", "callout_value",
                    "callout_label", "chart_title", "chart_label", "chart_value", "note", "footer")
NEWSLETTER_COLOURS = ("masthead", "part", "heading", "body", "callout", "callout_back", "note",
                      "footer", "rule", "paper", "chart_focus", "chart_focus_soft")
KARUTA_SIZES = ("kana", "slogan", "explanation", "reading_kana")
BACK_PATTERNS = ("asanoha", "kagome")
BACK_SIDES = ("picture", "reading")
KARUTA_COLOURS = ("frame", "kana", "kana_back", "reading_back", "slogan",
                  "explanation", "cut_guide")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def load_theme(project: Project) -> Theme:
    root = load(project.content / "theme.yaml").mapping(required=("fonts", "colours", "text", "newsletter", "karuta"),
                                                        optional=("press",))
    fonts = _fonts(project, root["fonts"])
    press = _press(root["press"]) if "press" in root else PressStyle()
    colours = _colours(root["colours"], press)
    text = root["text"].mapping(required=("hanging_allowance", "line_height", "min_size_ratio"))
    rules = TextRules(
        hanging_allowance=_between(text["hanging_allowance"], 0, 1.5),
        line_height=_between(text["line_height"], 1, 3),
        min_size_ratio=_between(text["min_size_ratio"], 0.3, 1),
    )
    return Theme(fonts=fonts, colours=colours, text=rules,
                 newsletter=_newsletter(root["newsletter"], colours),
                 karuta=_karuta(root["karuta"], colours), press=press)


def _positive(node: Node) -> float:
    value = node.number()
    if value <= 0:
        raise node.error(f"{node.label} must be greater than 0; it is {value:g}")
    return value


def _fonts(project: Project, node: Node) -> dict[str, Path]:
    """Each role's font as a TrueType file: a name in fonts/, or {file: ..., face: name or index}
    to choose a face of a collection (.ttc). CFF (.otf) fonts are converted (text/opentype.py)."""
    fonts = node.mapping(required=FONT_ROLES)
    found: dict[str, Path] = {}
    for role in FONT_ROLES:
        spec = fonts[role]
        chosen: str | int | None = None
        if spec.is_mapping():
            entry = spec.mapping(required=("file",), optional=("face",)).labelled(f"font {role}")
            name_node = entry["file"]
            if "face" in entry:
                face_node = entry["face"]  # an index (0, 1, ...) or a name such as "Noto Sans CJK JP"
                chosen = face_node.integer() if face_node.node.tag.endswith(":int") else face_node.text()
        else:
            name_node = spec
        found[role] = _font_file(project, name_node, chosen)
    return found


def _font_file(project: Project, name_node: Node, chosen: str | int | None) -> Path:
    name = name_node.text()
    if "/" in name or "\\" in name or name.startswith("."):
        raise name_node.error(f"font '{name}' must be a plain file name inside fonts/, not a path")
    if len(name.encode()) > MAX_FILE_NAME:
        raise name_node.error(f"the font name is {len(name.encode())} bytes long; file names are limited to "
                              f"{MAX_FILE_NAME}, so fix the name")
    if Path(name).suffix.lower() not in FONT_SUFFIXES:
        raise name_node.error(f"font '{name}' is not a font file name; name a .ttf, .otf or .ttc file")
    path = next((folder / name for folder in project.font_dirs if _is_file(folder / name)), None)
    if path is None:
        raise name_node.error(f"font file '{name}' is not in fonts/; copy the font there or fix the name")
    try:
        usable = truetype(path, chosen, lambda: project_chars(project))
        parsed = face(usable)  # parsed now, so that a damaged file is named here and not deep in a layout
    except FontProblem as err:
        raise name_node.error(f"font '{name}': {err}") from None
    except Exception as err:  # reportlab and fontTools raise many kinds for a damaged file
        raise name_node.error(f"font '{name}' cannot be read: the file is damaged or not a font "
                              f"({type(err).__name__}); replace it with a working .ttf, .otf or .ttc") from None
    lacking = parsed.missing(JAPANESE_PROBE)
    if lacking is not None:  # one cause, told once at its line: not the first text each command happens to meet
        raise name_node.error(f"font '{name}' has no Japanese characters (no '{lacking}'), and every font role sets "
                              "Japanese text; name a Japanese font here")
    return usable


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def project_chars(project: Project) -> str:
    """Every character the project may print: its content files' text and the tool's own words."""
    chars: set[str] = set()
    for path in project.content.rglob("*.yaml"):
        if _is_file(path):
            chars |= set(read_limited(path, MAX_FILE_BYTES).decode("utf-8", "replace"))
    words: set[str] = set()
    for path in Path(__file__).resolve().parents[1].rglob("*.py"):
        words |= set(path.read_text(encoding="utf-8"))  # a set first: ord() per distinct character, not per one read
    return "".join(chars | {c for c in words if ord(c) > 0x7F})


def _colours(node: Node, press: PressStyle) -> dict[str, Colour]:
    colours: dict[str, Colour] = {}
    table = node.mapping()
    for name in table.keys():
        entry = table[name].mapping(required=("rgb",), optional=("cmyk",)).labelled(f"colour '{name}'")
        hex_text = entry["rgb"].text()
        if not _HEX.match(hex_text):
            raise entry["rgb"].error(f"colour '{name}': '{hex_text}' is not a colour; write it as \"#1a2b3c\"")
        rgb = tuple(int(hex_text[i:i + 2], 16) for i in (1, 3, 5))
        if "cmyk" in entry:
            parts = entry["cmyk"].items()
            if len(parts) != 4:
                raise entry["cmyk"].error(f"colour '{name}': cmyk needs four numbers [C, M, Y, K] from 0 to 100")
            cmyk = tuple(_percent(p) / 100 for p in parts)
            _check_mix(name, parts, cmyk, entry["cmyk"], press)
        else:
            cmyk = _rgb_to_cmyk(rgb, press)
        colours[name] = Colour(name, rgb, cmyk)  # type: ignore[arg-type]
    if not colours:
        raise node.error("the theme defines no colours; add some under 'colours'")
    return colours


def _percent(node: Node) -> float:
    value = node.number()
    if not 0 <= value <= 100:
        raise node.error(f"{node.label} must be between 0 and 100; it is {value:g}")
    return value


def _check_mix(name: str, parts: list[Node], cmyk: tuple[float, ...], node: Node, press: PressStyle) -> None:
    """A print shop's rules for a mix: every component 0 or at least the press minimum (a 2 %
    dot does not hold on press), and the total ink within the printing condition's limit."""
    for ink, part, value in zip("CMYK", parts, cmyk):
        if 0 < value < press.min_ink:
            raise part.error(f"colour '{name}': {ink} {value * 100:g} % is too faint to hold on press; "
                             f"make it 0 or at least {press.min_ink * 100:g}")
    total = sum(cmyk)
    if total > press.max_total_ink + 1e-9:
        raise node.error(f"colour '{name}': the mix has {total * 100:g} % ink in all; keep C+M+Y+K at "
                         f"{press.max_total_ink * 100:g} % or less (take some C, M and Y out and rely on K)")


def _rgb_to_cmyk(rgb: tuple[int, ...], press: PressStyle) -> tuple[float, float, float, float]:
    """A plain conversion for colours the theme gives no CMYK mix for (the one the art uses too)."""
    return plain_cmyk(rgb, press.min_ink)  # type: ignore[arg-type]


def _press(node: Node) -> PressStyle:
    """The printing condition (an ICC-registered characterisation, so that no profile needs
    shipping) and the limits that go with it."""
    m = node.mapping(optional=("output_condition", "condition_name", "registry", "max_total_ink"))
    default = PressStyle()
    return PressStyle(
        output_condition=m["output_condition"].text() if "output_condition" in m else default.output_condition,
        condition_name=m["condition_name"].text() if "condition_name" in m else default.condition_name,
        registry=m["registry"].text() if "registry" in m else default.registry,
        max_total_ink=_between(m["max_total_ink"], 200, 400, "%") / 100 if "max_total_ink" in m
        else default.max_total_ink,
    )


def _colour_ref(node: Node, colours: dict[str, Colour]) -> Colour:
    return colours[node.choice(colours)]


def _named_colours(node: Node, keys: tuple[str, ...], colours: dict[str, Colour]) -> dict[str, Colour]:
    table = node.mapping(required=keys)
    return {key: _colour_ref(table[key], colours) for key in keys}


def _sizes(node: Node, keys: tuple[str, ...]) -> dict[str, float]:
    table = node.mapping(required=keys)
    return {key: _between(table[key], *SIZE_RANGE, "pt") for key in keys}


def _between(node: Node, low: float, high: float, unit: str = "") -> float:
    value = node.number()
    if not low <= value <= high:
        raise node.error(f"{node.label} is {value:g}{unit and ' ' + unit}; use a value from {low:g} to {high:g}")
    return value


def _paper(node: Node) -> Paper:
    name = node.choice(PAPER_SIZES)
    width, height = PAPER_SIZES[name]
    return Paper(name, width, height)


def _newsletter(node: Node, colours: dict[str, Colour]) -> NewsletterStyle:
    m = node.mapping(required=("paper", "margin", "bleed", "sizes", "colours", "chart_palette", "composer", "cover"))
    margin = m["margin"].mapping(required=("top", "bottom", "inner", "outer"))
    palette = tuple(_colour_ref(item, colours) for item in m["chart_palette"].items(min_items=2))
    return NewsletterStyle(
        paper=_paper(m["paper"]),
        margin={key: _between(margin[key], 5, 50, "mm") for key in ("top", "bottom", "inner", "outer")},
        bleed=_between(m["bleed"], 1, 10, "mm"),
        sizes=_sizes(m["sizes"], NEWSLETTER_SIZES),
        colours=_named_colours(m["colours"], NEWSLETTER_COLOURS, colours),
        chart_palette=palette,
        composer=_composer(m["composer"]),
        cover=_cover(m["cover"]),
    )


def _cover(node: Node) -> CoverStyle:
    m = node.mapping(required=("spare_under_masthead", "gaps"))
    return CoverStyle(spare_under_masthead=_between(m["spare_under_masthead"], 0, 1),
                      gaps=tuple(_between(item, 0, 30, "mm") for item in m["gaps"].items(min_items=1)))


def _composer(node: Node) -> Composer:
    m = node.mapping(required=("chart_scales", "side_growth", "max_unused", "stretch", "columns_from_lines",
                               "max_chars", "action_gaps", "pie_min", "pie_wide"))
    scales = tuple(_between(item, 0.5, 2) for item in m["chart_scales"].items(min_items=1))
    return Composer(chart_scales=scales, side_growth=_between(m["side_growth"], 1, 5),
                    max_unused=_between(m["max_unused"], 0, 100, "mm"), stretch=_between(m["stretch"], 0, 30, "mm"),
                    columns_from_lines=int(_between(m["columns_from_lines"], 2, 40)),
                    max_chars=int(_between(m["max_chars"], 10, 80)),
                    action_gaps=tuple(_between(item, 0, 30, "mm") for item in m["action_gaps"].items(min_items=1)),
                    pie_min=_between(m["pie_min"], 10, 80, "mm"), pie_wide=_between(m["pie_wide"], 50, 500, "mm"))


def _karuta(node: Node, colours: dict[str, Colour]) -> KarutaStyle:
    m = node.mapping(required=("card", "safe_margin", "bleed", "paper", "sheet_margin", "sheet_gutter",
                               "press_gutter", "sizes", "colours", "back", "social", "picture"))
    card = m["card"].mapping(required=("width", "height", "corner_radius"))
    back = m["back"].mapping(required=("text", "title_size", "label_size", "pattern_cell", "pattern_line")
                             + BACK_SIDES)
    style = KarutaStyle(
        card_width=_positive(card["width"]),
        card_height=_positive(card["height"]),
        corner_radius=_between(card["corner_radius"], 0, 10, "mm"),
        safe_margin=_between(m["safe_margin"], 1, 15, "mm"),
        bleed=_between(m["bleed"], 1, 10, "mm"),
        paper=_paper(m["paper"]),
        sheet_margin=_between(m["sheet_margin"], 5, 40, "mm"),
        press_gutter=_between(m["press_gutter"], 4, 40, "mm"),
        sizes=_sizes(m["sizes"], KARUTA_SIZES),
        colours=_named_colours(m["colours"], KARUTA_COLOURS, colours),
        back_text=back["text"].text(),
        backs={side: _back(back[side], colours) for side in BACK_SIDES},
        sheet_gutter=_between(m["sheet_gutter"], 3, 20, "mm"),
        back_sizes={"title": _between(back["title_size"], *SIZE_RANGE, "pt"),
                    "label": _between(back["label_size"], *SIZE_RANGE, "pt"),
                    "pattern_cell": _between(back["pattern_cell"], 3, 30, "mm"),
                    "pattern_line": _between(back["pattern_line"], 0.18, 1, "mm")},
        social=_social(m["social"], colours),
        picture=_picture(m["picture"], colours),
        where=node.where,
    )
    if style.card_width < 30 or style.card_height < 40:
        raise m["card"].error("the card is smaller than 30 x 40 mm; nothing legible fits, so make it larger")
    paper = style.paper
    if style.card_width + 2 * style.sheet_margin > paper.width or \
            style.card_height + 2 * style.sheet_margin > paper.height:
        raise m["card"].error(f"a {style.card_width:g} x {style.card_height:g} mm card does not fit on "
                              f"{paper.name} ({paper.width:g} x {paper.height:g} mm) inside the "
                              f"{style.sheet_margin:g} mm sheet margin; make it smaller or choose larger paper")
    return style


def _back(node: Node, colours: dict[str, Colour]) -> BackStyle:
    m = node.mapping(required=("colour", "pattern", "pattern_colour", "label"))
    return BackStyle(colour=_colour_ref(m["colour"], colours), pattern=m["pattern"].choice(BACK_PATTERNS),
                     pattern_colour=_colour_ref(m["pattern_colour"], colours), label=m["label"].text())


def _picture(node: Node, colours: dict[str, Colour]) -> PictureStyle:
    m = node.mapping(required=("kana", "disc", "ring", "keyword", "band", "prop", "halo", "colours"))
    return PictureStyle(
        kana=_between(m["kana"], *SIZE_RANGE, "pt"),
        disc=_between(m["disc"], 15, 30, "mm"),  # players spot the kana across a table from 15 mm up
        ring=_between(m["ring"], 0, 3, "mm"),
        keyword=_between(m["keyword"], *SIZE_RANGE, "pt"),
        band=_between(m["band"], 8, 25, "mm"),
        prop=_between(m["prop"], 0.2, 0.8),
        halo=_between(m["halo"], 0, 3, "mm"),
        colours=_named_colours(m["colours"], ("kana", "keyword", "ring", "halo"), colours),
    )


def _social(node: Node, colours: dict[str, Colour]) -> SocialStyle:
    m = node.mapping(required=("brand", "call_to_action", "hashtags", "background", "presets"))
    presets_node = m["presets"].mapping()
    presets: dict[str, tuple[int, int]] = {}
    for name in presets_node.keys():
        size = presets_node[name].items()
        if len(size) != 2:
            raise presets_node[name].error(f"preset '{name}' needs [width, height] in pixels")
        width, height = (item.integer() for item in size)
        if not (200 <= width <= 4000 and 200 <= height <= 4000):
            raise presets_node[name].error(f"preset '{name}': sizes run from 200 to 4000 pixels")
        presets[name] = (width, height)
    if not presets:
        raise m["presets"].error("no social-media presets; add one such as 'square: [1080, 1080]'")
    return SocialStyle(brand=m["brand"].text(), call_to_action=m["call_to_action"].text(),
                       hashtags=tuple(m["hashtags"].texts()),
                       background=_colour_ref(m["background"], colours), presets=presets)
