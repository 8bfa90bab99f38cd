"""Benchmark: oicplan's PMedian (HiGHS) against spopt's PMedian (CBC via PuLP).

Run by hand (pytest does not collect this file)::

    .venv/bin/python benchmarks/locate_pmedian.py [--seeds 3] [--n 500] [--m 100] [--p 10]

Each instance places n demand points and m candidate sites uniformly at random
in the unit square (fixed seeds), uses Euclidean distances and unit weights,
solves the p-median with both tools in the same run and prints the objective
values, the wall-clock times and their ratio. spopt's time is split into
building the PuLP model and the CBC solve; oicplan's time covers building and
solving (``solve_seconds``).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from oicplan.optimize import PMedian


def _instance(seed: int, n: int, m: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    demand, sites = rng.random((n, 2)), rng.random((m, 2))
    return np.linalg.norm(demand[:, None] - sites[None], axis=2)


def _spopt(d: np.ndarray, p: int) -> tuple[float, float, float]:
    import pulp
    from spopt.locate import PMedian as SpoptPMedian

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PuLP 3 deprecation notices from spopt
        t0 = time.perf_counter()
        model = SpoptPMedian.from_cost_matrix(d, np.ones(d.shape[0]), p_facilities=p)
        t1 = time.perf_counter()
        model.solve(pulp.PULP_CBC_CMD(msg=False))
        t2 = time.perf_counter()
    return float(pulp.value(model.problem.objective)), t1 - t0, t2 - t1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--m", type=int, default=100)
    ap.add_argument("--p", type=int, default=10)
    args = ap.parse_args()

    print(f"p-median, {args.n} demand x {args.m} candidates, p={args.p}, unit weights")
    head = (f"{'seed':>4}  {'oicplan obj':>12}  {'spopt obj':>12}  {'oicplan s':>9}  "
            f"{'spopt build s':>13}  {'spopt CBC s':>11}  {'spopt total / oicplan':>21}")
    print(head)
    print("-" * len(head))
    ratios = []
    for seed in range(args.seeds):
        d = _instance(seed, args.n, args.m)
        ours = PMedian.from_cost_matrix(d, p=args.p).solve()
        obj, build, solve = _spopt(d, args.p)
        same = abs(ours.objective - obj) <= 1e-6 * max(1.0, abs(obj))
        ratio = (build + solve) / ours.solve_seconds
        ratios.append(ratio)
        flag = "" if same and ours.status == "optimal" else "  <-- differs"
        print(f"{seed:>4}  {ours.objective:>12.6f}  {obj:>12.6f}  {ours.solve_seconds:>9.2f}  "
              f"{build:>13.2f}  {solve:>11.2f}  {ratio:>21.1f}{flag}")
    print(f"geometric mean ratio: {float(np.exp(np.mean(np.log(ratios)))):.1f}")


if __name__ == "__main__":
    main()
