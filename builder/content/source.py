"""Reading YAML safely and walking it with every value's place in the file at hand.

We compose PyYAML nodes with the safe loader (no arbitrary objects), refuse oversized files
and alias bombs before walking them, and wrap each node in `Node`, whose helpers check types
and keys and raise a ContentError that points at the line to change.
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Iterator

import yaml
from yaml.constructor import SafeConstructor

from builder.errors import ContentError, Where

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same nodes, faster
MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_TEXT = 4_000_000  # characters of text the file expands to, each alias counted every time it is used
MAX_NUMBER = 1e15  # beyond this no figure or size is meant: a typo, and floats lose whole numbers
# the standard tags a content file may carry (written or implied); `!foo` or `!!python/...` are refused
KNOWN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}
# what YAML forbids in a file (the reader's own rule), found here so the line is counted in the text
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")

_KIND_NAMES = {
    yaml.MappingNode: "a mapping (key: value lines)",
    yaml.SequenceNode: "a list (lines starting with '-')",
    yaml.ScalarNode: "a single value",
}


def _where(path: Path, mark: yaml.Mark | None) -> Where:
    if mark is None:
        return Where(path)
    return Where(path, mark.line + 1, mark.column + 1)


def _syntax_message(err: yaml.MarkedYAMLError, text: str) -> str:
    """The YAML parser's wording, turned into a sentence that says what to do."""
    problem = (err.problem or err.context or "invalid YAML").strip()
    mark = err.problem_mark
    if mark is not None and (text[mark.index: mark.index + 1] == "\t" or "\t" in problem or "'\\t'" in problem):
        return "a tab character is used for indentation; indent with spaces instead"
    if "mapping values are not allowed" in problem:
        return ("YAML syntax error: a ':' follows a value on this line; put the text in quotes "
                "or start a new line for the key")
    if "could not find expected ':'" in problem:
        return "YAML syntax error: a key is missing its ':'; write it as 'key: value'"
    if "found undefined alias" in problem:
        return "YAML syntax error: this alias (*name) has no anchor (&name) before it; define it or write the value out"
    return f"YAML syntax error: {problem}; check the quoting and indentation here"


def _join_lines(text: str) -> str:
    """Line breaks are the layout's job: a break typed in the YAML joins the lines again, with a
    space only between Latin words."""
    if "\n" not in text:
        return text
    parts = [part.strip() for part in text.splitlines() if part.strip()]
    joined = parts[0]
    for part in parts[1:]:
        gap = " " if joined[-1].isascii() and part[0].isascii() else ""
        joined += gap + part
    return joined


def read_limited(path: Path, limit: int) -> bytes:
    """A regular file's bytes, refused before reading when it is larger than `limit`.

    Opened without blocking and checked on the open handle, so a FIFO or a device named like a
    content file is refused instead of hanging the build; at most `limit` + 1 bytes are read, so
    a file that grows after the check is still refused."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ContentError(Where(path), "file not found; create it or fix the name that points to it") from None
    except IsADirectoryError:
        raise ContentError(Where(path), "this is a folder, not a file; rename the folder or fix the name") from None
    except OSError as err:
        raise ContentError(Where(path), f"cannot read the file ({err.strerror}); check its permissions") from None
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):  # checked before fdopen, which refuses a folder with its own error
        os.close(fd)
        raise ContentError(Where(path), "this is a folder, not a file; rename the folder or fix the name")
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(info.st_mode):
            raise ContentError(Where(path), "this is not a regular file (a pipe or a device); replace it with a "
                                            "text file")
        if info.st_size > limit:
            raise ContentError(Where(path, 1), f"the file is {info.st_size:,} bytes; content files are limited to "
                                               f"{limit:,} bytes, so split or shorten it")
        try:
            raw = handle.read(limit + 1)
        except OSError as err:
            raise ContentError(Where(path), f"cannot read the file ({err.strerror}); check it") from None
    if len(raw) > limit:
        raise ContentError(Where(path, 1), f"the file is over {limit:,} bytes; content files are limited to "
                                           f"{limit:,} bytes, so split or shorten it")
    return raw


def load(path: Path) -> "Node":
    """Read one content file into a located node tree, or raise a ContentError."""
    return parse(path, read_content(path))


def read_content(path: Path) -> bytes:
    """A content file's bytes, as `load` reads them (refused when too large or not a file)."""
    return read_limited(path, MAX_FILE_BYTES)


def parse(path: Path, raw: bytes) -> "Node":
    """The located node tree of a content file's bytes `raw`, or a ContentError at `path`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ContentError(Where(path, line), "the file is not UTF-8 text; save it as UTF-8") from None
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise ContentError(Where(path, line, column), f"the file contains a control character "
                                                      f"(U+{ord(bad.group()):04X}) that YAML does not allow; remove it")
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as err:
        if "escape" in (err.problem or ""):
            raise ContentError(_where(path, err.problem_mark), "this escape (a backslash sequence such as \\ud800) "
                                                               "is not a character YAML can hold; write the "
                                                               "character itself or remove the backslash") from None
        if "quoted scalar" in (err.context or ""):  # point at the opening quote, not the end of the file
            raise ContentError(_where(path, err.context_mark), "a quoted text is never closed; add the closing "
                                                               "quote on this line") from None
        raise ContentError(_where(path, err.problem_mark or err.context_mark), _syntax_message(err, text)) from None
    except yaml.YAMLError as err:
        raise ContentError(Where(path, 1), f"YAML error: {err}; check the file's syntax") from None
    if root is None:
        raise ContentError(Where(path, 1), "the file is empty; it should hold the content described in the README")
    _refuse_alias_bombs(path, root)
    return Node(path, root)


def find_text(path: Path, text: str) -> Where | None:
    """Where the first value of a content file (in the file's order) that holds `text` starts:
    a character the fonts lack is named at the very field that holds it, whichever part of a
    layout meets it."""
    seen: set[int] = set()
    stack = [load(path).node]
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: its values were searched where they were first written
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if text in str(node.value):
                return _where(path, node.start_mark)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


def _refuse_alias_bombs(path: Path, root: yaml.Node) -> None:
    """Aliases make a graph: walk the tree they expand to, counting its values and the characters
    of its text (an alias counts each time it is used), and stop long before either is huge.
    Tags other than the plain YAML ones are refused here too, before anything is constructed."""
    count = 0
    chars = 0
    stack: list[tuple[yaml.Node, yaml.Node]] = [(root, root)]
    while stack:
        node, parent = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ContentError(_where(path, parent.start_mark),
                               f"the file expands to more than {MAX_NODES:,} values (through aliases "
                               "'*name'); write the values out instead of repeating aliases")
        if node.tag not in KNOWN_TAGS:
            raise ContentError(_where(path, node.start_mark),
                               f"the YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed in "
                               "content files; remove it and write the plain value")
        if isinstance(node, yaml.ScalarNode):
            chars += len(node.value)
            if chars > MAX_TEXT:
                raise ContentError(_where(path, parent.start_mark),
                                   f"the text of the file expands to more than {MAX_TEXT:,} characters (through "
                                   "aliases '*name' repeating a long text); write each text once")
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, node))
                stack.append((value, node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, node) for child in node.value)


class Node:
    """One YAML node and the file it came from; type-checking accessors raise located errors."""

    def __init__(self, path: Path, node: yaml.Node, label: str = "the file"):
        self.path = path
        self.node = node
        self.label = label

    @property
    def where(self) -> Where:
        return _where(self.path, self.node.start_mark)

    def error(self, message: str) -> ContentError:
        return ContentError(self.where, message)

    # --- scalars -------------------------------------------------------------------------
    def _scalar(self):
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.error(f"{self.label} should be a single value, but {_KIND_NAMES[type(self.node)]} is given")
        try:
            return SafeConstructor().construct_object(self.node)
        except (ValueError, yaml.YAMLError):  # e.g. a whole number of thousands of digits
            raise self.error(f"{self.label} cannot be read as a value; write a shorter number or put it in "
                             "quotes") from None

    def is_mapping(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self._scalar() is None

    def text(self, *, allow_empty: bool = False) -> str:
        value = self._scalar()
        if value is None or (isinstance(value, str) and not value.strip()):
            if allow_empty:
                return ""
            raise self.error(f"{self.label} is empty; write the text")
        if isinstance(value, bool) or not isinstance(value, str):
            kind = "yes/no value" if isinstance(value, bool) else "number"
            raise self.error(f"{self.label} should be text, but a {kind} is given; put it in quotes")
        return _join_lines(value.strip())

    def number(self) -> float:
        value = self._scalar()
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(f"{self.label} should be a number, but {value!r} is given; write digits such as 12.5")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(f"{self.label} is {self.node.value!r}, which is not a number that can be printed; "
                             "write digits such as 12.5")
        if abs(value) > MAX_NUMBER:
            raise self.error(f"{self.label} is far too large ({_short(self.node.value)}); write the figure "
                             f"as it should print, under {MAX_NUMBER:.0e}")
        return float(value)

    def optional_number(self) -> float | None:
        return None if self.is_null() else self.number()

    def integer(self) -> int:
        value = self._scalar()
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{self.label} should be a whole number, but {self.node.value!r} is given")
        if abs(value) > MAX_NUMBER:
            raise self.error(f"{self.label} is far too large ({_short(self.node.value)}); write the number as "
                             f"it should print, under {MAX_NUMBER:.0e}")
        return value

    def choice(self, options: list[str] | tuple[str, ...] | set[str] | dict) -> str:
        value = self.text()
        if value not in options:
            raise self.error(f"{self.label} is '{value}', which is not known{did_you_mean(value, options)}")
        return value

    # --- collections ---------------------------------------------------------------------
    def items(self, *, min_items: int = 0) -> list["Node"]:
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error(f"{self.label} should be a list (lines starting with '- '), "
                             f"but {_KIND_NAMES[type(self.node)]} is given")
        if len(self.node.value) < min_items:
            raise self.error(f"{self.label} needs at least {min_items} item(s); add them")
        return [Node(self.path, child, f"{self.label} item {i + 1}") for i, child in enumerate(self.node.value)]

    def texts(self, *, min_items: int = 0) -> list[str]:
        return [item.text() for item in self.items(min_items=min_items)]

    def peek(self, key: str) -> str | None:
        """A mapping's scalar value for `key` before it is checked, to name the item in messages."""
        if isinstance(self.node, yaml.MappingNode):
            for key_node, value_node in self.node.value:
                if key_node.value == key and isinstance(value_node, yaml.ScalarNode):
                    return str(value_node.value)
        return None

    def named(self, key: str, what: str) -> "Node":
        """Call this item "<what> '<its key value>'" in messages, e.g. card 'ぬ'."""
        value = self.peek(key)
        if value:
            self.label = f"{what} '{value}'"
        return self

    def mapping(self, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> "Mapping":
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error(f"{self.label} should be a mapping (key: value lines), "
                             f"but {_KIND_NAMES[type(self.node)]} is given")
        return Mapping(self, required, optional)


class Mapping:
    """A checked mapping: no unknown keys (with a did-you-mean), no duplicates, no missing keys."""

    def __init__(self, owner: Node, required: tuple[str, ...], optional: tuple[str, ...]):
        self.owner = owner
        self.values: dict[str, Node] = {}
        allowed = set(required) | set(optional)
        for key_node, value_node in owner.node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in self.values:
                raise ContentError(_where(owner.path, key_node.start_mark),
                                   f"'{key}' appears twice in {owner.label}; keep one of them")
            if allowed and key not in allowed:
                raise ContentError(_where(owner.path, key_node.start_mark),
                                   f"unknown key '{key}' in {owner.label}{did_you_mean(key, allowed)}")
            self.values[key] = Node(owner.path, value_node, f"'{key}'")
        for key in required:
            if key not in self.values:
                raise owner.error(f"{owner.label} is missing the key '{key}'; add it")

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def __getitem__(self, key: str) -> Node:
        return self.values[key]

    def keys(self) -> Iterator[str]:
        return iter(self.values)

    def labelled(self, what: str) -> "Mapping":
        """Name values after their owner, e.g. "card 'ぬ': 'slogan'", so messages say which item."""
        for key, node in self.values.items():
            node.label = f"{what}: '{key}'"
        return self


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def did_you_mean(word: str, options) -> str:
    import difflib  # only for a mistake: a build that reads good content never loads it

    close = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    shown = ", ".join(sorted(str(o) for o in options)[:12])
    return f"; use one of: {shown}"
