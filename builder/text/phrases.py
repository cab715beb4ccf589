"""BudouX's phrases of the texts a build sets, kept in the user cache for the next process.

The phrases only choose among line breaks (text/linebreak.py), yet finding them costs a build
BudouX's import (with html.parser, which it loads for its HTML helpers), its model and a
Python loop over every character: about 15-25 ms of a newsletter build, for the same texts every
time. The store is one file named after the BudouX code and model it came from (their sizes and
times), holding each text's phrases; a text not in it is parsed by BudouX as before, and the
store is written once, when the run ends (builder.finish), only if something was learnt. An
entry whose phrases do not make up its text is not used; a damaged file only means parsing.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from builder.places import user_cache

STORE_FORMAT = 1  # in the store's name: a change of what is stored makes a new name
STORED_TEXTS = 4096  # texts kept (the newest learnt); a newsletter sets about 60


def _model_stamp() -> str | None:
    """BudouX's parser code and Japanese model by path, size and time, found without importing
    BudouX; None when they cannot be found (then nothing is stored)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("budoux")
        folder = os.path.dirname(spec.origin) if spec and spec.origin else None
        if folder is None:
            return None
        parts = []
        for name in ("__init__.py", "parser.py", os.path.join("models", "ja.json")):
            info = os.stat(os.path.join(folder, name))
            parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    except (OSError, ImportError, ValueError):
        return None
    from builder.cache import digest

    return digest(folder, *parts)[:24]


class PhraseStore:
    """The stored phrases by text, read when first asked; what BudouX had to parse is added."""

    def __init__(self, folder: str | None = None) -> None:
        self.folder = folder  # default: the user cache's phrases/ when first needed
        self.path: Path | None = None
        self.stored: dict[str, tuple[str, ...]] | None = None  # None: not read yet
        self.learnt: dict[str, tuple[str, ...]] = {}

    def get(self, text: str) -> tuple[str, ...] | None:
        if self.stored is None:
            self.stored = self._read()
        phrases = self.stored.get(text)
        if phrases is None or "".join(phrases) != text:
            return None
        return phrases

    def add(self, text: str, phrases: tuple[str, ...]) -> None:
        self.learnt[text] = phrases

    def _read(self) -> dict[str, tuple[str, ...]]:
        stamp = _model_stamp()
        if stamp is None:
            return {}
        self.path = Path(self.folder or os.path.join(user_cache(), "phrases")) / f"budoux-{stamp}-{STORE_FORMAT}.marshal"
        try:
            stored = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if isinstance(stored, dict) and all(type(k) is str and type(v) is tuple for k, v in stored.items()):
            return stored
        return {}

    def save(self) -> None:
        """Keep what this process learnt, after what was stored, the oldest beyond STORED_TEXTS
        left out. A cache: a failure to write is no error."""
        if not self.learnt or self.path is None or self.stored is None:
            return
        from builder.cache import write_cache_file

        kept = {text: phrases for text, phrases in self.stored.items() if text not in self.learnt} | self.learnt
        kept = dict(list(kept.items())[-STORED_TEXTS:])
        if write_cache_file(self.path, marshal.dumps(kept)):
            self.stored, self.learnt = kept, {}


STORE = PhraseStore()
