"""The code of the methods that @dataclass writes for our classes, compiled once and kept.

@dataclass writes each class's __init__, __repr__, __eq__, __hash__ (and, for a frozen class,
__setattr__ and __delattr__) as source text and compiles it with exec() at every start: for
the 68 classes a newsletter build makes, about 0.19 G of its 2.4 G instructions, paid again by
every command. What it compiles is that text alone (defaults, types and the class reach
the code as arguments), so the compiled code is kept by its text in the user's cache, beside the
font tables, and a later process runs the stored code instead of parsing the same text again.
The classes stay the dataclasses they are; only the compiling is skipped, and only for our
modules (builder.*). The file holds one marshalled section per module, decoded when the module
makes its first class, so a command that imports few of our classes reads little. The stored code
is trusted as Python trusts its own __pycache__ (a folder of the user's); a missing or damaged
file, or another Python version, only means compiling as before.
"""

# no `from __future__ import annotations` here: exec() and compile() called from this module
# would pass it on to the code they make, which the dataclasses module compiles without it

import builtins
import dataclasses
import marshal
import os
import sys
from types import CodeType

from builder.places import user_cache


def store_path() -> str:
    """One file per Python version: compiled code is only valid for the version that made it."""
    name = f"dataclass-code-{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"
    return os.path.join(user_cache(), "python", name)


class KeptCode:
    """Stands for exec() inside the dataclasses module: the code for a text of one of our modules
    is compiled once, in whichever process first needs it."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path  # default: store_path() when first needed (the environment of that moment)
        self.sections: dict[str, bytes] | None = None  # module -> its marshalled {text: code}
        self.known: dict[str, dict[str, CodeType]] = {}  # the sections decoded so far
        self.used: dict[str, dict[str, CodeType]] = {}  # module -> the code this process ran
        self.learnt: set[str] = set()  # modules with a text that had to be compiled

    def exec(self, source, globals=None, locals=None) -> None:
        module = (globals or {}).get("__name__", "")
        if isinstance(source, str) and module.startswith("builder."):
            source = self._code(source, module)
        builtins.exec(source, globals, locals)

    def _code(self, text: str, module: str) -> CodeType:
        known = self.known.get(module)
        if known is None:
            known = self.known[module] = self._section(module)
        code = known.get(text)
        if code is None:  # compiled as exec() would: without our __future__ imports, named "<string>"
            code = known[text] = compile(text, "<string>", "exec", dont_inherit=True)
            self.learnt.add(module)
        self.used.setdefault(module, {})[text] = code
        return code

    def _section(self, module: str) -> dict[str, CodeType]:
        if self.sections is None:
            self.sections = self._load()
        try:
            known = marshal.loads(self.sections.get(module, b"{}"))
        except (EOFError, ValueError, TypeError):
            return {}
        if isinstance(known, dict) and all(isinstance(k, str) and type(v) is CodeType for k, v in known.items()):
            return known
        return {}

    def _load(self) -> dict[str, bytes]:
        self.path = self.path or store_path()
        try:
            with open(self.path, "rb") as handle:
                sections = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if isinstance(sections, dict) and all(isinstance(k, str) and type(v) is bytes for k, v in sections.items()):
            return sections
        return {}

    def save(self) -> None:
        """Keep what this process compiled. A module that compiled anything is stored with exactly
        the code this process ran for it (its classes are made when it is imported), so code for
        classes since changed does not pile up. A cache: a failure to write is no error."""
        if not self.learnt or self.sections is None:
            return
        from pathlib import Path

        from builder.cache import write_cache_file  # here: builder's first import must stay small

        sections = self.sections | {module: marshal.dumps(self.used[module]) for module in self.learnt}
        if write_cache_file(Path(self.path), marshal.dumps(sections)):
            self.sections, self.learnt = sections, set()


KEPT = KeptCode()


def install() -> None:
    """From now on, our dataclasses use the kept code (only exec() in the dataclasses module is
    replaced, and it compiles the texts of other modules' dataclasses as before)."""
    dataclasses.exec = KEPT.exec
