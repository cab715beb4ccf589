"""The code @dataclass compiles for our classes is kept by its text: a later process runs the
stored code, which is exactly what exec() compiles from that text, and the classes behave as
dataclasses; other modules' classes and a damaged store are compiled as before."""

from __future__ import annotations

import builtins
import dataclasses
import marshal
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import builder.dataclass_code as dataclass_code
from builder.dataclass_code import KeptCode

CLASS = '''
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Point:
    """A point with a default and a factory."""
    x: int
    y: int = 2
    tags: tuple = field(default_factory=tuple)
'''


def _made(kept: KeptCode | None, monkeypatch, module: str = "builder.sample", source: str = CLASS) -> type:
    """The class Point of `source`, made in a fresh module named `module` with `kept` as the
    dataclasses module's exec() (None: Python's own)."""
    monkeypatch.setattr(dataclasses, "exec", kept.exec if kept else builtins.exec, raising=False)
    namespace = types.ModuleType(module)
    monkeypatch.setitem(sys.modules, module, namespace)  # where @dataclass finds the module's globals
    builtins.exec(compile(source, module, "exec", dont_inherit=True), namespace.__dict__)
    return namespace.Point


def _behaves_as_a_frozen_dataclass(point: type) -> None:
    assert point(1) == point(1, 2, ()) != point(1, 3) and hash(point(1, 2)) == hash(point(1, 2, ()))
    assert repr(point(1, tags=("a",))) == "Point(x=1, y=2, tags=('a',))"
    with pytest.raises(dataclasses.FrozenInstanceError):
        point(1).x = 2


def test_the_kept_code_is_what_dataclasses_compiles(tmp_path: Path, monkeypatch):
    kept = KeptCode(str(tmp_path / "code.marshal"))
    point = _made(kept, monkeypatch)
    _behaves_as_a_frozen_dataclass(point)
    plain = _made(None, monkeypatch)
    methods = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
    assert len(kept.used["builder.sample"]) == len(methods)
    for name in methods:
        assert getattr(point, name).__code__ == getattr(plain, name).__code__, name


def test_a_later_process_runs_the_stored_code_without_compiling(tmp_path: Path, monkeypatch):
    store = tmp_path / "code.marshal"
    first = KeptCode(str(store))
    _made(first, monkeypatch)
    first.save()
    assert "builder.sample" in marshal.loads(store.read_bytes())

    def refuse(*args, **kwargs):
        raise AssertionError("compiled again")
    monkeypatch.setattr(dataclass_code, "compile", refuse, raising=False)
    later = KeptCode(str(store))
    _behaves_as_a_frozen_dataclass(_made(later, monkeypatch))
    assert not later.learnt
    later.save()
    assert marshal.loads(store.read_bytes()) == marshal.loads(marshal.dumps(first.sections))


def test_a_changed_class_replaces_its_module_s_code(tmp_path: Path, monkeypatch):
    store = tmp_path / "code.marshal"
    first = KeptCode(str(store))
    _made(first, monkeypatch)
    _made(first, monkeypatch, "builder.other")
    first.save()
    changed = KeptCode(str(store))
    _made(changed, monkeypatch, source=CLASS.replace("y: int = 2", "y: int = 3"))
    changed.save()
    sections = marshal.loads(store.read_bytes())
    assert sections["builder.other"] == first.sections["builder.other"], "other modules' code is kept"
    texts = marshal.loads(sections["builder.sample"])
    assert len(texts) == 6 and not any("= 2" in text for text in texts)


@pytest.mark.parametrize("damage", [b"", b"not marshal", marshal.dumps([1, 2]), marshal.dumps({"builder.sample": 3}),
                                    marshal.dumps({"builder.sample": b"\x00junk"}),
                                    marshal.dumps({"builder.sample": marshal.dumps({"text": "not code"})})],
                         ids=["empty", "not marshal", "a list", "a number", "junk", "not code"])
def test_a_damaged_store_means_compiling_as_before(tmp_path: Path, monkeypatch, damage: bytes):
    store = tmp_path / "code.marshal"
    store.write_bytes(damage)
    kept = KeptCode(str(store))
    _behaves_as_a_frozen_dataclass(_made(kept, monkeypatch))
    assert kept.learnt == {"builder.sample"}


def test_other_modules_classes_are_compiled_as_before(tmp_path: Path, monkeypatch):
    kept = KeptCode(str(tmp_path / "code.marshal"))
    point = _made(kept, monkeypatch, "elsewhere.sample")
    _behaves_as_a_frozen_dataclass(point)
    assert point.__init__.__code__ == _made(None, monkeypatch, "elsewhere.sample").__init__.__code__
    assert kept.used == {} and not kept.learnt
    kept.save()
    assert not (tmp_path / "code.marshal").exists()


def test_a_command_keeps_the_code_it_compiled_in_the_user_cache(tmp_path: Path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "builder", "--help"], env=env, check=True, capture_output=True)
    store = tmp_path / "karuta-press" / "python"
    sections = marshal.loads(next(store.iterdir()).read_bytes())
    assert {"builder.errors", "builder.paths", "builder.options"} <= set(sections)
