"""Run a module as ``python -m`` would, and record the CPU time its HiGHS solves took.

Used by ``plan_e2e.py`` for both versions alike: ``python benchmarks/_highs_clock.py
FILE MODULE ARGS...`` wraps :meth:`highspy.Highs.run` (a Python method of highspy's
``Highs`` class) so that each call adds the CPU time of its own thread
(:func:`time.thread_time`: HiGHS solves in the calling thread when it runs with one
thread, as every solve of a plan does after its first) to a total; at exit it writes
``{"solves": N, "cpu": SECONDS}`` to FILE. The main solve runs with HiGHS's default
threads and may use a second thread of HiGHS's own, which this clock does not see, so
the total is a lower bound; the main solve is a small part of a plan's solves.

This file is not part of the package: it measures, it does not change what is run.
"""

from __future__ import annotations

import atexit
import json
import runpy
import sys
import threading
import time
from pathlib import Path


def clock_highs(record: Path) -> None:
    """Wrap ``highspy.Highs.run`` to add up its calls and CPU; write ``record`` at exit."""
    import highspy

    run = highspy.Highs.run
    total = {"solves": 0, "cpu": 0.0}
    lock = threading.Lock()

    def timed_run(self, *args, **kwargs):
        start = time.thread_time()
        try:
            return run(self, *args, **kwargs)
        finally:
            spent = time.thread_time() - start
            with lock:
                total["solves"] += 1
                total["cpu"] += spent

    highspy.Highs.run = timed_run
    atexit.register(lambda: record.write_text(json.dumps(total), encoding="utf-8"))


if __name__ == "__main__":
    record_file, module, *arguments = sys.argv[1:]
    clock_highs(Path(record_file))
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
