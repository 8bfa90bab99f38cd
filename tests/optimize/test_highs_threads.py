"""HiGHS solves in worker threads do not wait for Python's lock (oicplan.optimize._highs)."""

from __future__ import annotations

import sys
import threading
import time

import numpy as np

from oicplan.optimize._highs import Mip
from oicplan.optimize.layout_tradeoffs import single_thread_solver


def _knapsacks(seed: int = 3) -> Mip:
    """Three knapsack rows over 50 binaries: some LP iterations and nodes."""
    rng = np.random.default_rng(seed)
    n = 50
    mip = Mip(maximize=True)
    y = mip.add_vars(n, cost=rng.uniform(1, 2, n), integer=True)
    for _ in range(3):
        mip.add_rows(1, np.zeros(n, int), y, rng.uniform(1, 3, n), lower=-np.inf, upper=15.0)
    return mip


def test_a_solve_in_a_thread_runs_while_another_thread_holds_python():
    """The main thread runs Python with a switch interval of 2 s while a worker solves.

    A HiGHS that called back into Python during the solve would wait up to 2 s for the
    lock at each call; HiGHS's own clock (its run time, which leaves out the return to
    Python) shows whether it did. Alone, the solve takes about 0.1 s (0.5 s in a full
    test run, four workers on two cores); with highspy's callback left on it took 19 s
    at a 0.5 s interval and 2.1 s at this one (December 2026). The main thread spins
    for at most 4 s, so a failing run ends soon after.
    """
    highs = _knapsacks().to_highs()
    done = threading.Event()

    def solve() -> None:
        single_thread_solver()
        highs.setOptionValue("threads", 1)
        highs.run()
        done.set()

    before = sys.getswitchinterval()
    sys.setswitchinterval(2.0)
    try:
        worker = threading.Thread(target=solve)
        worker.start()
        until = time.perf_counter() + 4.0
        while not done.is_set() and time.perf_counter() < until:
            pass  # Python work that keeps the lock until it must let go
        worker.join()
    finally:
        sys.setswitchinterval(before)
    assert highs.getInfo().mip_node_count >= 1
    assert highs.getRunTime() < 1.0, highs.getRunTime()
