"""The worker pool (builder/parallel.py) on jobs of its own: every job done once, results in
job order, the main process taking part, and the first failing job reported whoever did it; an
interrupted build kills its workers, and a Ctrl-C that reaches a worker just forked is left to the
main process (the signal test, tests/test_signals.py, sees neither: a build that waits for its
workers still ends within its allowance, and the moment between fork and ignore is a race there)."""

from __future__ import annotations

import os
import select
import signal
import time
from pathlib import Path

import pytest

from builder import parallel
from builder.parallel import Background

FAILING = {7, 23}


def _work(n: int) -> tuple[int, int]:
    time.sleep(0.02)  # long enough that the worker, forked first, surely takes some
    if n in FAILING:
        raise ValueError(f"job {n} failed")
    return n, os.getpid()


def test_every_job_once_in_order_with_the_main_process_joining():
    jobs = [n for n in range(60) if n not in FAILING]
    with Background(2) as background:
        collect = background.submit(_work, jobs, "testing")
        results = collect()
    assert [n for n, _ in results] == jobs
    doers = {pid for _, pid in results}
    assert os.getpid() in doers and len(doers) == 2, doers  # the main process and one worker


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_the_first_failing_job_is_the_one_reported(workers: int):
    with pytest.raises(ValueError, match="job 7 failed"):
        with Background(workers) as background:
            background.submit(_work, list(range(40)), "testing")()


HOLD = 10.0  # s a worker's job waits to be released: only a pool that waits for its workers sees it end


def test_an_interrupted_build_kills_its_workers_instead_of_waiting_for_them(tmp_path: Path):
    """Ctrl-C (KeyboardInterrupt in the main process) while a worker is in the middle of a job: the
    worker is killed there; it neither finishes that job nor takes the next ones."""
    started, tell = os.pipe()
    release, _keep_open = os.pipe()  # never written: the job waits HOLD s unless it is killed
    done = tmp_path / "done"

    def job(n: int) -> int:
        if n == 0:  # the worker's first job (the main process takes none before it collects)
            os.write(tell, b"!")
            select.select([release], [], [], HOLD)
        with open(done, "a") as f:
            f.write(f"{n}\n")
        return n

    try:
        with pytest.raises(KeyboardInterrupt):
            with Background(2) as background:
                background.submit(job, [0, 1, 2, 3], "testing")
                assert select.select([started], [], [], 120)[0], "the worker never started its first job"
                raise KeyboardInterrupt
        assert not done.exists(), f"the workers went on after the interrupt and did jobs {done.read_text().split()}"
    finally:
        for fd in (started, tell, release, _keep_open):
            os.close(fd)


def test_ctrl_c_reaching_a_worker_just_forked_is_left_to_the_main_process(monkeypatch, capfd):
    """A Ctrl-C that reaches a new worker before it has set itself to ignore interrupts (a terminal
    sends it to the whole process group) must not end the worker with a KeyboardInterrupt and a
    traceback: the pool holds SIGINT back while it forks. Here the interrupt goes to the new worker
    alone, first thing after the fork, so the build goes on: the worker must do its share."""
    real_start = parallel._worker_start

    def interrupted_start(parent: int) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # in the worker, before it ignores interrupts
        real_start(parent)

    monkeypatch.setattr(parallel, "_worker_start", interrupted_start)
    # Ctrl-C at its default, as in a terminal (a suite started as a background job has it ignored,
    # and the workers would inherit that)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        jobs = [n for n in range(20) if n not in FAILING]
        with Background(2) as background:
            results = background.submit(_work, jobs, "testing")()
    finally:
        signal.signal(signal.SIGINT, previous)
    err = capfd.readouterr().err
    assert "KeyboardInterrupt" not in err and "Traceback" not in err, err
    assert [n for n, _ in results] == jobs
    assert len({pid for _, pid in results}) == 2, "the worker did none of the jobs"
