"""One chart at a time, laid out from a small survey written here, checked against its own data:
bars and columns as long as their values on one scale from 0, wedges as wide as their shares
(clockwise from 12 o'clock, in label order), each value beside its own shape and in the muted
colour when the source gives none, legends in label order with their swatches, the key value in
the doughnut's hole, the header and notes in reading order and the credit flush right.

Oracles: the figures below, the shipped theme's colours and sizes (theme.yaml), the WCAG contrast
formula written here, and text widths and font metrics from the font files. Fast (no builds):
these kill the mutants of builder/layout/charts.py that the shipped-survey tests let pass."""

from __future__ import annotations

import math
from functools import cache

import pytest

from chartcheck import THEME

from builder.layout.charts import layout_chart
from builder.layout.geometry import Line, Polygon, Rect, Text
from builder.model.newsletter import Words
from builder.model.survey import Chart
from builder.text.fonts import PT_TO_MM, face, font_files

FACES = {name: face(path) for name, path in font_files(THEME.fonts).items()}
NL = THEME.newsletter
INK, MUTED, PAPER = NL.colours["body"], NL.colours["note"], NL.colours["paper"]
ACCENT, ACCENT_SOFT, OUTLINE = NL.colours["chart_focus"], NL.colours["chart_focus_soft"], NL.colours["rule"]
PALETTE = NL.chart_palette
GRID, BODY, BOLD = (face(THEME.fonts[role]).name for role in ("grid", "body", "bold"))
LABEL_SIZE, VALUE_SIZE, NOTE_SIZE = NL.sizes["chart_label"], NL.sizes["chart_value"], NL.sizes["note"]
WORDS = Words(overview=(), credit_label="出典", unknown_value="不明", unknown_mark="＊", note_prefix="注：",
              single="単一回答", multiple="複数回答")
CREDIT = "出典：テスト調べ"
EPS = 1e-6


def survey_chart(kind: str, labels: tuple[str, ...], *values: tuple[float | None, ...], **fields) -> Chart:
    """A chart of the small survey of this file: one series unless `series` is given."""
    defaults = dict(id="T1", part="1", title="職場のトラブル", question="この3年間に起きましたか", n=1000,
                    answers="single", kind=kind, unit="%", series=("全体",), labels=labels, values=values)
    return Chart(**{**defaults, **fields})


def lay(chart: Chart, width: float = 90.0, scale: float = 1.0, focus: tuple[str, ...] = ()) -> tuple[list, float]:
    return layout_chart(chart, THEME, width, CREDIT, WORDS, scale=scale, focus=focus)


def fmt(value: float | None) -> str:
    return "不明＊" if value is None else f"{value:.1f}%"


# ------------------------------------------------------------------ reading the display list

def width_of(t: Text) -> float:
    return FACES[t.font].width(t.text, t.size)


def em_box(t: Text) -> tuple[float, float]:
    f, em = FACES[t.font], t.size * PT_TO_MM
    return t.y - f.ascent * em, t.y + f.descent * em


def mid_y(t: Text) -> float:
    top, bottom = em_box(t)
    return (top + bottom) / 2


def mid_x(t: Text) -> float:
    return t.x + width_of(t) / 2


def texts(items) -> list[Text]:
    return [i for i in items if isinstance(i, Text)]


def the_text(items, text: str) -> Text:
    found = [t for t in texts(items) if t.text == text]
    assert len(found) == 1, (text, sorted(t.text for t in texts(items)))
    return found[0]


def bars(items) -> list[Rect]:
    """Filled rects that are not legend swatches (squares of the swatch size)."""
    return [i for i in items if isinstance(i, Rect) and i.fill is not None and not is_swatch(i)]


def is_swatch(r: Rect) -> bool:
    return abs(r.w - r.h) < EPS and abs(r.w - swatch_size()) < EPS


@cache
def swatch_size() -> float:
    """The legend's swatch: the square a two-label legend draws (every legend uses one size)."""
    items, _ = lay(survey_chart("stacked", ("ア", "イ"), (60.0, 40.0)))
    squares = {(i.w, i.h) for i in items if isinstance(i, Rect) and i.fill is not None and abs(i.w - i.h) < EPS}
    assert len(squares) == 1
    return squares.pop()[0]


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio, written out here."""
    def lum(colour) -> float:
        def ch(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
        r, g, b_ = (ch(c) for c in colour.rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable_on(fill):
    """Ink or paper, whichever contrasts more with `fill`; None when even that is under 4.5:1."""
    best = max((INK, PAPER), key=lambda c: contrast(c, fill))
    return best if contrast(best, fill) >= 4.5 else None


def assert_proportional(lengths: list[float], values: list[float]) -> None:
    ratios = [length / value for length, value in zip(lengths, values)]
    assert ratios and max(ratios) - min(ratios) <= 1e-9 * max(ratios), list(zip(values, lengths))


# ------------------------------------------------------------------ header, notes, credit

def test_header_notes_and_credit_read_top_to_bottom():
    chart = survey_chart("bars", ("ア", "イ"), (30.0, None), n=1234, n_note="正社員のみ", answers="multiple",
                         notes=("一つ目の注", "二つ目の注"), unknown_note="非公表")
    items, height = lay(chart)
    order = ["職場のトラブル", "この3年間に起きましたか", "n=1,234：正社員のみ（複数回答）", "ア", "注：一つ目の注",
             "注：二つ目の注", "＊非公表", CREDIT]
    found = [the_text(items, text) for text in order]
    tops = [em_box(t)[0] for t in found]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), list(zip(order, tops))
    for upper, lower in zip(found, found[1:]):  # no two lines overlap
        assert em_box(upper)[1] <= em_box(lower)[0] + EPS, (upper.text, lower.text)
    title, question, n_line = found[:3]
    assert title.font == BOLD and title.size == NL.sizes["chart_title"] and title.colour == INK
    assert question.font == n_line.font == BODY and question.colour == n_line.colour == MUTED
    assert question.size == n_line.size == NOTE_SIZE
    # the small lines stand at one pitch: question to n, and note to note
    assert em_box(n_line)[0] - em_box(question)[1] == pytest.approx(em_box(found[5])[0] - em_box(found[4])[1])
    assert em_box(found[6])[0] - em_box(found[5])[1] == pytest.approx(em_box(found[5])[0] - em_box(found[4])[1])
    for note in found[4:7]:
        assert note.colour == MUTED and note.size == NOTE_SIZE and note.x == 0.0
    credit = found[-1]
    assert credit.colour == MUTED and credit.size == NOTE_SIZE and credit.font == BODY
    assert credit.x + width_of(credit) == pytest.approx(90.0), "the credit ends at the chart's right edge"
    assert height == pytest.approx(em_box(credit)[1]), "the height ends with the credit line"
    for t in texts(items):
        assert -EPS <= t.x and t.x + width_of(t) <= 90.0 + EPS, t.text
        assert em_box(t)[0] >= -EPS and em_box(t)[1] <= height + EPS, t.text
    assert em_box(title)[0] == pytest.approx(0.0), "the title starts the chart"


@pytest.mark.parametrize("fields, expected", [
    (dict(n=1000), "n=1,000（単一回答）"),
    (dict(n=1000, n_note="管理職"), "n=1,000：管理職（単一回答）"),
    (dict(n=None, n_note="回答者の一部"), "回答者の一部（単一回答）"),
    (dict(n=None), "単一回答"),
    (dict(n=250, answers="multiple"), "n=250（複数回答）"),
    (dict(n=250, answers="each"), "n=250（単一回答）"),
])
def test_the_n_line_says_who_answered_and_how(fields, expected):
    items, _ = lay(survey_chart("bars", ("ア", "イ"), (30.0, 20.0), **fields))
    assert expected in [t.text for t in texts(items)]


def test_a_question_that_repeats_the_title_is_not_printed_twice_and_no_notes_no_unknown_line():
    items, height = lay(survey_chart("bars", ("ア", "イ"), (30.0, 20.0), question="職場のトラブル",
                                     unknown_note="非公表"))
    shown = [t.text for t in texts(items)]
    assert shown.count("職場のトラブル") == 1
    assert not any(text.startswith("＊") or text.startswith("注：") for text in shown), shown
    credit = the_text(items, CREDIT)
    assert height == pytest.approx(em_box(credit)[1])
    lowest_value = max(em_box(t)[1] for t in texts(items) if t.text in ("30.0%", "20.0%", "ア", "イ"))
    assert em_box(credit)[0] > lowest_value


# ------------------------------------------------------------------ horizontal bars

BAR_LABELS = ("メールの誤送信", "ウイルス感染", "不正アクセス", "紛失・盗難", "その他")
BAR_VALUES = (40.0, 12.5, None, 0.0, 25.0)


def _bar_rows(items, labels):
    """label -> (its text, its value text, its bar or None)."""
    out = {}
    shapes = bars(items)
    for label, value in zip(labels, BAR_VALUES):
        text, value_text = the_text(items, label), the_text(items, fmt(value))
        mine = [b for b in shapes if abs(b.y + b.h / 2 - mid_y(text)) < 1e-6]
        assert len(mine) <= 1
        out[label] = (text, value_text, mine[0] if mine else None)
    return out


@pytest.mark.parametrize("width", [90.0, 170.0])
def test_bars_are_as_long_as_their_values_beside_their_labels(width: float):
    chart = survey_chart("bars", BAR_LABELS, BAR_VALUES, unknown_note="非公表")
    items, _ = lay(chart, width)
    rows = _bar_rows(items, BAR_LABELS)
    drawn = {label: bar for label, (_, _, bar) in rows.items() if bar is not None}
    assert set(drawn) == {label for label, v in zip(BAR_LABELS, BAR_VALUES) if v}, "a bar for each value above 0"
    assert len(bars(items)) == len(drawn)
    axis = {bar.x for bar in drawn.values()}
    assert len(axis) == 1, "bars start from one axis"
    axis_x = axis.pop()
    value_of = dict(zip(BAR_LABELS, BAR_VALUES))
    assert_proportional([drawn[label].w for label in drawn], [value_of[label] for label in drawn])
    assert len({round(bar.h, 9) for bar in drawn.values()}) == 1
    gaps = set()
    for label, value in zip(BAR_LABELS, BAR_VALUES):
        text, value_text, bar = rows[label]
        end = bar.x + bar.w if bar else axis_x
        gaps.add(round(value_text.x - end, 9))
        assert mid_y(value_text) == pytest.approx(mid_y(text)), "value on its label's row"
        assert value_text.colour == (MUTED if value is None else INK)
        assert value_text.font == text.font == GRID
        assert text.x == 0.0 and text.x + width_of(text) < axis_x, "labels left of the axis"
        if bar:
            assert bar.fill == PALETTE[1], "one neutral tone for a single series"
    assert len(gaps) == 1, "values just after their bar's end, all alike"
    gap = gaps.pop()
    assert gap > 0
    widest = max(width_of(v) for _, v, _ in rows.values())
    longest = max(drawn.values(), key=lambda b: b.w)
    assert longest is drawn["メールの誤送信"]
    assert longest.x + longest.w + gap + widest == pytest.approx(width), \
        "the longest bar leaves just the room of the widest value"
    centres = [mid_y(rows[label][0]) for label in BAR_LABELS]
    steps = {round(b - a, 6) for a, b in zip(centres, centres[1:])}
    assert len(steps) == 1 and steps.pop() > 0, "rows evenly spaced, in label order"
    axes = [i for i in items if isinstance(i, Line) and i.x1 == i.x2 == axis_x]
    assert len(axes) == 1 and axes[0].colour == INK
    assert axes[0].y1 < min(b.y for b in drawn.values()) and axes[0].y2 > max(b.y + b.h for b in drawn.values())


def test_a_bar_in_focus_takes_the_accent_and_bars_thicken_at_half_the_rate_of_the_plot():
    chart = survey_chart("bars", ("ア", "イ", "ウ"), (30.0, 20.0, 10.0))
    plain, plain_h = lay(chart)
    focused, _ = lay(chart, focus=("イ",))
    assert [b.fill for b in sorted(bars(focused), key=lambda b: b.y)] == [PALETTE[1], ACCENT, PALETTE[1]]
    tall, tall_h = lay(chart, scale=1.6)
    thin, thick = bars(plain)[0].h, bars(tall)[0].h
    assert thick / thin == pytest.approx(1 + (1.6 - 1) / 2), "thickness grows at half the plot's rate"
    assert tall_h > plain_h


def test_bars_all_zero_draw_no_bar_but_every_value():
    items, _ = lay(survey_chart("bars", ("ア", "イ"), (0.0, 0.0)))
    assert not bars(items)
    values = [t for t in texts(items) if t.text == "0.0%"]
    assert len(values) == 2 and len({round(t.x, 9) for t in values}) == 1


# ------------------------------------------------------------------ one 100 % stacked bar

STACK_LABELS = ("とても不安", "やや不安", "あまり不安ではない", "不安ではない", "わからない")
STACK_VALUES = (48.0, 30.0, 15.0, 4.0, 3.0)


def _segments(items):
    return sorted((b for b in bars(items)), key=lambda b: b.x)


@pytest.mark.parametrize("width", [90.0, 170.0])
def test_stacked_segments_share_the_width_in_label_order(width: float):
    items, height = lay(survey_chart("stacked", STACK_LABELS, STACK_VALUES), width)
    segments = _segments(items)
    assert len(segments) == 5
    assert segments[0].x == pytest.approx(0.0) and segments[-1].x + segments[-1].w == pytest.approx(width)
    for a, b in zip(segments, segments[1:]):
        assert a.x + a.w == pytest.approx(b.x), "segments abut"
    assert_proportional([s.w for s in segments], list(STACK_VALUES))
    assert [s.fill for s in segments] == list(PALETTE), "the neutral tones in label order"
    for s in segments:
        assert (s.stroke == OUTLINE) == (contrast(s.fill, PAPER) < 1.25), "a pale segment is outlined"
        assert (s.stroke_width > 0) == (s.stroke is not None)
    separators = [i for i in items if isinstance(i, Line) and i.colour == PAPER]
    assert sorted(round(l.x1, 6) for l in separators) == [round(s.x, 6) for s in segments[1:]]
    for line in separators:
        assert line.x1 == line.x2 and line.y1 == pytest.approx(segments[0].y)
        assert line.y2 == pytest.approx(segments[0].y + segments[0].h)
    top, bottom = segments[0].y, segments[0].y + segments[0].h
    legend_rows = _legend_rows(items, STACK_LABELS)
    for label, value, segment in zip(STACK_LABELS, STACK_VALUES, segments):
        shown = [t for t in texts(items) if t.text == fmt(value)]
        on_bar = [t for t in shown if top <= mid_y(t) <= bottom]
        legend = [t for t in shown if abs(mid_y(t) - mid_y(legend_rows[label][1])) < EPS]
        assert len(legend) == 1, (label, "value repeated in the legend")
        fits = width_of(shown[0]) + 1.6 <= segment.w
        if on_bar:
            assert fits and on_bar[0].colour == readable_on(segment.fill), label
            assert mid_x(on_bar[0]) == pytest.approx(segment.x + segment.w / 2), "centred in its segment"
            assert mid_y(on_bar[0]) == pytest.approx((top + bottom) / 2)
        else:  # outside, above or below, on a leader from the segment's middle
            outside = [t for t in shown if t not in legend]
            assert len(outside) <= 1, label
            if outside:
                t = outside[0]
                assert em_box(t)[1] <= top + EPS or em_box(t)[0] >= bottom - EPS
                leaders = [l for l in items if isinstance(l, Line) and l.colour == INK and
                           l.x1 == l.x2 == pytest.approx(segment.x + segment.w / 2)]
                assert len(leaders) == 1, label
                assert t.x <= leaders[0].x1 <= t.x + width_of(t)
                ends = (leaders[0].y1, leaders[0].y2)
                assert any(abs(e - top) < EPS or abs(e - bottom) < EPS for e in ends), "from the bar's edge"
    assert any(t.text == fmt(3.0) and em_box(t)[1] <= top + EPS for t in texts(items)) or \
        any(t.text == fmt(4.0) and em_box(t)[1] <= top + EPS for t in texts(items)), "small values above the bar"
    assert height > max(em_box(t)[1] for t in texts(items) if t.text != CREDIT) - EPS


def test_stacked_outside_values_never_touch():
    values = (70.0, 10.0, 8.0, 6.0, 3.0, 2.0, 1.0)
    labels = tuple("アイウエオカキ")
    items, _ = lay(survey_chart("stacked", labels, values), 90.0)
    segments = _segments(items)
    top, bottom = segments[0].y, segments[0].y + segments[0].h
    outside = [t for t in texts(items) if t.text in {fmt(v) for v in values} and
               (em_box(t)[1] <= top + EPS or em_box(t)[0] >= bottom - EPS) and em_box(t)[0] < bottom + 8]
    for a in outside:
        for b in outside:
            if a is not b and abs(mid_y(a) - mid_y(b)) < EPS:
                assert a.x + width_of(a) < b.x or b.x + width_of(b) < a.x, (a.text, b.text)
        assert 0.0 <= a.x and a.x + width_of(a) <= 90.0 + EPS


def test_stacked_focus_takes_the_accent_and_its_soft_tone_by_turns():
    items, _ = lay(survey_chart("stacked", STACK_LABELS, STACK_VALUES), focus=("やや不安", "不安ではない"))
    assert [s.fill for s in _segments(items)] == [PALETTE[0], ACCENT, PALETTE[1], ACCENT_SOFT, PALETTE[2]]


# ------------------------------------------------------------------ legends

def _legend_rows(items, labels):
    """label -> (swatch, label text) for a legend: the swatch left of its label, centred on it."""
    squares = [i for i in items if isinstance(i, Rect) and i.fill is not None and is_swatch(i)]
    rows = {}
    for label in labels:
        text = the_text(items, label)
        mine = [s for s in squares if s.x + s.w < text.x and abs(s.y + s.h / 2 - mid_y(text)) < 1e-6]
        assert mine, label
        rows[label] = (max(mine, key=lambda s: s.x), text)
    return rows


@pytest.mark.parametrize("width, columns", [(90.0, 1), (170.0, 2)])
def test_legend_lists_labels_in_order_column_by_column(width: float, columns: int):
    items, _ = lay(survey_chart("stacked", STACK_LABELS, STACK_VALUES), width)
    rows = _legend_rows(items, STACK_LABELS)
    assert [rows[label][0].fill for label in STACK_LABELS] == list(PALETTE)
    lefts = sorted({round(s.x, 6) for s, _ in rows.values()})
    assert len(lefts) == columns and lefts[0] == 0.0
    per_column = math.ceil(len(STACK_LABELS) / columns)
    reading = sorted(STACK_LABELS, key=lambda l: (round(rows[l][0].x, 6), rows[l][0].y))
    assert reading == list(STACK_LABELS), "top to bottom, then the next column"
    for c in range(columns):
        column = [l for l in STACK_LABELS if round(rows[l][0].x, 6) == lefts[c]]
        assert len(column) == (per_column if c < columns - 1 else len(STACK_LABELS) - per_column * (columns - 1))
        tops = [rows[l][0].y for l in column]
        steps = {round(b - a, 6) for a, b in zip(tops, tops[1:])}
        assert len(steps) <= 1
        ends = []
        for label, value in zip(STACK_LABELS, STACK_VALUES):
            if label in column:
                swatch, text = rows[label]
                value_text = [t for t in texts(items) if t.text == fmt(value) and abs(mid_y(t) - mid_y(text)) < 1e-6
                              and t.x > text.x]
                assert len(value_text) == 1, label
                ends.append(value_text[0].x + width_of(value_text[0]))
                assert value_text[0].x > text.x + width_of(text), "value after its label"
        assert max(ends) - min(ends) < 1e-6, "values right-aligned in a column"
        if c:
            previous_end = max(rows[l][1].x + width_of(rows[l][1]) for l in STACK_LABELS
                               if round(rows[l][0].x, 6) == lefts[c - 1])
            assert lefts[c] > previous_end
    for swatch, text in rows.values():
        assert text.font == GRID and text.size == LABEL_SIZE and text.colour == INK
        assert swatch.x + swatch.w < text.x
    assert max(t.x + width_of(t) for t in texts(items)) <= width + EPS


def test_a_long_legend_sets_its_labels_smaller_together_on_one_line():
    labels = ("情報セキュリティに関する社内規程を知らなかった", "知っていた", "覚えていない")
    items, _ = lay(survey_chart("stacked", labels, (50.0, 30.0, 20.0)), 60.0)
    shown = [the_text(items, label) for label in labels]
    sizes = {t.size for t in shown}
    assert len(sizes) == 1 and sizes.pop() < LABEL_SIZE
    assert all(t.size >= LABEL_SIZE * THEME.text.min_size_ratio - EPS for t in shown)
    assert max(t.x + width_of(t) for t in texts(items)) <= 60.0 + EPS


# ------------------------------------------------------------------ doughnut

PIE_LABELS = ("発生した", "発生していない", "わからない", "答えたくない")
PIE_VALUES = (62.0, 25.0, 9.0, 4.0)


def _ring_geometry(items):
    """The wedges and the doughnut's centre: the circumcentre of three points of the largest wedge's rim."""
    wedges = [i for i in items if isinstance(i, Polygon)]
    rim = max(wedges, key=lambda w: len(w.points)).points
    (ax, ay), (bx, by), (qx, qy) = rim[0], rim[len(rim) // 4], rim[len(rim) // 2 - 1]
    d = 2 * (ax * (by - qy) + bx * (qy - ay) + qx * (ay - by))
    cx = ((ax ** 2 + ay ** 2) * (by - qy) + (bx ** 2 + by ** 2) * (qy - ay) + (qx ** 2 + qy ** 2) * (ay - by)) / d
    cy = ((ax ** 2 + ay ** 2) * (qx - bx) + (bx ** 2 + by ** 2) * (ax - qx) + (qx ** 2 + qy ** 2) * (bx - ax)) / d
    return wedges, cx, cy


def _angle(cx, cy, x, y) -> float:
    """Clockwise from 12 o'clock, y down, in degrees 0..360."""
    return math.degrees(math.atan2(x - cx, cy - y)) % 360


@pytest.mark.parametrize("width", [90.0, 130.0])
def test_wedges_sweep_their_share_clockwise_from_twelve_in_label_order(width: float):
    items, _ = lay(survey_chart("pie", PIE_LABELS, PIE_VALUES), width)
    wedges, cx, cy = _ring_geometry(items)
    drawn = [w for w in wedges if w.fill in PALETTE]
    assert [w.fill for w in drawn] == list(PALETTE[:4])
    assert 0.0 <= min(x for w in drawn for x, _ in w.points) and max(x for w in drawn for x, _ in w.points) <= width
    radii = sorted({round(math.dist((cx, cy), p), 4) for w in drawn for p in w.points})
    assert len(radii) == 2 and 0 < radii[0] < radii[1]
    start = 0.0
    for wedge, value in zip(drawn, PIE_VALUES):
        angles = [_angle(cx, cy, x, y) for x, y in wedge.points]
        outer = [a for (x, y), a in zip(wedge.points, angles) if math.dist((cx, cy), (x, y)) > radii[0] + 1e-6]
        first, last = outer[0], outer[-1] if outer[-1] > 1e-9 else 360.0
        assert first == pytest.approx(start, abs=1e-6)
        assert last == pytest.approx(start + 360 * value / 100, abs=1e-6)
        steps = [b - a for a, b in zip(outer, outer[1:]) if b > a]
        assert max(steps) <= 2.0 + 1e-6, "a smooth arc"
        start += 360 * value / 100
    outlined = [w for w in wedges if w.fill == OUTLINE]
    assert len(outlined) == sum(1 for c in PALETTE[:4] if contrast(c, PAPER) < 1.25)
    separators = [i for i in items if isinstance(i, Line) and i.colour == PAPER]
    assert len(separators) == 4
    for line, boundary in zip(separators, [0.0, 62.0, 87.0, 96.0]):
        assert _angle(cx, cy, line.x2, line.y2) == pytest.approx(boundary * 3.6, abs=1e-6)
        assert math.dist((cx, cy), (line.x1, line.y1)) == pytest.approx(radii[0])
        assert math.dist((cx, cy), (line.x2, line.y2)) == pytest.approx(radii[1])


def test_the_hole_shows_the_largest_value_or_the_sum_in_focus():
    chart = survey_chart("pie", PIE_LABELS, PIE_VALUES)
    items, _ = lay(chart)
    _, cx, cy = _ring_geometry(items)
    key = [t for t in texts(items) if t.text == "62.0%" and t.size > VALUE_SIZE]
    assert len(key) == 1 and key[0].colour == INK
    assert mid_x(key[0]) == pytest.approx(cx) and mid_y(key[0]) == pytest.approx(cy)
    focused, _ = lay(chart, focus=("発生していない", "わからない"))
    key = [t for t in texts(focused) if t.size > VALUE_SIZE and t.font == GRID]
    assert [t.text for t in key] == ["34.0%"] and key[0].colour == ACCENT
    assert key[0].size <= VALUE_SIZE * 2.2 + EPS


def test_values_sit_on_their_wedge_or_on_a_leader_outside():
    items, _ = lay(survey_chart("pie", PIE_LABELS, PIE_VALUES))
    wedges, cx, cy = _ring_geometry(items)
    radii = sorted({round(math.dist((cx, cy), p), 4) for w in wedges if w.fill in PALETTE for p in w.points})
    inner, outer = radii[0], radii[-1]
    start = 0.0
    for value, colour in zip(PIE_VALUES, PALETTE):
        mid = start + 180 * value / 100
        start += 360 * value / 100
        shown = [t for t in texts(items) if t.text == fmt(value) and t.size == VALUE_SIZE]
        on_ring = [t for t in shown if inner - EPS <= math.dist((cx, cy), (mid_x(t), mid_y(t))) <= outer + EPS]
        if on_ring:
            t = on_ring[0]
            assert _angle(cx, cy, mid_x(t), mid_y(t)) == pytest.approx(mid, abs=1e-6)
            assert math.dist((cx, cy), (mid_x(t), mid_y(t))) == pytest.approx((inner + outer) / 2)
            assert t.colour == readable_on(colour)
        else:
            leaders = [l for l in items if isinstance(l, Line) and l.colour == INK and
                       math.dist((cx, cy), (l.x1, l.y1)) == pytest.approx(outer) and
                       _angle(cx, cy, l.x1, l.y1) == pytest.approx(mid, abs=1e-6)]
            assert len(leaders) == 1, value
            elbow = leaders[0]
            across = [l for l in items if isinstance(l, Line) and (l.x1, l.y1) == (elbow.x2, elbow.y2)
                      and l.y2 == l.y1]
            assert len(across) == 1
            end = across[0].x2
            side = 1 if math.sin(math.radians(mid)) >= 0 else -1
            assert (end - elbow.x2) * side > 0, "the leader runs away from the ring"
            labels = [t for t in shown if mid_y(t) == pytest.approx(across[0].y1)]
            assert len(labels) == 1
            t = labels[0]
            assert (t.x > end) if side == 1 else (t.x + width_of(t) < end)
            assert abs(elbow.x2 - cx) > outer


def test_pie_legend_beside_the_ring_in_label_order_with_values_right_aligned():
    items, height = lay(survey_chart("pie", PIE_LABELS, PIE_VALUES), 90.0)
    wedges, cx, cy = _ring_geometry(items)
    rows = _legend_rows(items, PIE_LABELS)
    right = max(x for w in wedges for x, _ in w.points)
    assert [rows[l][0].fill for l in PIE_LABELS] == list(PALETTE[:4])
    assert len({round(s.x, 6) for s, _ in rows.values()}) == 1 and min(s.x for s, _ in rows.values()) > right
    ys = [rows[l][0].y for l in PIE_LABELS]
    assert ys == sorted(ys)
    ends = []
    for label, value in zip(PIE_LABELS, PIE_VALUES):
        t = [t for t in texts(items) if t.text == fmt(value) and abs(mid_y(t) - mid_y(rows[label][1])) < 1e-6
             and t.x > rows[label][1].x]
        assert len(t) == 1
        ends.append(t[0].x + width_of(t[0]))
    assert max(ends) - min(ends) < 1e-6
    legend_mid = (min(s.y for s, _ in rows.values()) + max(s.y + s.h for s, _ in rows.values())) / 2
    assert legend_mid == pytest.approx(cy), "ring and legend centred on each other"
    plot_top = max(em_box(t)[1] for t in texts(items) if t.text.startswith("n="))
    assert cy > plot_top
    assert max(t.x + width_of(t) for t in texts(items)) <= 90.0 + EPS


def test_a_legend_taller_than_its_ring_is_centred_on_it():
    labels = tuple(f"回答{k}" for k in range(1, 13))
    values = (30.0, 20.0, 10.0, 10.0, 5.0, 5.0, 5.0, 5.0, 4.0, 3.0, 2.0, 1.0)
    items, _ = lay(survey_chart("pie", labels, values), 90.0, scale=0.85)
    wedges, cx, cy = _ring_geometry(items)
    rows = _legend_rows(items, labels)
    centres = [s.y + s.h / 2 for s, _ in rows.values()]
    assert max(centres) - min(centres) > 2 * max(math.dist((cx, cy), p) for w in wedges for p in w.points)
    assert (min(centres) + max(centres)) / 2 == pytest.approx(cy)
    assert [rows[l][0].y for l in labels] == sorted(rows[l][0].y for l in labels)


def test_a_legend_too_wide_to_stand_beside_the_ring_goes_under_it():
    labels = ("情報セキュリティの社内規程を読んだことがある", "聞いたことはあるが読んでいない", "知らない")
    values = (45.0, 35.0, 20.0)
    items, height = lay(survey_chart("pie", labels, values), 70.0)
    wedges, cx, cy = _ring_geometry(items)
    bottom = max(y for w in wedges for _, y in w.points)
    rows = _legend_rows(items, labels)
    assert all(s.y > bottom for s, _ in rows.values()), "the legend under the doughnut"
    assert min(s.x for s, _ in rows.values()) == 0.0
    radius = max(math.dist((cx, cy), p) for w in wedges if w.fill in PALETTE for p in w.points)
    assert NL.composer.pie_min + 1 < 2 * radius <= 70.0 / 2 + 0.01, "not shrunk for a legend that goes under it"
    assert max(t.x + width_of(t) for t in texts(items)) <= 70.0 + EPS


def test_the_key_value_shrinks_to_stay_inside_a_small_hole():
    items, _ = lay(survey_chart("pie", PIE_LABELS, PIE_VALUES), 60.0)
    wedges, cx, cy = _ring_geometry(items)
    inner = min(math.dist((cx, cy), p) for w in wedges if w.fill in PALETTE for p in w.points)
    key = [t for t in texts(items) if t.text == "62.0%" and t.size > VALUE_SIZE]
    assert len(key) == 1
    t = key[0]
    top, bottom = em_box(t)
    assert math.hypot(width_of(t) / 2, (bottom - top) / 2) <= inner, "the key value inside the hole"
    assert t.size < VALUE_SIZE * 2.2, "set smaller than in a large hole"
    large, _ = lay(survey_chart("pie", PIE_LABELS, PIE_VALUES), 90.0)
    sizes = [x.size for x in texts(large) if x.text == "62.0%" and x.size > VALUE_SIZE]
    assert sizes == [pytest.approx(VALUE_SIZE * 2.2)]


def test_across_a_wide_measure_the_pie_legend_is_a_bar_per_category():
    width = NL.composer.pie_wide + 10
    items, height = lay(survey_chart("pie", PIE_LABELS, PIE_VALUES), width)
    wedges, cx, cy = _ring_geometry(items)
    rows = _legend_rows(items, PIE_LABELS)
    legend_bars = [b for b in bars(items)]
    assert len(legend_bars) == 4
    by_row = {}
    for label in PIE_LABELS:
        swatch, text = rows[label]
        mine = [b for b in legend_bars if abs(b.y + b.h / 2 - (swatch.y + swatch.h / 2)) < 1e-6]
        assert len(mine) == 1 and mine[0].fill == swatch.fill, label
        by_row[label] = mine[0]
        assert mine[0].x > text.x + width_of(text)
    assert len({round(b.x, 6) for b in by_row.values()}) == 1
    assert_proportional([by_row[l].w for l in PIE_LABELS], list(PIE_VALUES))
    ends = []
    for label, value in zip(PIE_LABELS, PIE_VALUES):
        bar = by_row[label]
        t = [t for t in texts(items) if t.text == fmt(value) and t.x > bar.x]
        assert len(t) == 1 and mid_y(t[0]) == pytest.approx(bar.y + bar.h / 2) and t[0].colour == INK
        ends.append(t[0].x + width_of(t[0]))
        assert t[0].x > bar.x + bar.w
    assert max(ends) == pytest.approx(width), "the longest bar's value reaches the right edge"
    centres = [rows[l][0].y for l in PIE_LABELS]
    assert centres == sorted(centres)
    steps = {round(b - a, 6) for a, b in zip(centres, centres[1:])}
    assert len(steps) == 1
    assert min(s.x for s, _ in rows.values()) > max(x for w in wedges for x, _ in w.points)
    first_top, last_bottom = rows[PIE_LABELS[0]][0].y, rows[PIE_LABELS[-1]][0].y + swatch_size()
    assert (first_top + last_bottom) / 2 == pytest.approx(cy), "the rows centred beside the ring"


# ------------------------------------------------------------------ columns with an average

COLUMN_LABELS = ("20代", "30代", "40代", "50代", "60代")
COLUMN_VALUES = (12.0, 30.0, None, 24.0, 6.0)


@pytest.mark.parametrize("width", [90.0, 170.0])
def test_columns_stand_on_one_baseline_as_tall_as_their_values(width: float):
    chart = survey_chart("columns", COLUMN_LABELS, COLUMN_VALUES, average=18.0, average_label="平均",
                         unknown_note="非公表")
    items, _ = lay(chart, width)
    columns = sorted(bars(items), key=lambda b: b.x)
    known = [v for v in COLUMN_VALUES if v]
    assert len(columns) == len(known)
    assert len({round(c.y + c.h, 9) for c in columns}) == 1, "one baseline"
    base = columns[0].y + columns[0].h
    assert_proportional([c.h for c in columns], known)
    assert all(c.fill == PALETTE[1] for c in columns)
    assert len({round(c.w, 9) for c in columns}) == 1
    label_texts = [the_text(items, label) for label in COLUMN_LABELS]
    slots = [mid_x(t) for t in label_texts]
    pitch = {round(b - a, 6) for a, b in zip(slots, slots[1:])}
    assert len(pitch) == 1, "columns evenly spaced, in label order"
    for t in label_texts:
        assert em_box(t)[0] > base and t.colour == INK
    known_slots = [x for x, v in zip(slots, COLUMN_VALUES) if v]
    for column, x in zip(columns, known_slots):
        assert column.x + column.w / 2 == pytest.approx(x), "a column centred over its label"
    value_texts = [the_text(items, fmt(v)) for v in COLUMN_VALUES]
    for t, x, value in zip(value_texts, slots, COLUMN_VALUES):
        assert mid_x(t) == pytest.approx(x), "a value centred over its column"
        assert t.colour == (MUTED if value is None else INK)
    tops = {x: c.y for c, x in zip(columns, known_slots)}
    for t, x in zip(value_texts, slots):
        assert em_box(t)[1] < tops.get(x, base), "the value above its column"
    gaps = {round(tops.get(x, base) - em_box(t)[1], 6) for t, x in zip(value_texts, slots)}
    assert len(gaps) == 1
    axis = [l for l in items if isinstance(l, Line) and l.y1 == l.y2 == pytest.approx(base)]
    assert len(axis) == 1 and axis[0].x1 == 0.0 and axis[0].colour == INK
    dashes = [l for l in items if isinstance(l, Line) and l.colour == ACCENT]
    assert dashes and len({round(l.y1, 9) for l in dashes}) == 1
    average_y = dashes[0].y1
    scale = columns[0].h / known[0]
    assert base - average_y == pytest.approx(18.0 * scale), "the average line at its value's height"
    dashes.sort(key=lambda l: l.x1)
    spaces = [b.x1 - a.x2 for a, b in zip(dashes, dashes[1:])]
    assert min(l.x1 for l in dashes) == 0.0 and axis[0].x2 - min(spaces) - EPS <= dashes[-1].x2 <= axis[0].x2 + EPS
    average = the_text(items, "平均 18.0%")
    assert mid_y(average) == pytest.approx(average_y) and average.x > axis[0].x2
    assert average.x + width_of(average) <= width + EPS
    for dash in dashes:
        assert dash.x2 > dash.x1
        for t in value_texts:
            top, bottom = em_box(t)
            assert not (dash.x1 < t.x + width_of(t) and t.x < dash.x2 and top < average_y < bottom), t.text
    lengths = sorted({round(l.x2 - l.x1, 6) for l in dashes})
    assert len(lengths) <= 2
    highest = min(em_box(t)[0] for t in value_texts)
    assert highest > max(em_box(t)[1] for t in texts(items) if t.text.startswith("n="))


def test_columns_in_focus_and_without_an_average():
    chart = survey_chart("columns", ("ア", "イ", "ウ"), (10.0, 20.0, 5.0))
    items, _ = lay(chart, focus=("ウ",))
    columns = sorted(bars(items), key=lambda b: b.x)
    assert [c.fill for c in columns] == [PALETTE[1], PALETTE[1], ACCENT]
    assert not [l for l in items if isinstance(l, Line) and l.colour == ACCENT]
    right = max(t.x + width_of(t) for t in texts(items) if t.text in ("ア", "イ", "ウ"))
    axis = [l for l in items if isinstance(l, Line) and l.y1 == l.y2]
    assert axis[0].x2 == pytest.approx(90.0), "without an average the plot takes the whole width"
    assert right <= 90.0


# ------------------------------------------------------------------ several series

SERIES = ("2023年", "2024年")
GROUP_LABELS = ("多要素認証", "パスワード管理", "研修")
GROUP_VALUES = ((32.5, 20.0, None), (47.5, 0.0, 15.0))


@pytest.mark.parametrize("kind", ["grouped-bars", "grouped-columns"])
def test_grouped_series_side_by_side_on_one_scale(kind: str):
    chart = survey_chart(kind, GROUP_LABELS, *GROUP_VALUES, series=SERIES, unknown_note="非公表")
    items, _ = lay(chart, 120.0)
    rows = _legend_rows(items, SERIES)
    assert [rows[s][0].fill for s in SERIES] == list(PALETTE[:2])
    drawn = [b for b in bars(items)]
    assert len(drawn) == 4, "a bar for each value above 0"
    vertical = kind == "grouped-columns"
    length = (lambda b: b.h) if vertical else (lambda b: b.w)
    along = (lambda b: b.x + b.w / 2) if vertical else (lambda b: b.y + b.h / 2)
    label_pos = [mid_x(the_text(items, l)) if vertical else mid_y(the_text(items, l)) for l in GROUP_LABELS]
    found = {}
    for b in drawn:
        i = min(range(3), key=lambda k: abs(label_pos[k] - along(b)))
        k = [c for c in range(2) if PALETTE[c] == b.fill]
        assert len(k) == 1
        found[(k[0], i)] = b
    assert set(found) == {(0, 0), (0, 1), (1, 0), (1, 2)}
    assert_proportional([length(found[key]) for key in sorted(found)],
                        [GROUP_VALUES[k][i] for k, i in sorted(found)])
    assert along(found[(0, 0)]) < along(found[(1, 0)]), "series in legend order within a group"
    for k, row in enumerate(GROUP_VALUES):
        for i, value in enumerate(row):
            t = [t for t in texts(items) if t.text == fmt(value) and
                 abs((mid_x(t) if vertical else mid_y(t)) - label_pos[i]) < 15]
            assert t, (k, i)
            assert all(x.colour == (MUTED if value is None else INK) for x in t)
            if (k, i) in found:
                b = found[(k, i)]
                mine = [x for x in t if (abs(mid_x(x) - along(b)) < 1e-6 if vertical else
                                          abs(mid_y(x) - along(b)) < 1e-6)]
                assert len(mine) == 1, (k, i)
                if vertical:
                    assert em_box(mine[0])[1] < b.y
                else:
                    assert mine[0].x > b.x + b.w
    if vertical:  # each label centred under its group
        group = [found[(0, 0)], found[(1, 0)]]
        assert label_pos[0] == pytest.approx((group[0].x + group[1].x + group[1].w) / 2)
    legend_bottom = max(s.y + s.h for s, _ in rows.values())
    plot = [t for t in texts(items) if t.text in {fmt(v) for row in GROUP_VALUES for v in row}] + drawn
    assert legend_bottom < min(em_box(t)[0] if isinstance(t, Text) else t.y for t in plot), "the legend above the plot"
    starts = {round(b.y + b.h, 6) if vertical else round(b.x, 6) for b in drawn}
    assert len(starts) == 1
    assert max(t.x + width_of(t) for t in texts(items)) <= 120.0 + EPS


def test_stacked_bars_split_each_label_by_series_and_print_the_given_totals():
    labels = ("本社", "支社")
    values = ((30.0, 10.0), (20.0, None), (5.0, 40.0))
    series = ("はい", "いいえ", "不明")
    chart = survey_chart("stacked-bars", labels, *values, series=series, totals=(55.0, 60.0), unknown_note="非公表")
    items, _ = lay(chart, 120.0)
    legend = _legend_rows(items, series)
    assert [legend[s][0].fill for s in series] == list(PALETTE[:3])
    segments = sorted(bars(items), key=lambda b: (b.y, b.x))
    assert len(segments) == 3, "a label with an unknown part gets no bar"
    assert [s.fill for s in segments] == list(PALETTE[:3])
    for a, b in zip(segments, segments[1:]):
        assert a.x + a.w == pytest.approx(b.x)
    assert_proportional([s.w for s in segments], [30.0, 20.0, 5.0])
    centre = segments[0].y + segments[0].h / 2
    assert mid_y(the_text(items, "本社")) == pytest.approx(centre)
    axis = [l for l in items if isinstance(l, Line) and l.x1 == l.x2 and l.colour == INK]
    assert len(axis) == 1 and axis[0].x1 == pytest.approx(segments[0].x), "bars start at the axis"
    assert all(the_text(items, label).x == 0.0 for label in labels)
    assert max(s.y + s.h for s, _ in legend.values()) < min(em_box(the_text(items, label))[0] for label in labels)
    total = the_text(items, "55.0%")
    assert total.x > segments[-1].x + segments[-1].w and mid_y(total) == pytest.approx(centre)
    assert "60.0%" not in [t.text for t in texts(items)], "no total for a bar that is not drawn"
    unknown = [t for t in texts(items) if t.text == fmt(None)]
    assert len(unknown) == 1 and unknown[0].colour == MUTED
    assert mid_y(unknown[0]) == pytest.approx(mid_y(the_text(items, "支社")))
    assert total.x + width_of(total) <= 120.0 + EPS


def test_stacked_bars_without_totals_print_none():
    labels = ("本社", "支社")
    values = ((30.0, 10.0), (20.0, 50.0))
    items, _ = lay(survey_chart("stacked-bars", labels, *values, series=("はい", "いいえ")), 120.0)
    segments = bars(items)
    assert len(segments) == 4
    shown = {t.text for t in texts(items)}
    assert "50.0%" in shown and "60.0%" not in shown and "50.0%" in shown
    by_row = {}
    for s in segments:
        by_row.setdefault(round(s.y, 6), []).append(s)
    widths = {k: sum(s.w for s in v) for k, v in by_row.items()}
    assert max(widths.values()) / min(widths.values()) == pytest.approx(60.0 / 50.0)


def test_a_zero_share_draws_no_segment_and_no_double_separator():
    values = (50.0, 0.0, 30.0, 20.0)
    items, _ = lay(survey_chart("stacked", tuple("アイウエ"), values))
    segments = _segments(items)
    assert [s.fill for s in segments] == [PALETTE[0], PALETTE[2], PALETTE[3]]
    separators = sorted(l.x1 for l in items if isinstance(l, Line) and l.colour == PAPER)
    assert separators == [pytest.approx(s.x) for s in segments[1:]]


@pytest.mark.parametrize("kind", ["bars", "columns", "pie"])
def test_shares_under_one_percent_scale_like_any_other(kind: str):
    values = (0.6, 0.3, 0.1)
    items, _ = lay(survey_chart(kind, ("ア", "イ", "ウ"), values), 90.0 if kind != "pie" else 150.0)
    drawn = sorted(bars(items), key=lambda b: -(b.w * b.h))
    assert len(drawn) == 3
    lengths = [b.h if kind == "columns" else b.w for b in drawn]
    assert_proportional(lengths, list(values))
    if kind == "bars":  # the figures are tabular: the largest value's text ends at the right edge
        value = the_text(items, "0.6%")
        assert value.x + width_of(value) == pytest.approx(90.0)


def test_a_legend_just_too_wide_for_two_columns_keeps_one_with_its_labels_whole():
    """Two legend columns only where each holds its labels whole: the widths are measured on the
    same legend in two columns across a much wider chart, then the chart is made just too narrow."""
    labels = ("あ" * 22 + "A", "いいえ")
    chart = survey_chart("stacked", labels, (60.0, 40.0))
    wide, _ = lay(chart, 300.0)
    rows = _legend_rows(wide, labels)
    (first, first_label), (second, _) = rows[labels[0]], rows[labels[1]]
    assert second.x > first.x and second.y == first.y, "two columns across 300 mm"
    value = [t for t in texts(wide) if t.text == "60.0%" and abs(mid_y(t) - mid_y(first_label)) < EPS]
    need = value[0].x + width_of(value[0]) - first.x  # swatch to value end: what a column needs
    gap = 2 * second.x - 300.0  # columns (300 - gap) / 2 wide, the second starting after the gap
    width = 2 * need + gap - 0.3
    items, _ = lay(chart, width)
    rows = _legend_rows(items, labels)  # each label found whole, on one line
    assert rows[labels[0]][0].x == rows[labels[1]][0].x == 0.0, "one column"
    assert max(t.x + width_of(t) for t in texts(items)) <= width + EPS
