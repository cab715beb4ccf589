"""The worker pool (builder/parallel.py) on jobs of its own: every job done once, results in
job order, the main process taking part, and the first failing job reported whoever did it."""

from __future__ import annotations

import os
import time

import pytest

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
