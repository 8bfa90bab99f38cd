"""Benchmark: the layout model at the scale of a national plan.

Run by hand (pytest does not collect this file)::

    .venv/bin/python benchmarks/layout_scale.py [--sites 2000] [--enterprises 10000]
        [--years 5] [--industries 25] [--cities 40] [--top-l 40] [--gap 0.01]
        [--time-limit 600] [--seed 0] [--plain] [--highs NAME=VALUE ...]
        [--diminishing-return DELTA]

``--plain`` solves the way ``Layout`` did before the MIP start: no restricted
model first, HiGHS defaults (presolve on), for before/after comparisons in one
session. ``--diminishing-return DELTA`` adds the diminishing return per economy
(issue 13: the k-th center of a country counts DELTA^(k-1) of its quality term;
exact rank columns, see :mod:`oicplan.optimize.layout_diversify`); without it
the model is the one before.

A synthetic instance (fixed seed) with 2,000 candidate sites in 100 countries,
5 center modes (each site admits 3 of them on average), 10,000 home enterprises
in 25 industries and 40 home cities, and a 5-year horizon with a total and an
annual budget, a per-country cap, at least 8 centers in each of 5 strategy
sets, a cap on the mean risk, 20 existing centers and a capacity per center.

The full assignment formulation would have one x per (enterprise, option):
10,000 x ~6,000 = 60 million columns. Two reductions make it tractable and are
reported:

1. **demand classes** -- an enterprise's match depends on its (industry, city)
   only, so the enterprises of one class are interchangeable: they are merged
   into one demand whose priority is the sum of theirs and whose size is their
   number, and ``split_demand=True`` lets a class be shared between centers
   (exact for the class model; with capacities it is the relaxation of single
   sourcing per enterprise, rounding moves at most one enterprise per class);
2. **top-L options per class** -- only the ``--top-l`` best-matching options
   stay assignable to each class (a heuristic cut: the optimum can differ if a
   class's best *open* option is outside its top-L).

Prints build and solve time, status, gap and peak memory (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import numpy as np

import oicplan.optimize.layout_solve as layout_module
from oicplan.optimize.layout import GroupRule, Layout

MODES = ["offshore_rd_center", "offshore_incubator", "joint_lab", "zone_upgrade", "corridor_hub"]
SETUP = np.array([50.0, 8.0, 12.0, 30.0, 25.0])
ANNUAL = np.array([20.0, 4.0, 6.0, 8.0, 7.0])
CAPACITY = np.array([600.0, 200.0, 250.0, 800.0, 700.0])  # enterprises per center
MODE_FIT = np.array([1.0, 0.7, 0.85, 0.9, 0.8])


def build(args: argparse.Namespace) -> tuple[Layout, dict]:
    rng = np.random.default_rng(args.seed)
    n_s, n_m = args.sites, len(MODES)
    country = rng.integers(0, 100, n_s)
    # Technology strength of each site in each industry, correlated with its quality.
    base = rng.beta(2, 5, n_s)
    tech = np.clip(base[None, :] + 0.25 * rng.standard_normal((args.industries, n_s)), 0, 1)
    available = rng.random((n_s, n_m)) < 0.6
    available[np.arange(n_s), rng.integers(0, n_m, n_s)] = True
    quality = base[:, None] * MODE_FIT[None, :]

    # Enterprises -> (industry, city) classes.
    ind = rng.integers(0, args.industries, args.enterprises)
    city = rng.integers(0, args.cities, args.enterprises)
    weight = rng.integers(1, 4, args.enterprises).astype(float)
    key = ind * args.cities + city
    classes, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    priority = np.bincount(inverse, weights=weight)
    c_ind, c_city = classes // args.cities, classes % args.cities
    # Home cities differ in how well they absorb each mode (a small factor).
    city_fit = 0.9 + 0.2 * rng.random((args.cities, n_m))
    match = tech[c_ind][:, :, None] * MODE_FIT[None, None, :] * city_fit[c_city][:, None, :]

    risk = rng.beta(2, 4, n_s)
    strategies = [GroupRule(f"strategy {k}", rng.random(n_s) < 0.1, min=8) for k in range(5)]
    existing = {int(s): MODES[int(np.flatnonzero(available[s])[0])]
                for s in rng.choice(n_s, 20, replace=False)}
    model = Layout.from_arrays(
        match, quality, priority=priority, quality_weight=float(priority.sum()) / 200,
        modes=MODES, available=available, top_l=args.top_l, max_centers=args.centers,
        setup_cost={m: SETUP[k] for k, m in enumerate(MODES)},
        annual_cost={m: ANNUAL[k] for k, m in enumerate(MODES)},
        budget=args.budget, country=country, max_per_country=6, groups=strategies,
        risk=risk, max_mean_risk=0.3, existing=existing,
        capacity={m: CAPACITY[k] for k, m in enumerate(MODES)}, demand_size=counts,
        split_demand=True, horizon=args.years, annual_budget=args.budget / args.years * 1.2,
        diminishing_return=args.diminishing_return,
    )
    stats = {"classes": int(classes.size), "options": int(model.inputs.opt_site.size),
             "pairs": int(model.inputs.pair_d.size)}
    return model, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--enterprises", type=int, default=10000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--industries", type=int, default=25)
    parser.add_argument("--cities", type=int, default=40)
    parser.add_argument("--top-l", type=int, default=40)
    parser.add_argument("--centers", type=int, default=150)
    parser.add_argument("--budget", type=float, default=3000.0)
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--highs", action="append", default=[], metavar="NAME=VALUE",
                        help="override a HiGHS option used for large models (repeatable)")
    parser.add_argument("--diminishing-return", type=float, default=None, metavar="DELTA",
                        help="diminishing return per country (default: none, the old model)")
    parser.add_argument("--plain", action="store_true",
                        help="no MIP start, HiGHS defaults (the solve before the MIP start)")
    args = parser.parse_args()
    if args.plain:
        layout_module._LARGE_BINARIES = 2**62
    if args.highs:
        options = dict(layout_module._LARGE_OPTIONS)
        options.update(item.split("=", 1) for item in args.highs)
        layout_module._LARGE_OPTIONS = options
    runs = []  # every HiGHS run: the restricted model (if any), then the full model
    real_solve = layout_module.solve_mip

    def recorded(mip, **kw):
        try:
            out = real_solve(mip, **kw)
        except Exception:
            runs.append(None)  # the restricted model had no solution: no start
            raise
        runs.append(out)
        return out

    layout_module.solve_mip = recorded

    t0 = time.perf_counter()
    model, stats = build(args)
    t_build = time.perf_counter() - t0
    t1 = time.perf_counter()
    model.solve(time_limit=args.time_limit, mip_gap=args.gap)
    t_solve = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_years = args.years
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}, "
          f"Python {platform.python_version()}")
    print(f"instance: {args.sites} sites x {len(MODES)} modes ({stats['options']} options), "
          f"{args.enterprises} enterprises -> {stats['classes']} classes, {n_years} years, "
          f"top-L {args.top_l} -> {stats['pairs']} assignment pairs")
    print(f"variables: y {stats['options']}, z {(stats['options'] - 20) * n_years} (approx.), "
          f"x {stats['pairs']}")
    spec = model._rank_spec()
    if spec is not None:
        print(f"diminishing return {args.diminishing_return:g}: {spec.unit_opt.size} units, "
              f"{spec.loss.size} rank columns (continuous)")
    print(f"build inputs {t_build:.1f} s; model build + solve {t_solve:.1f} s "
          f"(HiGHS reported {model.solve_seconds:.1f} s)")
    if len(runs) > 1:
        heuristic = [r for r in runs[:-1] if r is not None]
        found = [r for r in heuristic[1:] if r.objective]
        print(f"MIP start: restricted LP + fixed MIP {sum(r.seconds for r in heuristic):.1f} s "
              f"(LP bound {heuristic[0].objective:,.2f}), start objective "
              f"{found[-1].objective:,.2f}" if found else "MIP start: none found")
        print(f"full model: {runs[-1].seconds:.1f} s")
    if spec is not None:
        after = model._rank_spec()
        grown = {g: int(k) for g, k in enumerate(after.levels) if k > 2}
        print(f"rank columns at the end: {after.loss.size} (groups with more than 2 ranks: "
              f"{grown or 'none'}); HiGHS runs in all: {len(runs)}")
    gap = "-" if model.gap is None else f"{model.gap:.3%}"
    print(f"status {model.status}, gap {gap}, objective {model.objective:,.2f}, "
          f"centers {len(model.chosen)}, cost {model.cost:,.1f}")
    print(f"peak memory (ru_maxrss): {peak_mb:,.0f} MB")
    strategy = "plain" if args.plain else f"MIP start, HiGHS {layout_module._LARGE_OPTIONS}"
    print(f"strategy: {strategy}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
