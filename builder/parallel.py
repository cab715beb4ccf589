"""Work handed to worker processes while the main process goes on (images render while the
PDFs are laid out and written), collected later with a progress bar."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable

import click


class Background:
    """A pool of `workers` processes, started on first use; with one worker, work runs inline."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def submit(self, func: Callable, jobs: list, label: str) -> Callable[[], list]:
        """Start `func` on every job; the returned function waits for the results, in job order."""
        if self.workers <= 1 or len(jobs) < 4:
            return lambda: [result for result in _progress(label, len(jobs), (func(job) for job in jobs))]
        if self._pool is None:  # fork: workers inherit the fonts and modules already loaded
            workers = min(self.workers, len(jobs))
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        futures: list[Future] = [self._pool.submit(func, job) for job in jobs]
        return lambda: list(_progress(label, len(jobs), (future.result() for future in futures)))


def _progress(label: str, length: int, results):
    if not length:
        return
    ctx = click.get_current_context(silent=True)
    quiet = bool(ctx and ctx.meta.get("karuta.quiet"))  # build -q: errors only
    with click.progressbar(length=length, label=label, file=click.get_text_stream("stderr"), hidden=quiet) as bar:
        for result in results:
            yield result
            bar.update(1)
