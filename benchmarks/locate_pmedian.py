"""Benchmark: oicplan's PMedian (HiGHS) against spopt's PMedian (CBC via PuLP).

Run by hand (pytest does not collect this file)::

    .venv/bin/python benchmarks/locate_pmedian.py                 # all three sizes
    .venv/bin/python benchmarks/locate_pmedian.py --size small --seeds 5

Instances place n demand points and m candidate sites uniformly at random in
the unit square (``numpy.random.default_rng(seed)``), with Euclidean distances
and unit weights. Three sizes:

* ``small``  500 x 100, p = 10: end to end. Each tool runs in a fresh Python
  process that imports it, reads the same cost CSV, builds and solves; the
  wall time of the whole subprocess is measured. oicplan goes through
  ``oicplan.optimize.read_costs`` (the CLI's reader); spopt reads the CSV with
  ``pandas.read_csv`` (C engine).
* ``medium`` 2,000 x 300, p = 20: in process, oicplan with a 300 s limit,
  spopt + CBC with ``--spopt-limit`` seconds (0 skips it).
* ``large``  5,000 x 500, p = 30: in process, oicplan with ``--large-limit``
  seconds (spopt skipped by default); reports the proven gap and peak memory.

oicplan's per-phase times come from ``PMedian.timings``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

SIZES = {"small": (500, 100, 10), "medium": (2000, 300, 20), "large": (5000, 500, 30)}

_OURS = """
import json, sys, time
from oicplan.optimize import PMedian, read_costs
matrix = read_costs(sys.argv[1])
t = time.perf_counter()
m = PMedian.from_cost_matrix(matrix, p=int(sys.argv[2])).solve()
print(json.dumps({"objective": m.objective, "status": m.status,
                  "solve": time.perf_counter() - t, "timings": m.timings}))
"""

_THEIRS = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd, pulp
from spopt.locate import PMedian
d = pd.read_csv(sys.argv[1], index_col=0).to_numpy(dtype=float)
t = time.perf_counter()
model = PMedian.from_cost_matrix(d, np.ones(d.shape[0]), p_facilities=int(sys.argv[2]))
model.solve(pulp.PULP_CBC_CMD(msg=False))
print(json.dumps({"objective": pulp.value(model.problem.objective),
                  "status": pulp.LpStatus[model.problem.status],
                  "solve": time.perf_counter() - t}))
"""


def _instance(seed: int, n: int, m: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    demand, sites = rng.random((n, 2)), rng.random((m, 2))
    return np.linalg.norm(demand[:, None] - sites[None], axis=2)


def _write_csv(d: np.ndarray, path: Path) -> None:
    header = "demand," + ",".join(f"F{j}" for j in range(d.shape[1]))
    rows = [f"D{i}," + ",".join(f"{v:.9f}" for v in row) for i, row in enumerate(d)]
    path.write_text("\n".join([header, *rows]) + "\n")


def _subprocess(code: str, csv: Path, p: int) -> tuple[float, dict]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(csv), str(p)], check=True,
                         capture_output=True, text=True)
    return time.perf_counter() - t, json.loads(out.stdout.strip().splitlines()[-1])


def _geo(xs: list[float]) -> float:
    return float(np.exp(np.mean(np.log(xs))))


def small(seeds: int) -> None:
    n, m, p = SIZES["small"]
    print(f"\n## {n} x {m}, p = {p}: end to end (fresh process: import, read CSV, build, solve)")
    print("| seed | oicplan obj | spopt obj | oicplan s (solve) | spopt s (solve) | ratio |")
    print("|-----:|------------:|----------:|------------------:|----------------:|------:|")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(seeds):
            csv = Path(tmp) / f"c{seed}.csv"
            _write_csv(_instance(seed, n, m), csv)
            ours_s, ours = _subprocess(_OURS, csv, p)
            theirs_s, theirs = _subprocess(_THEIRS, csv, p)
            same = abs(ours["objective"] - theirs["objective"]) <= 1e-6 * theirs["objective"]
            ratios.append(theirs_s / ours_s)
            flag = "" if same and ours["status"] == "optimal" else " (differs)"
            print(f"| {seed} | {ours['objective']:.6f} | {theirs['objective']:.6f} | "
                  f"{ours_s:.2f} ({ours['solve']:.2f}) | {theirs_s:.2f} ({theirs['solve']:.2f}) "
                  f"| {ratios[-1]:.1f}{flag} |", flush=True)
            print(f"  oicplan phases: {_fmt(ours['timings'])}", flush=True)
    print(f"geometric mean ratio (spopt / oicplan, end to end): {_geo(ratios):.1f}")


def _fmt(timings: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in timings.items())


def _spopt_limited(d: np.ndarray, p: int, limit: float) -> tuple[str, float | None, float]:
    import pulp
    from spopt.locate import PMedian as SpoptPMedian

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        model = SpoptPMedian.from_cost_matrix(d, np.ones(d.shape[0]), p_facilities=p)
        try:
            model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
        except Exception as exc:  # spopt raises when CBC stops without an optimal answer
            return f"error: {type(exc).__name__}: {exc}"[:80], None, time.perf_counter() - t
        seconds = time.perf_counter() - t
    status = pulp.LpStatus[model.problem.status]
    return status, pulp.value(model.problem.objective), seconds


def in_process(size: str, seeds: int, limit: float, spopt_limit: float) -> None:
    from oicplan.optimize import PMedian

    n, m, p = SIZES[size]
    print(f"\n## {n} x {m}, p = {p}: in process, oicplan time limit {limit:g} s")
    for seed in range(seeds):
        d = _instance(seed, n, m)
        t = time.perf_counter()
        ours = PMedian.from_cost_matrix(d, p=p).solve(time_limit=limit)
        wall = time.perf_counter() - t
        gap = "" if ours.gap is None else f" gap {ours.gap:.3%}"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"seed {seed}: oicplan {ours.status}{gap} objective {ours.objective:.6f} "
              f"lower bound {ours.lower_bound:.6f} in {wall:.1f} s (peak RSS {peak:.0f} MB)")
        print(f"  phases: {_fmt(ours.timings)}")
        print(f"  reductions: {ours.reduction}", flush=True)
        if spopt_limit > 0:
            status, obj, secs = _spopt_limited(d, p, spopt_limit)
            shown = "none" if obj is None else f"{obj:.6f}"
            print(f"  spopt+CBC (limit {spopt_limit:g} s): status {status}, objective {shown}, "
                  f"{secs:.1f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=[*SIZES, "all"], default="all")
    ap.add_argument("--seeds", type=int, default=None, help="default 5 / 3 / 1 by size")
    ap.add_argument("--spopt-limit", type=float, default=300.0,
                    help="CBC time limit at 2,000 x 300 (0: skip spopt)")
    ap.add_argument("--large-limit", type=float, default=300.0)
    args = ap.parse_args()
    sizes = list(SIZES) if args.size == "all" else [args.size]
    if "small" in sizes:
        small(args.seeds or 5)
    if "medium" in sizes:
        in_process("medium", args.seeds or 3, 300.0, args.spopt_limit)
    if "large" in sizes:
        in_process("large", args.seeds or 1, args.large_limit, 0.0)


if __name__ == "__main__":
    main()
