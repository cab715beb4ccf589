"""A print shop's preflight, written independently of the code that makes the PDFs: qpdf rewrites a
file with every stream decompressed (`--qdf --object-streams=disable`), and this module reads its
objects, page dictionaries and content streams directly, with no PDF library of ours.

Content streams are tokenised and run through a small state machine (q/Q, gs, k/K, cs/sc, Tf,
w) so that each text show and each stroke is seen with the colour, size and overprint state it
is painted with.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_OBJECT = re.compile(rb"^(\d+) 0 obj\n(.*?)^endobj", re.S | re.M)
_STREAM = re.compile(rb"stream\n(.*)\nendstream", re.S)
# a content-stream token: (other operand)(number)(operator), exactly one group matches
_TOKEN = re.compile(rb"(\((?:\\.|[^\\)])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>{}%]*)|"
                    rb"([-+]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'\"*]+\d?)")
_NUMERIC = {"k", "K", "g", "G", "rg", "RG", "sc", "scn", "SC", "SCN", "Tf", "w"}  # the operators whose numbers are read


def require(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it with apt)")


@dataclass
class Pdf:
    """One file as qpdf writes it in QDF form: objects by number, the trailer, the raw text."""

    raw: bytes
    objects: dict[int, bytes]
    trailer: bytes

    @classmethod
    def read(cls, path: Path) -> "Pdf":
        require("qpdf")
        raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), "-"], capture_output=True,
                             check=True).stdout
        objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(raw)}
        trailer = raw[raw.rindex(b"trailer"):]
        return cls(raw, objects, trailer)

    def ref(self, text: bytes, key: str) -> bytes | None:
        """The value of /key in a dictionary's text: an indirect object's body, or the inline text."""
        m = re.search(rb"/" + key.encode() + rb"\s+(\d+) 0 R", text)
        if m:
            return self.objects[int(m.group(1))]
        m = re.search(rb"/" + key.encode() + rb"\s*(<<)?", text)
        if m is None:
            return None
        if m.group(1):
            return _balanced(text, m.start(1))
        m = re.search(rb"/" + key.encode() + rb"\s*(\[.*?\]|\([^)]*\)|/\w+|[-\d.]+)", text, re.S)
        return m.group(1) if m else None

    def catalog(self) -> bytes:
        return self.ref(self.trailer, "Root")

    def info(self) -> bytes:
        return self.ref(self.trailer, "Info")

    def pages(self) -> list[bytes]:
        """Page dictionaries in page order (qpdf writes a `%% Page N` comment before each)."""
        numbers = [int(n) for n in re.findall(rb"^%% Page \d+\n%%[^\n]*\n(\d+) 0 obj", self.raw, re.M)]
        return [self.objects[n] for n in numbers]

    def stream(self, body: bytes) -> bytes:
        return _STREAM.search(body).group(1)

    def content(self, page: bytes) -> bytes:
        contents = re.search(rb"/Contents\s+(\d+) 0 R", page)
        return self.stream(self.objects[int(contents.group(1))])

    def ext_gstates(self, page: bytes) -> dict[str, bytes]:
        """The page's ExtGState resources by name (each as its dictionary text)."""
        resources = self.ref(page, "Resources") or b""
        states = self.ref(resources, "ExtGState")
        if states is None:
            return {}
        found, end = {}, 0
        for m in re.finditer(rb"/(\w+)\s*(\d+ 0 R|<<)", states[2:]):
            if m.start() < end:
                continue  # inside the previous state's dictionary
            value = m.group(2)
            if value.endswith(b"R"):
                body, end = self.objects[int(value.split()[0])], m.end()
            else:
                body = _balanced(states[2:], m.start(2))
                end = m.start(2) + len(body)
            found[m.group(1).decode()] = body
        return found


def _balanced(text: bytes, start: int) -> bytes:
    """The dictionary `<< ... >>` starting at `start`, nested ones included."""
    depth, i = 0, start
    while i < len(text):
        if text.startswith(b"<<", i):
            depth, i = depth + 1, i + 2
        elif text.startswith(b">>", i):
            depth, i = depth - 1, i + 2
            if depth == 0:
                return text[start:i]
        else:
            i += 1
    raise ValueError("unbalanced dictionary")


def box(page: bytes, name: str) -> tuple[float, ...] | None:
    m = re.search(rb"/" + name.encode() + rb"\s*\[([^\]]*)\]", page)
    return tuple(float(v) for v in m.group(1).split()) if m else None


def inside(inner: tuple[float, ...], outer: tuple[float, ...], tolerance: float = 0.01) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


@dataclass
class GState:
    fill: tuple[str, tuple[float, ...]] = ("DeviceGray", (0.0,))
    stroke: tuple[str, tuple[float, ...]] = ("DeviceGray", (0.0,))
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"
    op: bool = False  # fill overprint
    OP: bool = False  # stroke overprint
    opm: int = 0
    font_size: float = 0.0
    line_width: float = 1.0

    def copy(self) -> "GState":
        """The same state as a new object (dataclasses.replace runs __init__: too slow for every stroke)."""
        new = object.__new__(GState)
        new.__dict__.update(self.__dict__)
        return new


@dataclass
class Painted:
    """One thing painted: 'text' (a show operator), 'stroke' (a stroke, or a fill and a stroke) or 'fill'
    (an area fill alone), with the state it was painted in."""

    kind: str
    state: GState
    operator: str


@dataclass
class Scan:
    painted: list[Painted] = field(default_factory=list)
    operators: set[str] = field(default_factory=set)


def scan(content: bytes, gstates: dict[str, bytes]) -> Scan:
    """Run a content stream through the graphics-state machine."""
    result = Scan()
    state, stack, operands, numbers = GState(), [], [], []
    for other, number, operator in _TOKEN.findall(content):
        if not operator:
            operands.append(other or number)
            if number:
                numbers.append(number)
            continue
        op = operator.decode()
        result.operators.add(op)
        if op in _NUMERIC:
            numbers = [float(t) for t in numbers]
        if op == "q":
            stack.append(state)
            state = state.copy()
        elif op == "Q":
            state = stack.pop()
        elif op == "gs":
            extgs = gstates.get(operands[-1][1:].decode(), b"")
            for key, value in re.findall(rb"/(OP|op|OPM)\s+(\w+)", extgs):
                if key == b"OP":
                    state.OP = value == b"true"
                    if not re.search(rb"/op\s", extgs):  # /OP alone sets both (PDF 1.3 rule)
                        state.op = state.OP
                elif key == b"op":
                    state.op = value == b"true"
                else:
                    state.opm = int(value)
        elif op == "k":
            state.fill = ("DeviceCMYK", tuple(numbers[-4:]))
        elif op == "K":
            state.stroke = ("DeviceCMYK", tuple(numbers[-4:]))
        elif op in ("g", "G", "rg", "RG"):
            space = "DeviceGray" if op in ("g", "G") else "DeviceRGB"
            setattr(state, "fill" if op.islower() else "stroke", (space, tuple(numbers)))
        elif op in ("cs", "CS"):
            setattr(state, "fill_space" if op == "cs" else "stroke_space", operands[-1][1:].decode())
        elif op in ("sc", "scn", "SC", "SCN"):
            space = state.fill_space if op.islower() else state.stroke_space
            setattr(state, "fill" if op.islower() else "stroke", (space, tuple(numbers)))
        elif op == "Tf":
            state.font_size = numbers[-1]
        elif op == "w":
            state.line_width = numbers[-1]
        elif op in ("Tj", "TJ", "'", '"'):
            result.painted.append(Painted("text", state.copy(), op))
        elif op in ("S", "s", "B", "B*", "b", "b*"):
            result.painted.append(Painted("stroke", state.copy(), op))
        elif op in ("f", "F", "f*"):
            result.painted.append(Painted("fill", state.copy(), op))
        operands, numbers = [], []
    return result


def inks(colour: tuple[str, tuple[float, ...]]) -> int:
    """How many process inks a DeviceCMYK colour uses (other spaces: 1, e.g. the registration /All)."""
    space, values = colour
    return sum(1 for v in values if v > 0) if space == "DeviceCMYK" else 1


def ghostscript_total_ink(pdfs: dict[Path, list[int]], out: Path, dpi: int = 36) -> dict[Path, float]:
    """For each file, the highest C+M+Y+K of any pixel on the given pages (numbers from 1), in %,
    from Ghostscript's separations (tiffsep: one 8-bit plate per ink, overprint honoured), as a
    press's RIP would see it; registration-colour marks left out. All files in one Ghostscript run:
    its start and colour set-up cost more than rendering a file's pages at this resolution."""
    from PIL import Image, ImageMath

    require("gs")
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for pdf, pages in pdfs.items():  # a page list holds for the files after it, so each file gets its own
        files += [f"-sPageList={','.join(map(str, pages))}", str(pdf)]
    subprocess.run(["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}",
                    f"-sOutputFile={out}/p%04d.tif", *files], check=True, capture_output=True)
    composites = iter(sorted(out.glob("p[0-9][0-9][0-9][0-9].tif")))  # numbered on across the files, in order
    worst = {}
    for pdf, pages in pdfs.items():
        worst[pdf] = 0.0
        for _ in pages:
            composite = next(composites)
            plates = {ink: Image.open(out / f"{composite.stem}({name}).tif").convert("L")
                      for ink, name in zip("cmyk", ("Cyan", "Magenta", "Yellow", "Black"))}
            # tiffsep plates hold 255 for no ink, 0 for solid; a pixel solid on all four (sum 0) is a
            # registration mark (trim marks print on every plate), which ink limits leave out: it
            # counts as no ink at all (sum 4 * 255)
            total = ImageMath.lambda_eval(lambda p: p["c"] + p["m"] + p["y"] + p["k"], **plates)
            lightest = ImageMath.lambda_eval(lambda p: p["s"] + (p["s"] == 0) * 4 * 255, s=total).getextrema()[0]
            worst[pdf] = max(worst[pdf], (4 * 255 - lightest) / 255 * 100)
    assert next(composites, None) is None, "Ghostscript rendered more pages than were asked for"
    return worst
