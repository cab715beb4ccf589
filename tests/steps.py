"""A build in a real process, stopped at a chosen step of its own code instead of after a sleep:
fault injection at a known moment. The step is a function a builder module calls (`Background.submit`
in builder.parallel, `os.replace` as builder.output sees it), or a module being imported; on its
nth call in one process the build either kills itself (SIGKILL) or writes one byte to a pipe the
test reads and waits there, so that the signal the test then sends lands at that step."""

from __future__ import annotations

import sys

# Run as `python -c SCRIPT module step nth action build-arguments...`: `python -m builder` with the
# step hooked. `step` is a dotted name in `module` ("" for the import of the module itself); a
# module on the way (os) is replaced by a copy in `module` only, so nothing else sees the hook.
# `action` is "kill" or the number of an inherited file descriptor to write to.
SCRIPT = r"""
import importlib.util, os, runpy, signal, sys, time
# Ctrl-C at default, as a shell starts a foreground job: a suite started from a background job of
# a non-interactive shell has SIGINT ignored, which every process it starts inherits
signal.signal(signal.SIGINT, signal.default_int_handler)
module, step, nth, action = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
HOLD = 2.0
del sys.argv[1:5]
calls = []

def reached():
    calls.append(1)
    if len(calls) == nth:
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        else:  # then held there until the signal comes (or for HOLD s): it lands at this step
            parent = os.getppid()  # a worker's build: its main process, which the test may kill instead
            os.write(int(action), b"!")
            deadline = time.monotonic() + HOLD
            while signal.SIGINT not in signal.sigpending() and time.monotonic() < deadline and os.getppid() == parent:
                time.sleep(0.005)  # SIGINT ends this at once where it is not blocked or ignored

def hook(loaded):
    if not step:
        return reached()
    *path, name = step.split(".")
    owner = loaded
    for part in path:
        inner = getattr(owner, part)
        if isinstance(inner, type(sys)):
            copy = type(sys)(inner.__name__)
            copy.__dict__.update(inner.__dict__)
            setattr(owner, part, copy)
            inner = copy
        owner = inner
    real = getattr(owner, name)
    def hooked(*args, **kwargs):
        reached()
        return real(*args, **kwargs)
    setattr(owner, name, hooked)

class Finder:
    def find_spec(self, name, path=None, target=None):
        if name != module:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        execute = spec.loader.exec_module
        def exec_module(loaded):
            execute(loaded)
            hook(loaded)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Finder())
runpy.run_module("builder", run_name="__main__", alter_sys=True)
"""


def at_step(module: str, step: str, nth: int, action: str | int, *args: str) -> list[str]:
    """The command line of `build ARGS...` with `step` of `module` hooked (see SCRIPT)."""
    return [sys.executable, "-c", SCRIPT, module, step, str(nth), str(action), *args]
