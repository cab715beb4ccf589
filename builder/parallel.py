"""Work handed to worker processes while the main process goes on (images render while the
PDFs are laid out and written), collected later with a progress bar.

The workers belong to the build: they ignore Ctrl-C (a terminal sends it to the whole process
group, and only the main process decides what an interrupt means), they end as soon as the main
process ends however it ends (even by SIGKILL or the kernel's out-of-memory killer), and an
interrupted or failed build terminates them instead of waiting for their queue to drain.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from multiprocessing.connection import wait
from typing import Callable, Iterator

import click

PARENT_POLL = 0.5  # s between a worker's checks that its parent is still there (where prctl is missing)
_PR_SET_PDEATHSIG = 1


class Background:
    """Worker processes, started when work is first handed out; with one worker, work runs inline.

    Each worker is forked with its share of the jobs (every `workers`-th one), so jobs are never
    pickled, and sends each result back over its own pipe; no lock is shared, so stopping a
    worker at any moment cannot leave the main process waiting."""

    def __init__(self, workers: int):
        self.workers = workers
        self._running: list[multiprocessing.Process] = []

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        for process in self._running:
            if exc_type is not None:  # do not wait for work nobody will use
                process.kill()
            process.join()
        self._running = []

    def submit(self, func: Callable, jobs: list, label: str) -> Callable[[], list]:
        """Start `func` on every job; the returned function waits for the results, in job order."""
        if self.workers <= 1 or len(jobs) < 4:
            return lambda: [result for result in _progress(label, len(jobs), (func(job) for job in jobs))]
        context = multiprocessing.get_context("fork")  # workers inherit the fonts and modules already loaded
        pipes = []
        for first in range(min(self.workers, len(jobs))):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_serve, args=(func, jobs, first, self.workers, sender, os.getpid()),
                                      daemon=True)
            with _no_interrupt():  # a Ctrl-C now would reach the new worker before it can ignore it
                process.start()
            sender.close()
            self._running.append(process)
            pipes.append(receiver)
        return lambda: list(_progress(label, len(jobs), _collect(pipes, len(jobs), self.workers)))


def _serve(func: Callable, jobs: list, first: int, step: int, pipe, parent: int) -> None:
    """In a worker: do jobs first, first + step, ... and send (index, ok, result) for each."""
    _worker_start(parent)
    for index in range(first, len(jobs), step):
        try:
            pipe.send((index, True, func(jobs[index])))
        except Exception as err:  # the main process raises it, so the build fails as it would inline
            try:
                pipe.send((index, False, err))
            except Exception:  # an exception that cannot be pickled: its words are enough
                pipe.send((index, False, RuntimeError(f"{type(err).__name__}: {err}")))
            return
    pipe.close()


def _collect(pipes: list, count: int, step: int) -> Iterator:
    """Results in job order, waiting for the pipes as workers finish them."""
    owed = {pipe: len(range(first, count, step)) for first, pipe in enumerate(pipes)}
    results: dict[int, object] = {}
    following = 0
    while following < count:
        if following in results:
            yield results.pop(following)
            following += 1
            continue
        for pipe in wait([pipe for pipe, left in owed.items() if left]):
            try:
                index, ok, value = pipe.recv()
            except EOFError:
                raise RuntimeError("an image worker stopped before finishing its work") from None
            if not ok:
                raise value
            results[index] = value
            owed[pipe] -= 1


@contextmanager
def _no_interrupt() -> Iterator[None]:
    """SIGINT held back (not lost) while a worker is forked: the worker starts with it blocked."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _worker_start(parent: int) -> None:
    """In each worker, before any job: leave interrupts to the parent, and die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        try:  # the kernel kills this worker the moment its parent dies
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Where prctl is missing (or did not take), notice the parent's death by being re-parented."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)


def _progress(label: str, length: int, results):
    if not length:
        return
    ctx = click.get_current_context(silent=True)
    quiet = bool(ctx and ctx.meta.get("karuta.quiet"))  # build -q: errors only
    with click.progressbar(length=length, label=label, file=click.get_text_stream("stderr"), hidden=quiet) as bar:
        for result in results:
            yield result
            bar.update(1)
