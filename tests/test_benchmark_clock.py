"""The benchmarks' HiGHS clock (benchmarks/_highs_clock.py) counts a run's solves and their CPU."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

CLOCK = Path(__file__).resolve().parents[1] / "benchmarks" / "_highs_clock.py"


def test_the_clock_counts_every_solve_of_the_module_it_runs(tmp_path: Path) -> None:
    (tmp_path / "three_solves.py").write_text(textwrap.dedent("""
        import sys
        import numpy as np
        from oicplan.optimize._highs import Mip, solve_mip

        for n in (3, 4, 5):
            mip = Mip(maximize=True)
            y = mip.add_vars(n, cost=np.arange(1.0, n + 1), integer=True)
            mip.add_rows(1, np.zeros(n, int), y, 1.0, lower=-np.inf, upper=2.0)
            print(solve_mip(mip, model="demo").objective)
        print("args", sys.argv[1:])
    """), encoding="utf-8")
    record = tmp_path / "record.json"
    run = subprocess.run(
        [sys.executable, str(CLOCK), str(record), "three_solves", "--out", "x"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert run.stdout.split() == ["5.0", "7.0", "9.0", "args", "['--out',", "'x']"]
    clocked = json.loads(record.read_text(encoding="utf-8"))
    assert clocked["solves"] == 3
    assert 0.0 <= clocked["cpu"] < 30.0
