"""Every broken-content case in bad_inputs/cases.yaml: exit 1, one `file:line:` sentence that
says how to fix it, no traceback, and the previous outputs left byte for byte as they were."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import invoke, run_build, safe_load

CASES = safe_load((Path(__file__).parent / "bad_inputs" / "cases.yaml").read_text(encoding="utf-8"))
UNKNOWN_KEY = next(case for case in CASES if case["name"] == "unknown key with did-you-mean")
PREVIOUS = {  # stand-ins for the outputs of an earlier, good build
    "output/newsletter/newsletter.pdf": b"%PDF previous newsletter",
    "output/karuta/karuta-print.pdf": b"%PDF previous deck",
    "output/karuta/png/square/01-a.png": b"previous image",
}


def _generate(kind: str, current: str) -> bytes:
    if kind == "drop_last_card":
        return current[: current.rindex("  - kana: ")].encode()
    if kind == "latin1":
        return "deck:\n  title: café ünïcode\n".encode("latin-1")
    if kind == "huge":
        return ("# padding\n" * 300_000).encode()
    if kind == "alias_bomb":
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in range(1, 9):
            lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
        lines.append("deck: *a8")
        return ("\n".join(lines) + "\n").encode()
    if kind == "alias_text_bomb":  # 113 KB that expands to 100 million characters of play-sheet steps
        long = "長" * 10_000
        steps = "      - &long " + long + "\n" + "      - *long\n" * 9_999
        start, end = current.index("    steps:\n") + len("    steps:\n"), current.index("    closing:")
        return (current[:start] + steps + current[end:]).encode()
    if kind == "nul_on_line_5":  # a NUL after multi-byte text: its line counts in characters, not bytes
        lines = current.splitlines(keepends=True)
        lines[4] = lines[4].rstrip("\n") + "\x00\n"
        return "".join(lines).encode()
    if kind == "lead_four_times":  # the same lead four times over: it would run into the headline
        start = current.index("\nlead: ") + len("\nlead: ")
        end = current.index("\n", start)
        return (current[:start] + current[start:end] * 4 + current[end:]).encode()
    if kind == "28_steps":  # ordinary steps, four times as many: the closing box would leave page 1
        start, end = current.index("    steps:\n") + len("    steps:\n"), current.index("    closing:")
        return (current[:start] + current[start:end] * 4 + current[end:]).encode()
    raise ValueError(kind)


def _break(project: Path, case: dict) -> None:
    path = project / "content" / case["file"]
    if "generate" in case:
        path.write_bytes(_generate(case["generate"], path.read_text(encoding="utf-8")))
    elif "content" in case:
        path.write_text(case["content"], encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert text.count(case["old"]) == 1, f"case text must occur once in {case['file']}: {case['old']!r}"
        path.write_text(text.replace(case["old"], case["new"]), encoding="utf-8")


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


def _target(case: dict) -> str:
    """`build all`, but `build newsletter` for a mistake in the newsletter text: `all` would make
    the whole deck (PDFs and images) before reading it, about a second of CPU per case, only to
    throw it away; that path is checked once, below."""
    return "newsletter" if case["file"] == "newsletter.yaml" else "all"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_is_reported_and_loses_nothing(project: Path, case: dict):
    _reported_and_nothing_lost(project, case, _target(case))


def test_a_newsletter_mistake_after_the_deck_is_staged_loses_nothing(project: Path):
    """`build all` makes the deck first: its new PDFs and images are staged when the newsletter's
    mistake stops the build, and none of them may replace the previous outputs."""
    case = next(case for case in CASES if case["name"] == "newsletter names a chart that does not exist")
    _reported_and_nothing_lost(project, case, "all")


def _reported_and_nothing_lost(project: Path, case: dict, target: str) -> None:
    for name, data in PREVIOUS.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)
    _break(project, case)
    result = invoke(project, target)  # in this process: fast (test_error_positions.py also runs real processes)
    assert result.returncode == 1, result.stdout + result.stderr
    message = result.stderr.strip()
    assert "Traceback" not in message
    assert len(message.splitlines()) == 1, message
    assert re.match(rf"content/{re.escape(case['file'])}:\d+(:\d+)?: ", message), message
    assert re.search(case["message"], message), message
    for name, data in PREVIOUS.items():
        assert (project / name).read_bytes() == data
    leftovers = [p for p in (project / "output").rglob("*") if p.name.endswith(".part")]
    assert not leftovers


def test_check_reports_the_same_error_without_writing(project: Path):
    _break(project, UNKNOWN_KEY)
    result = run_build(project, "check")
    assert result.returncode == 1
    assert "unknown key 'topik'" in result.stderr
    assert not (project / "output").exists()


def test_debug_shows_the_traceback(project: Path):
    _break(project, UNKNOWN_KEY)
    result = run_build(project, "--debug", "check")
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_usage_error_exits_2(project: Path):
    result = run_build(project, "karuta", "--format", "gif")
    assert result.returncode == 2


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_a_folder_or_pipe_named_like_a_newsletter_file_is_refused(project: Path, kind: str):
    """A folder (or a FIFO) named newsletter-*.yaml is found among the newsletter files: it is
    named in one sentence, and a FIFO does not hang the build."""
    path = project / "content" / "newsletter-extra.yaml"
    path.mkdir() if kind == "folder" else os.mkfifo(path)
    # the FIFO in a real process, which the timeout ends if reading it hangs; the folder in this one
    result = invoke(project, "check") if kind == "folder" else run_build(project, "check", timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    expected = "this is a folder, not a file" if kind == "folder" else "this is not a regular file"
    assert result.stderr.startswith(f"content/newsletter-extra.yaml: {expected}"), result.stderr


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path):
    """A 150 MB file named like a content file is refused by its size before its bytes are read
    (it was once read whole, then refused): the refusal allocates almost nothing."""
    import tracemalloc

    from builder.content.source import MAX_FILE_BYTES, load
    from builder.errors import ContentError

    path = tmp_path / "karuta.yaml"
    size = 150 * 1024 * 1024
    with open(path, "wb") as handle:
        handle.truncate(size)  # sparse: takes no disk space
    tracemalloc.start()
    try:
        with pytest.raises(ContentError, match=r"^\S+karuta\.yaml:1: the file is .* content files are limited"):
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_FILE_BYTES, f"{peak:,} bytes allocated to refuse the file"
