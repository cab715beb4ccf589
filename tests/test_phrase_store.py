"""BudouX's phrases are kept in the user cache ($XDG_CACHE_HOME/karuta-press/phrases) for the
next process: what is stored is BudouX's own answer, a later process uses the store without
parsing, an entry that does not make up its text or a damaged file is parsed again, the store
keeps the newest texts, and a build's end writes what it learnt. Oracle: BudouX itself."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import budoux
import pytest

from builder.text import linebreak, phrases

TEXT = "怪しいメールの添付ファイルは開かずに削除"


@pytest.fixture
def store(tmp_path: Path, monkeypatch) -> phrases.PhraseStore:
    """A fresh process's store in an empty cache folder."""
    monkeypatch.setattr(phrases, "STORE", phrases.PhraseStore(str(tmp_path / "phrases")))
    linebreak._budoux.cache_clear()
    yield phrases.STORE
    linebreak._budoux.cache_clear()


def _new_process(monkeypatch, folder: str) -> phrases.PhraseStore:
    monkeypatch.setattr(phrases, "STORE", phrases.PhraseStore(folder))
    linebreak._budoux.cache_clear()
    return phrases.STORE


def test_stored_phrases_are_budouxs(store: phrases.PhraseStore):
    expected = tuple(budoux.load_default_japanese_parser().parse(TEXT))
    assert linebreak.phrases_of(TEXT) == expected
    store.save()
    (path,) = Path(store.folder).iterdir()
    assert path.name.startswith("budoux-") and marshal.loads(path.read_bytes()) == {TEXT: expected}


def test_a_later_process_uses_the_store_without_parsing(store: phrases.PhraseStore, monkeypatch):
    linebreak.phrases_of(TEXT)
    store.save()
    (path,) = Path(store.folder).iterdir()
    planted = ("怪しい", "メールの添付", "ファイルは開かずに削除")  # not BudouX's: only the store can give it
    path.write_bytes(marshal.dumps({TEXT: planted}))
    later = _new_process(monkeypatch, store.folder)
    monkeypatch.setattr(linebreak, "_parser", lambda: pytest.fail("BudouX parsed a stored text"))
    assert linebreak.phrases_of(TEXT) == planted
    later.save()  # nothing learnt: the file is left as it is
    assert marshal.loads(path.read_bytes()) == {TEXT: planted}


@pytest.mark.parametrize("damage", [b"", b"\x00not marshal", marshal.dumps([TEXT]), marshal.dumps({TEXT: ["a"]}),
                                    marshal.dumps({TEXT: list(budoux.load_default_japanese_parser().parse(TEXT))}),
                                    marshal.dumps({TEXT: ("怪しい", "メール")})])  # the last: not the whole text
def test_a_damaged_store_or_entry_is_parsed_again(store: phrases.PhraseStore, monkeypatch, damage: bytes):
    expected = tuple(budoux.load_default_japanese_parser().parse(TEXT))
    linebreak.phrases_of(TEXT)
    store.save()
    (path,) = Path(store.folder).iterdir()
    path.write_bytes(damage)
    later = _new_process(monkeypatch, store.folder)
    assert linebreak.phrases_of(TEXT) == expected
    later.save()
    assert marshal.loads(path.read_bytes())[TEXT] == expected  # made good again


def test_the_store_keeps_the_newest_texts(store: phrases.PhraseStore, monkeypatch):
    monkeypatch.setattr(phrases, "STORED_TEXTS", 3)
    for text in ("一つ目の文", "二つ目の文", "三つ目の文"):
        linebreak.phrases_of(text)
    store.save()
    later = _new_process(monkeypatch, store.folder)
    for text in ("四つ目の文", "一つ目の文"):  # a text stored before, learnt again, counts as new
        later.get(text)  # read the store
        later.add(text, (text,))
    later.save()
    (path,) = Path(store.folder).iterdir()
    assert list(marshal.loads(path.read_bytes())) == ["三つ目の文", "四つ目の文", "一つ目の文"]


def test_the_store_is_named_after_budouxs_code_and_model(monkeypatch):
    stamp = phrases._model_stamp()
    assert stamp is not None
    real_stat = phrases.os.stat

    def model_changed(path, *args, **kwargs):
        info = real_stat(path, *args, **kwargs)
        if str(path).endswith("ja.json"):
            return type("Stat", (), {"st_size": info.st_size + 1, "st_mtime_ns": info.st_mtime_ns})()
        return info

    monkeypatch.setattr(phrases.os, "stat", model_changed)
    assert phrases._model_stamp() not in (None, stamp)


def test_a_build_keeps_its_phrases_for_the_next(small_project: Path, tmp_path: Path):
    """The run's end writes the store: a newsletter build leaves the phrases it parsed there."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "builder", "--project", str(small_project), "newsletter", "--force"]
    result = subprocess.run(command, cwd=small_project, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (path,) = (tmp_path / "cache" / "karuta-press" / "phrases").iterdir()
    stored = marshal.loads(path.read_bytes())
    parser = budoux.load_default_japanese_parser()
    assert len(stored) >= 3 and all(tuple(parser.parse(text)) == value for text, value in stored.items())


def test_the_store_lives_in_the_user_cache_by_default(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    store = phrases.PhraseStore()
    assert store.get(TEXT) is None
    assert store.path is not None and store.path.parent == tmp_path / "karuta-press" / "phrases"
