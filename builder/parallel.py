"""Work handed to worker processes while the main process goes on (images render while the
PDFs are laid out and written), collected later with a progress bar.

The workers belong to the build: they ignore Ctrl-C (a terminal sends it to the whole process
group, and only the main process decides what an interrupt means), they end as soon as the main
process ends however it ends (even by SIGKILL or the kernel's out-of-memory killer), and an
interrupted or failed build terminates them instead of waiting for their queue to drain.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

import click

if TYPE_CHECKING:
    import multiprocessing

PARENT_POLL = 0.5  # s between a worker's checks that its parent is still there (where prctl is missing)
_PR_SET_PDEATHSIG = 1


class Background:
    """Worker processes, started when work is first handed out, and the main process itself,
    which joins the work once it has nothing else to do; with one job, work runs inline.

    `workers` processes take part in all: `workers - 1` forked ones (jobs are never pickled) and
    the main process. Each takes the next job as soon as it is free (a ticket read from a pipe
    that holds them all), so nobody idles while jobs are left, and sends each result back over
    its own pipe, which a thread of the main process empties as results come (a worker never
    waits for the main process to be ready). No lock is shared between processes, so stopping a
    worker at any moment cannot leave the main process waiting."""

    def __init__(self, workers: int):
        self.workers = workers
        self._running: list[multiprocessing.Process] = []
        self._tickets: list[_Tickets] = []

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        for process in self._running:
            if exc_type is not None:  # do not wait for work nobody will use
                process.kill()
            process.join()
        self._running = []
        for tickets in self._tickets:
            tickets.close()
        self._tickets = []

    def submit(self, func: Callable, jobs: list, label: str) -> Callable[[], list]:
        """Start `func` on every job; the returned function joins the work and then returns the
        results, in job order."""
        if self.workers <= 1 or len(jobs) < 4:
            return lambda: [result for result in _progress(label, len(jobs), (func(job) for job in jobs))]
        import multiprocessing  # here, not at the top: a build without workers (the newsletter) never loads them

        importlib.import_module("ctypes")  # for the workers' prctl, loaded once before they fork

        context = multiprocessing.get_context("fork")  # workers inherit the fonts and modules already loaded
        tickets = _Tickets(len(jobs))
        self._tickets.append(tickets)
        pipes = []
        for _ in range(min(self.workers - 1, len(jobs))):
            receiver, sender = context.Pipe(duplex=False)
            _widen(receiver)
            process = context.Process(target=_serve, args=(func, jobs, tickets, sender, os.getpid()), daemon=True)
            with _no_interrupt():  # a Ctrl-C now would reach the new worker before it can ignore it
                process.start()
            sender.close()
            self._running.append(process)
            pipes.append(receiver)
        results = _Results(pipes)
        return lambda: list(_progress(label, len(jobs), _join(func, jobs, tickets, results)))


class _Tickets:
    """The jobs' numbers in a pipe, read one at a time by whoever is free: a read of a few bytes
    from a pipe is atomic, so every job is taken exactly once, with no lock to hold. A ticket
    stands for a run of consecutive jobs when there are too many for the pipe to hold."""

    SIZE = 4  # bytes per ticket

    def __init__(self, count: int):
        self.count = count
        self.run = -(-count * self.SIZE // _PIPE_CAPACITY) or 1  # jobs per ticket
        self._read, write = os.pipe()
        os.write(write, b"".join(start.to_bytes(self.SIZE, "little") for start in range(0, count, self.run)))
        os.close(write)  # with no writer left, an empty pipe reads as its end
        os.set_blocking(self._read, False)

    def take(self) -> range | None:
        """The next run of jobs, or None when all are taken."""
        try:
            data = os.read(self._read, self.SIZE)
        except BlockingIOError:
            return None
        if not data:
            return None
        start = int.from_bytes(data, "little")
        return range(start, min(start + self.run, self.count))

    def close(self) -> None:
        os.close(self._read)


_PIPE_CAPACITY = 16384  # bytes a pipe surely holds at once (Linux: 65536)
_RESULTS_PIPE = 1 << 20  # bytes: a few results (an image is ~270 KB with its thumbnail); Linux's usual most


def _widen(pipe) -> None:
    """A results pipe that holds several results: in a 64 KB pipe a worker's send waits for every
    chunk to be read, and the main process's receiving thread takes each chunk only when the
    thread doing jobs hands over the interpreter lock (every 5 ms): measured, a worker then spent
    a tenth of its time blocked in send."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _RESULTS_PIPE)
    except (ImportError, OSError):  # not Linux, or over the user's pipe limit: the pipe as it is
        pass


_FAILED = -1  # the result index of a worker that stopped without saying it was done


def _serve(func: Callable, jobs: list, tickets: _Tickets, pipe, parent: int) -> None:
    """In a worker: take jobs until none are left (or one fails) and send (index, ok, result)
    for each, then (None, True, None) to say it is done."""
    _worker_start(parent)
    failed = False
    while not failed and (taken := tickets.take()) is not None:
        for index in taken:
            try:
                pipe.send((index, True, func(jobs[index])))
            except Exception as err:  # the main process raises it, so the build fails as it would inline
                try:
                    pipe.send((index, False, err))
                except Exception:  # an exception that cannot be pickled: its words are enough
                    pipe.send((index, False, RuntimeError(f"{type(err).__name__}: {err}")))
                failed = True  # the jobs left are the others' (the build fails anyway)
                break
    pipe.send((None, True, None))
    pipe.close()


class _Results:
    """The workers' results as they come, received by a thread, so that a worker never waits on
    a full pipe while the main process is busy with other work."""

    def __init__(self, pipes: list):
        self.done: dict[int, tuple[bool, object]] = {}
        self.changed = threading.Condition()
        self.open = len(pipes)
        threading.Thread(target=self._receive, args=(list(pipes),), daemon=True).start()

    def _receive(self, pipes: list) -> None:
        from multiprocessing.connection import wait

        while pipes:
            for pipe in wait(pipes):
                try:
                    index, ok, value = pipe.recv()
                except Exception:  # the worker died (EOFError), or its message cannot be read back
                    index, ok, value = _FAILED, False, RuntimeError("an image worker stopped before finishing its work")
                with self.changed:
                    if index is None or index == _FAILED:
                        pipes.remove(pipe)
                        self.open -= 1
                    if index is not None:
                        self.done.setdefault(index, (ok, value))
                    self.changed.notify_all()


def _join(func: Callable, jobs: list, tickets: _Tickets, results: _Results) -> Iterator:
    """Results in job order: the main process does jobs while any are left, then waits for the
    workers'. A failed job raises its error once every job before it is done, so that the first
    failing job is the one reported, whoever did it."""
    following = 0
    failed = False  # a job of this process failed: it takes no more, and waits for the jobs before it
    while following < len(jobs):
        with results.changed:
            if _FAILED in results.done:
                raise results.done[_FAILED][1]
            entry = results.done.pop(following, None)
        if entry is not None:
            ok, value = entry
            if not ok:
                raise value
            yield value
            following += 1
            continue
        taken = None if failed else tickets.take()
        if taken is not None:
            for index in taken:
                try:
                    entry = (True, func(jobs[index]))
                except Exception as err:
                    entry, failed = (False, err), True
                with results.changed:
                    results.done[index] = entry
                if failed:
                    break
            continue
        with results.changed:
            if following not in results.done and _FAILED not in results.done:
                if not results.open:
                    raise RuntimeError("an image worker stopped before finishing its work")
                results.changed.wait(0.5)


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
            import ctypes  # loaded by submit before the fork

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
    """The results, with a bar shown from the first one on: a job that fails first (a content
    mistake every image shows) ends the build in one line, with no bar before it."""
    if not length:
        return
    results = iter(results)
    first = next(results)
    ctx = click.get_current_context(silent=True)
    quiet = bool(ctx and ctx.meta.get("karuta.quiet"))  # build -q: errors only
    with click.progressbar(length=length, label=label, file=sys.stderr, hidden=quiet) as bar:
        yield first
        bar.update(1)
        for result in results:
            yield result
            bar.update(1)
