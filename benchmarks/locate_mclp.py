"""Benchmark: oicplan's MCLP (HiGHS) against spopt's MCLP (CBC via PuLP).

Run by hand (pytest does not collect this file)::

    .venv/bin/python benchmarks/locate_mclp.py             # both sizes, 3 seeds each
    .venv/bin/python benchmarks/locate_mclp.py --quick     # smoke run (small size, 1 seed)

Instances (issue 4): n demand points and m candidate sites drawn uniformly in
the unit square (``numpy.random.default_rng(seed)``), Euclidean costs,
coverage radius ``--radius`` (default 0.15), demand weights integers drawn
uniformly in 1..100 from the same generator (``--unit-weights`` for 1).
Two sizes: 500 x 100 with p = 10 and 2,000 x 300 with p = 20.

Both tools run in this process on the same cost matrix.

Before the first timed instance both tools solve a tiny instance once (lazy
imports and first-call costs stay out of the tables). For each seed:

* **oicplan**: ``MCLP.from_cost_matrix`` (validation, cost matrix, weights)
  and ``MCLP.solve`` are timed separately. ``solve`` builds the model itself
  (coverage sets, the ``Mip`` arrays, the greedy warm start) and then calls
  ``solve_mip``; this script wraps ``oicplan.optimize.covering.solve_mip`` and
  the model's ``Mip.to_highs`` (the ``passModel`` call) for the duration of
  the call, without changing them, to split ``solve`` into *build* (from the
  start of ``solve`` to the call of ``solve_mip``), *to HiGHS* (``to_highs``),
  *HiGHS* (options, warm start and ``run``) and *results* (after HiGHS).
  "oicplan build" below = ``from_cost_matrix`` + build + to HiGHS, i.e.
  everything before HiGHS starts searching.
* **spopt**: ``spopt.locate.MCLP.from_cost_matrix`` (builds the PuLP model)
  and ``.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=...))`` (PuLP writes the
  MPS file, runs CBC, reads the solution, spopt computes its coverage
  arrays) are timed separately; PuLP's ``solutionTime`` (the CBC subprocess
  wall time) is shown too. If CBC hits the time limit, the row says so and
  the objectives are not compared.

Each tool has a time limit (``--highs-limit``, ``--spopt-limit``, 300 s by
default). When both report optimal, the objectives must agree
(``abs(a - b) <= 1e-6 * max(1, b)``; the script stops with an assertion
otherwise); a row where either stopped early shows the statuses instead.
Ratios are spopt / oicplan for build, solve and total, with geometric means.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import warnings

import numpy as np

SIZES = {"small": (500, 100, 10), "medium": (2000, 300, 20)}


def _instance(seed: int, n: int, m: int, unit: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    demand, sites = rng.random((n, 2)), rng.random((m, 2))
    costs = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    weights = np.ones(n) if unit else rng.integers(1, 101, size=n).astype(float)
    return costs, weights


def _ours(costs, weights, p: int, radius: float, limit: float | None = None) -> dict:
    from oicplan.optimize import MCLP, covering

    marks: dict = {}
    original = covering.solve_mip

    def timed_solve_mip(mip, **kwargs):
        marks["mip_called"] = time.perf_counter()
        to_highs = mip.to_highs

        def timed_to_highs():
            t = time.perf_counter()
            h = to_highs()
            marks["to_highs"] = time.perf_counter() - t
            return h

        mip.to_highs = timed_to_highs
        try:
            return original(mip, **kwargs)
        finally:
            marks["mip_done"] = time.perf_counter()

    t0 = time.perf_counter()
    model = MCLP.from_cost_matrix(costs, weights, p=p, radius=radius)
    t1 = time.perf_counter()
    covering.solve_mip = timed_solve_mip
    try:
        model.solve(time_limit=limit)
    finally:
        covering.solve_mip = original
    t2 = time.perf_counter()
    build = marks["mip_called"] - t1
    highs = marks["mip_done"] - marks["mip_called"] - marks["to_highs"]
    return {"objective": model.objective, "status": model.status,
            "from_cost_matrix": t1 - t0, "build": build, "to_highs": marks["to_highs"],
            "highs": highs, "results": t2 - marks["mip_done"], "solve": t2 - t1,
            "total": t2 - t0, "before_highs": (t1 - t0) + build + marks["to_highs"]}


def _theirs(costs, weights, p: int, radius: float, limit: float) -> dict:
    import pulp
    from spopt.locate import MCLP as SpoptMCLP

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        model = SpoptMCLP.from_cost_matrix(costs, weights, service_radius=radius,
                                           p_facilities=p)
        t1 = time.perf_counter()
        error = None
        try:
            model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
        except Exception as exc:  # spopt raises when CBC stops without an optimal answer
            error = f"{type(exc).__name__}: {exc}"[:80]
        t2 = time.perf_counter()
    status = pulp.LpStatus[model.problem.status]
    objective = pulp.value(model.problem.objective) if error is None else None
    return {"objective": objective, "status": status if error is None else error,
            "build": t1 - t0, "solve": t2 - t1, "total": t2 - t0,
            "cbc": getattr(model.problem, "solutionTime", float("nan")),
            "vars": model.problem.numVariables(),
            "rows": model.problem.numConstraints()}


def _geo(xs: list[float]) -> float:
    return float(np.exp(np.mean(np.log(xs)))) if xs else float("nan")


def run_size(size: str, seeds: list[int], radius: float, limit: float, unit: bool,
             highs_limit: float) -> None:
    n, m, p = SIZES[size]
    print(f"\n## {n:,} x {m:,}, p = {p}, radius {radius:g}, "
          f"{'unit' if unit else 'integer 1..100'} weights, CBC limit {limit:g} s")
    print("| seed | objective (both) | covered share | oicplan build s | oicplan solve s "
          "| spopt build s | spopt solve s (CBC) | build ratio | solve ratio | total ratio |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    ratios: dict[str, list[float]] = {"build": [], "solve": [], "total": []}
    phases = []
    for seed in seeds:
        costs, weights = _instance(seed, n, m, unit)
        ours = _ours(costs, weights, p, radius, highs_limit)
        theirs = _theirs(costs, weights, p, radius, limit)
        share = ours["objective"] / weights.sum()
        ours_solve = ours["total"] - ours["before_highs"]
        if ours["status"] != "optimal" or theirs["objective"] is None \
                or theirs["status"] != "Optimal":
            print(f"| {seed} | {ours['objective']:.6g} (oicplan: {ours['status']}, "
                  f"spopt: {theirs['status']}) | "
                  f"{share:.1%} | {ours['before_highs']:.3f} | {ours_solve:.3f} | "
                  f"{theirs['build']:.3f} | {theirs['solve']:.2f} ({theirs['cbc']:.2f}) "
                  f"| - | - | - |", flush=True)
            continue
        gap = abs(ours["objective"] - theirs["objective"])
        assert gap <= 1e-6 * max(1.0, abs(theirs["objective"])), (ours, theirs)
        r_build = theirs["build"] / ours["before_highs"]
        r_solve = theirs["solve"] / ours_solve
        r_total = theirs["total"] / ours["total"]
        for key, value in (("build", r_build), ("solve", r_solve), ("total", r_total)):
            ratios[key].append(value)
        print(f"| {seed} | {ours['objective']:.6g} | {share:.1%} | {ours['before_highs']:.3f} "
              f"| {ours_solve:.3f} | {theirs['build']:.3f} | {theirs['solve']:.2f} "
              f"({theirs['cbc']:.2f}) | {r_build:.1f} | {r_solve:.1f} | {r_total:.1f} |",
              flush=True)
        phases.append((seed, ours, theirs))
    print(f"geometric mean ratios (spopt / oicplan): build {_geo(ratios['build']):.1f}, "
          f"solve {_geo(ratios['solve']):.1f}, total {_geo(ratios['total']):.1f}")
    print("oicplan phases (s): seed: from_cost_matrix + build + to HiGHS | HiGHS | results; "
          "spopt model size")
    for seed, ours, theirs in phases:
        print(f"  {seed}: {ours['from_cost_matrix']:.4f} + {ours['build']:.4f} + "
              f"{ours['to_highs']:.4f} | {ours['highs']:.3f} | {ours['results']:.4f}; "
              f"PuLP {theirs['vars']:,} variables, {theirs['rows']:,} constraints", flush=True)


def _machine() -> str:
    from importlib.metadata import version

    import pulp
    import spopt

    model = "?"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as fh:
        mem = int(fh.readline().split()[1]) / 2**20
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=os.path.dirname(os.path.abspath(__file__))).stdout
    return (f"nproc={os.cpu_count()}, CPU={model}, memory={mem:.1f} GiB, Python "
            f"{platform.python_version()}, numpy {np.__version__}, highspy "
            f"{version('highspy')}, spopt {spopt.__version__}, PuLP {pulp.__version__} "
            f"(CBC {pulp.PULP_CBC_CMD().path}), oicplan commit {commit.strip()}, load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=[*SIZES, "all"], default="all")
    ap.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 per size")
    ap.add_argument("--radius", type=float, default=0.15)
    ap.add_argument("--spopt-limit", type=float, default=300.0,
                    help="CBC time limit in seconds per instance")
    ap.add_argument("--highs-limit", type=float, default=300.0,
                    help="oicplan (HiGHS) time limit in seconds per instance")
    ap.add_argument("--unit-weights", action="store_true")
    ap.add_argument("--quick", action="store_true", help="smoke run: small size, one seed")
    args = ap.parse_args()
    if args.quick:
        args.size, args.seeds, args.spopt_limit, args.highs_limit = "small", 1, 60.0, 60.0
    print(f"machine: {_machine()}", flush=True)
    # warm-up on a tiny instance: lazy imports and first-call costs stay out of the tables
    costs, weights = _instance(99, 60, 15, args.unit_weights)
    _ours(costs, weights, 3, 0.3)
    _theirs(costs, weights, 3, 0.3, 30.0)
    sizes = list(SIZES) if args.size == "all" else [args.size]
    for size in sizes:
        run_size(size, list(range(args.seeds)), args.radius, args.spopt_limit,
                 args.unit_weights, args.highs_limit)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
          file=sys.stdout)


if __name__ == "__main__":
    main()
