"""Preflight of every print-shop PDF, as a Japanese print shop checks a PDF/X-1a:2001 file: CMYK only,
the output intent, PDF/X keys in Info, a document ID, page boxes read from each page dictionary,
embedded fonts, black text as K100 overprinting (and nothing but K100 text and lines overprinting),
small type and hairlines in one ink, the backs sheets' backs at the mirror places of their fronts, and
(with Ghostscript) total ink on the rendered separations. The oracle is the PDF as qpdf and poppler read
it and the numbers ISO 15930-1 and the printing condition give, never the code that wrote it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import invoke
from pdfcheck import fonts, page_count, text
from preflight import Pdf, Scan, box, ghostscript_total_ink, inks, inside, scan

PT_PER_MM = 72 / 25.4
MAX_TOTAL_INK = 300.0  # % for Japan Color 2001 Coated, the shipped theme's printing condition
FINE_TEXT = 9.0  # pt: smaller text in one ink
FINE_LINE = 0.5  # pt: thinner lines in one ink
BLACK = ("DeviceCMYK", (0.0, 0.0, 0.0, 1.0))
EXPECTED = {"newsletter/newsletter-press.pdf", "karuta/karuta-press-sheets.pdf", "karuta/karuta-press-cards.pdf",
            "karuta/karuta-press-playsheet.pdf", "karuta/karuta-press-sheets-backs.pdf",
            "karuta/karuta-press-cards-backs.pdf"}
ONE_CARD_A_PAGE = {"karuta/karuta-press-cards.pdf", "karuta/karuta-press-cards-backs.pdf"}
pytestmark = pytest.mark.xdist_group("preflight")  # one worker parses and scans the files (module fixtures)


@pytest.fixture(scope="module")
def press(built: Path) -> Path:
    """The session build's output: `all --press --backs` (newsletter and deck) from the shipped content."""
    return built / "output"


def _files(press: Path) -> list[Path]:
    """The print-shop PDFs (the office files and images of the same build are not for the press)."""
    found = sorted(p for p in press.rglob("*.pdf") if "press" in p.name)
    assert EXPECTED <= {str(p.relative_to(press)) for p in found}, found
    return found


@pytest.fixture(scope="module")
def parsed(press: Path) -> dict[str, Pdf]:
    return {str(path.relative_to(press)): Pdf.read(path) for path in _files(press)}


def test_build_all_press_writes_only_pdfx_files(press: Path):
    for path in _files(press):
        head = path.read_bytes()[:8]
        assert head == b"%PDF-1.3", (path.name, head)  # PDF/X-1a:2001 is based on PDF 1.3


def _checked_pages(name: str, count: int) -> list[int]:
    """The page numbers whose painting is checked: all, but the one-card-a-page files hold the faces
    of the sheets (checked whole) again, so their first and last pages stand for what each page adds
    around its face (bleed, marks, slug line)."""
    return [1, count] if name in ONE_CARD_A_PAGE else list(range(1, count + 1))


@pytest.fixture(scope="module")
def scans(parsed: dict[str, Pdf]) -> dict[str, dict[int, Scan]]:
    """The checked pages' content streams (by page number) run through the graphics-state machine
    once, for every test that reads them."""
    found = {}
    for name, pdf in parsed.items():
        pages = pdf.pages()
        found[name] = {number: scan(pdf.content(pages[number - 1]), pdf.ext_gstates(pages[number - 1]))
                       for number in _checked_pages(name, len(pages))}
    return found


def test_no_rgb_anywhere(parsed: dict[str, Pdf], scans: dict[str, dict[int, Scan]]):
    for name, pdf in parsed.items():
        assert b"/DeviceRGB" not in pdf.raw and b"/CalRGB" not in pdf.raw and b"/ICCBased" not in pdf.raw, name
        for number, page in scans[name].items():
            operators = page.operators
            assert not operators & {"rg", "RG"}, (name, number, operators & {"rg", "RG"})
        for body in pdf.objects.values():  # images: CMYK or gray only
            if re.search(rb"/Subtype\s*/Image", body):
                assert re.search(rb"/ColorSpace\s*/Device(CMYK|Gray)", body), (name, body[:200])


def test_no_transparency(parsed: dict[str, Pdf]):
    for name, pdf in parsed.items():
        assert not re.search(rb"/(CA|ca)\s+0?\.\d", pdf.raw), name
        assert b"/SMask" not in pdf.raw and b"/Group" not in pdf.raw, name
        assert not re.search(rb"/BM\s*/(?!Normal|Compatible)", pdf.raw), name


def test_output_intent_names_the_printing_condition(parsed: dict[str, Pdf]):
    for name, pdf in parsed.items():
        intents = pdf.ref(pdf.catalog(), "OutputIntents")
        assert intents is not None, name
        assert re.search(rb"/S\s*/GTS_PDFX", intents), name
        assert b"/OutputConditionIdentifier (JC200103)" in intents, name
        assert b"/RegistryName (http://www.color.org)" in intents, name


def test_info_has_the_pdfx_keys_and_the_trailer_an_id(parsed: dict[str, Pdf]):
    for name, pdf in parsed.items():
        info = pdf.info()
        assert b"/GTS_PDFXVersion (PDF/X-1a:2001)" in info, name
        assert b"/GTS_PDFXConformance (PDF/X-1a:2001)" in info, name
        assert re.search(rb"/Trapped\s*/False", info), name
        for key in (b"/Title", b"/CreationDate", b"/ModDate"):
            assert key in info, (name, key)
        assert re.search(rb"/ID\s*\[\s*<[0-9a-fA-F]{32}>\s*<[0-9a-fA-F]{32}>\s*\]", pdf.trailer), name


def test_every_page_dictionary_has_trim_inside_bleed_inside_media(parsed: dict[str, Pdf]):
    for name, pdf in parsed.items():
        pages = pdf.pages()
        assert pages, name
        for number, page in enumerate(pages, 1):
            media, bleed, trim = box(page, "MediaBox"), box(page, "BleedBox"), box(page, "TrimBox")
            assert media and bleed and trim, (name, number)  # written in the page, not poppler's defaults
            assert inside(trim, bleed) and inside(bleed, media), (name, number, trim, bleed, media)


def test_every_font_is_embedded(press: Path):
    for path in _files(press):
        rows = fonts(path)
        assert rows and all(row["emb"] == "yes" for row in rows), (path.name, rows)


def _painted(pdf: Pdf):
    for number, page in enumerate(pdf.pages(), 1):
        for item in scan(pdf.content(page), pdf.ext_gstates(page)).painted:
            yield number, item


@pytest.fixture(scope="module")
def painted(scans: dict[str, dict[int, Scan]]) -> dict[str, list]:
    """(page number, item) for everything each file paints on its checked pages."""
    return {name: [(number, item) for number, page in pages.items() for item in page.painted]
            for name, pages in scans.items()}


def test_black_text_is_k100_and_overprints(painted: dict[str, list]):
    for name, items in painted.items():
        black = 0
        for number, item in items:
            if item.kind == "text" and item.state.fill == BLACK:
                black += 1
                assert item.state.op and item.state.opm == 1, (name, number, item.state)
            if item.kind == "text" and item.state.fill[0] == "DeviceCMYK":
                c, m, y, k = item.state.fill[1]
                assert not (k >= 0.85 and c == m == y == 0 and k < 1), (name, number, "black text not K100", k)
        assert black > 0, f"{name}: no K100 text found"


def test_small_type_and_hairlines_print_in_one_ink(painted: dict[str, list]):
    for name, items in painted.items():
        for number, item in items:
            if item.kind == "text" and item.state.font_size < FINE_TEXT:
                assert inks(item.state.fill) <= 1, (name, number, item.state.font_size, item.state.fill)
            if item.kind == "stroke" and item.state.line_width < FINE_LINE:
                assert inks(item.state.stroke) <= 1, (name, number, item.state.line_width, item.state.stroke)


def test_crop_marks_are_0_3_pt_in_registration_colour(parsed: dict[str, Pdf], painted: dict[str, list]):
    for name, pdf in parsed.items():
        marks = [item for _, item in painted[name] if item.kind == "stroke" and item.state.stroke[0] != "DeviceCMYK"]
        assert marks, f"{name}: no registration-colour marks"
        widths = {round(item.state.line_width, 2) for item in marks}
        assert widths == {0.3}, (name, widths)
        spaces = {item.state.stroke[1] for item in marks}
        assert all(values == (1.0,) for values in spaces), (name, spaces)
        space_names = set(re.findall(rb"/Separation\s*/(\w+)", pdf.raw))
        assert space_names == {b"All"}, (name, space_names)


def test_slug_line_outside_the_trim_names_file_page_and_date(press: Path):
    for path in _files(press):
        pages = page_count(path)
        texts = text(path).split("\f")  # pdftotext ends every page with a form feed
        assert len(texts) == pages + 1 and not texts[-1].strip(), (path.name, len(texts), pages)
        for number, words in enumerate(texts[:-1], 1):
            assert re.search(re.escape(path.name) + rf"\s+{number}/{pages}\s+\d{{4}}-\d{{2}}-\d{{2}}", words), \
                (path.name, number, words[-300:])


def test_total_ink_on_the_separations_stays_within_the_limit(press: Path, parsed: dict[str, Pdf], tmp_path: Path):
    checked = {path: _checked_pages(str(path.relative_to(press)), len(parsed[str(path.relative_to(press))].pages()))
               for path in _files(press)}
    for path, worst in ghostscript_total_ink(checked, tmp_path).items():
        assert worst <= MAX_TOTAL_INK + 1.0, (path.name, worst)  # 1 % for 8-bit rounding of four plates


def test_the_theme_names_another_printing_condition(project: Path):
    theme = project / "content" / "theme.yaml"
    text_ = theme.read_text(encoding="utf-8")
    assert "output_condition: JC200103" in text_
    theme.write_text(text_.replace("output_condition: JC200103", "output_condition: FOGRA39")
                     .replace("condition_name: Japan Color 2001 Coated", "condition_name: Coated FOGRA39"),
                     encoding="utf-8")
    assert invoke(project, "newsletter", "--press").returncode == 0
    pdf = Pdf.read(project / "output" / "newsletter" / "newsletter-press.pdf")
    intents = pdf.ref(pdf.catalog(), "OutputIntents")
    assert b"/OutputConditionIdentifier (FOGRA39)" in intents and b"(Coated FOGRA39)" in intents


def test_cmyk_alone_makes_an_office_file_not_pdfx(project: Path):
    assert invoke(project, "newsletter", "--cmyk").returncode == 0
    (path,) = (project / "output" / "newsletter").glob("*.pdf")  # named by builder.names
    pdf = Pdf.read(path)
    assert pdf.ref(pdf.catalog(), "OutputIntents") is None and b"GTS_PDFX" not in pdf.info()
    assert not any(item.state.op for _, item in _painted(pdf))  # office printers: nothing overprints
    assert any(item.state.fill[0] == "DeviceCMYK" for _, item in _painted(pdf))


def _overprints_wrongly(item) -> bool:
    """The print shop's rule: K100 text and K100 lines (strokes) overprint, every one of them; any other
    colour, and every area fill (black ones too: an area of black knocks out), does not. Registration
    marks (/All, on every plate anyway) look the same either way and are left out."""
    state = item.state
    if item.kind == "text":
        black = state.fill == BLACK
        return state.op != black or (black and state.opm != 1)
    if item.kind == "stroke" and state.stroke[0] == "DeviceCMYK":
        black = state.stroke == BLACK
        if state.OP != black or (black and state.opm != 1):
            return True
    return item.operator not in ("S", "s") and state.op  # a fill (alone or under a stroke) knocks out


def test_only_black_text_and_lines_overprint_and_all_of_them_do(painted: dict[str, list]):
    for name, items in painted.items():
        wrong = [(number, item.kind, item.operator, item.state) for number, item in items if _overprints_wrongly(item)]
        assert not wrong, (name, f"{len(wrong)} painted items break the overprint rule", wrong[:3])
    black_lines = [item for item in (item for _, item in painted["newsletter/newsletter-press.pdf"])
                   if item.kind == "stroke" and item.state.stroke == BLACK]
    assert black_lines, "the newsletter has no K100 rules: the rule's stroke half is not exercised"


PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "Letter": (215.9, 279.4)}
_FILLED_RECT = re.compile(rb" re\s+f[\s*]")  # a literal first: a pattern starting with numbers is slow on
_CM = re.compile(rb" cm\s")                    # the backs' 30,000 lines; the operands are read back from the line
_TEXT_AT = re.compile(rb"BT 1 0 0 1 ([-\d.]+) ([-\d.]+) Tm")


def _operands(content: bytes, end: int, count: int) -> list[bytes]:
    """The `count` operands before an operator that starts at `end` (on its line)."""
    return content[content.rfind(b"\n", 0, end) + 1:end].split()[-count:]


def _cells(content: bytes, width: float, height: float) -> list[tuple[float, float]]:
    """Lower-left corners (pt) of the filled rectangles of one card's cell (card and bleed) on a sheet.
    Coordinates are read as drawn: no transformation may move them (the sheets use none)."""
    for m in _CM.finditer(content):
        assert tuple(float(v) for v in _operands(content, m.start(), 6)) == (1, 0, 0, 1, 0, 0), m
    found = []
    for m in _FILLED_RECT.finditer(content):
        x, y, w, h = (float(v) for v in _operands(content, m.start(), 4))
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        if abs(w - width) < 0.05 and abs(h - height) < 0.05:
            found.append((round(x, 1), round(y, 1)))
    return found


def test_every_back_sits_at_the_mirror_of_its_front_on_the_press_sheets(press: Path, parsed: dict[str, Pdf]):
    """Long-edge duplex on portrait paper turns the sheet about its vertical axis: the back of the card at
    (x, y) lies at (paper width - x - cell width, y). Expected places from the theme's sheet geometry
    (paper, card, bleed, press gutter: the grid centred on the paper), the drawn places from the PDFs."""
    from conftest import safe_load

    style = safe_load((press.parent / "content" / "theme.yaml").read_text(encoding="utf-8"))["karuta"]
    paper_w, paper_h = (v * PT_PER_MM for v in PAPER_MM[style["paper"]])
    cell_w = (style["card"]["width"] + 2 * style["bleed"]) * PT_PER_MM
    cell_h = (style["card"]["height"] + 2 * style["bleed"]) * PT_PER_MM
    pitch_x, pitch_y = cell_w + style["press_gutter"] * PT_PER_MM, cell_h + style["press_gutter"] * PT_PER_MM
    fronts, backs = parsed["karuta/karuta-press-sheets.pdf"], parsed["karuta/karuta-press-sheets-backs.pdf"]
    front_pages, back_pages = fronts.pages(), backs.pages()
    assert len(front_pages) == len(back_pages) > 1
    near = lambda a, b: abs(a - b) < 0.2  # noqa: E731 (pt)
    full = None
    for number, (front_page, back_page) in enumerate(zip(front_pages, back_pages), 1):
        front_content, back_content = fronts.content(front_page), backs.content(back_page)
        front, back = _cells(front_content, cell_w, cell_h), _cells(back_content, cell_w, cell_h)
        assert front and len(set(front)) == len(front), (number, front)
        full = full or sorted(front)  # the first sheet is full: the grid whose slots the rest fill in order
        xs, ys = sorted({x for x, _ in full}), sorted({y for _, y in full})
        assert all(near(b - a, pitch_x) for a, b in zip(xs, xs[1:])) and len(xs) > 1, xs  # mirroring must move
        assert all(near(b - a, pitch_y) for a, b in zip(ys, ys[1:])), ys
        assert near(xs[0], paper_w - xs[-1] - cell_w) and near(ys[0], paper_h - ys[-1] - cell_h), (xs, ys)
        assert all(any(near(x, fx) and near(y, fy) for fx, fy in full) for x, y in front), (number, front)
        expected = sorted((round(paper_w - x - cell_w, 1), y) for x, y in front)
        assert len(back) == len(front), (number, f"{len(back)} backs for {len(front)} fronts", back)
        assert all(near(bx, ex) and near(by, ey) for (bx, by), (ex, ey) in zip(sorted(back), expected)), \
            (number, sorted(back), expected)
        texts = [(float(x), float(y)) for x, y in _TEXT_AT.findall(back_content)]
        for x, y in back:  # each back's own words (title, label) are drawn inside its cell
            assert any(x < tx < x + cell_w and y < ty < y + cell_h for tx, ty in texts), (number, (x, y))
