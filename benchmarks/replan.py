"""Re-planning after a weight change in a running process (what the web app will do).

Run by hand: ``.venv/bin/python benchmarks/replan.py [--rounds 3]``. The issue's target
is at most 1 s. One process plans the ``zhejiang`` scenario once (cold: imports, data,
graph cache, the weight-free stages), then runs ``--rounds`` rounds; each round raises
one pillar weight by 10 % (``scenario.weights``, nothing else changed) and re-plans it
four ways, in turn, so that they share the machine's load:

- ``before``: every stage computed afresh (:func:`oicplan.pipeline_cache.caching` off)
  and the Pareto frontiers and robustness re-solves one after the other in the
  caller's thread (``oicplan.plan.SOLVE_WORKERS = 0``), as before the caches;
- ``after, with frontiers``: the weight-free stages from the caches, the frontiers and
  the robustness re-solves side by side (2 worker threads);
- ``after, without frontiers``: ``make_plan(..., frontiers=False)`` (``PlanRequest``
  ``frontiers=False``), the interactive re-plan; the frontiers can follow in the
  background;
- ``caches, solves one after the other``: caches on, ``SOLVE_WORKERS = 0``, to tell what
  the caches and the side-by-side solves each bring.

The plans with frontiers of a round must be the same (chosen
sites and modes, frontier and robustness tables); the script stops if not. It also
times the service call the web app makes (``services.planning.plan`` with
``frontiers=False``, the plan document included), and breaks one quick re-plan down
by stage under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import statistics
import time

# (label, file the function is in, function name, does its result depend on the weights?)
STAGES = [
    ("scenario view of the dataset", "ranking.py", "scenario_dataset", False),
    ("check_selection", "plan.py", "check_selection", False),
    ("candidate sites", "candidates.py", "candidate_sites", False),
    ("match matrix (industries x sites)", "matrix.py", "match_matrix", False),
    ("indicator build (score_sites)", "sites.py", "score_sites", False),
    ("MCDA ranking", "ranking.py", "rank_sites", True),
    ("  Monte Carlo rank intervals", "montecarlo.py", "monte_carlo", True),
    ("  Sobol indices", "sobol.py", "sobol_analysis", True),
    ("eligible strategies", "domain.py", "eligible_strategies", False),
    ("served enterprises (selection.enterprises)", "plan.py", "served_enterprises", False),
    ("layout model build (from_ranking)", "layout_scenario.py", "from_ranking", True),
    ("  cost model (site_mode_costs)", "site_costs.py", "site_mode_costs", False),
    ("  mode fit (mode_scores)", "modes.py", "mode_scores", False),
    ("Layout.solve (all calls)", "layout.py", "solve", True),
    ("Pareto frontiers (2 x 6 points)", "layout.py", "pareto", True),
    ("robustness re-solves", "layout.py", "robustness", True),
    ("HiGHS runs in total", "_highs.py", "solve_mip", True),
]


def stage_times(stats: pstats.Stats) -> dict[str, tuple[float, int]]:
    """Cumulative seconds and call count of each stage's function in a profile."""
    found: dict[str, tuple[float, int]] = {}
    for (filename, _, name), (_, calls, _, cumulative, _) in stats.stats.items():
        for label, file, function, _ in STAGES:
            if name == function and filename.endswith(os.sep + file):
                seconds, count = found.get(label, (0.0, 0))
                found[label] = (max(seconds, cumulative), count + calls)
    return found


def machine() -> str:
    """Cores, CPU model, memory and Python, for the README."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(line.split(":", 1)[1].strip() for line in info
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from importlib.metadata import version

    return (f"{os.cpu_count()} cores ({model}), {memory:.1f} GiB, Python "
            f"{platform.python_version()}, highspy {version('highspy')}, "
            f"pandas {version('pandas')}")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def same_plan(one, other) -> bool:
    """Same chosen sites and modes, and the same frontier and robustness tables."""
    if list(one.chosen[["site_id", "mode"]].itertuples(index=False)) != list(
        other.chosen[["site_id", "mode"]].itertuples(index=False)
    ):
        return False
    for name in ("pareto", "pareto_risk", "robustness"):
        mine, theirs = getattr(one, name), getattr(other, name)
        if (mine is None) != (theirs is None):
            return False
        if mine is not None and not (mine.equals(theirs) and mine.attrs == theirs.attrs):
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the re-plans")
    parser.add_argument("--scenario", default="zhejiang")
    args = parser.parse_args()

    print(machine())
    print(f"load average before: {load()}")
    start = time.perf_counter()
    import oicplan.plan as plan_module
    from oicplan.data.dataset import load_dataset
    from oicplan.pipeline_cache import caching
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario
    from oicplan.services.planning import PlanRequest, plan

    scenario = load_scenario(args.scenario)
    dataset = load_dataset()
    make_plan(scenario, dataset)
    print(f"first plan in the process (imports, data, caches): "
          f"{time.perf_counter() - start:.2f} s")

    def one_after_the_other(changed, cached):
        workers = plan_module.SOLVE_WORKERS
        plan_module.SOLVE_WORKERS = 0
        try:
            with caching(cached):
                return make_plan(changed, dataset)
        finally:
            plan_module.SOLVE_WORKERS = workers

    ways = {
        "before (no caches, solves one after the other)":
            lambda s: one_after_the_other(s, cached=False),
        "after, with frontiers (caches, side by side)": lambda s: make_plan(s, dataset),
        "after, without frontiers": lambda s: make_plan(s, dataset, frontiers=False),
        "caches, solves one after the other": lambda s: one_after_the_other(s, cached=True),
    }
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    service: list[float] = []
    pillars = list(scenario.weights)
    for step in range(args.rounds):
        pillar = pillars[step % len(pillars)]
        weights = {**scenario.weights, pillar: scenario.weights[pillar] * 1.1}
        changed = scenario.model_copy(update={"weights": weights})
        made = {}
        for name, way in ways.items():
            begin = time.perf_counter()
            made[name] = way(changed)
            seconds[name].append(time.perf_counter() - begin)
        old, new, quick, sequential = made.values()
        if not (same_plan(old, new) and same_plan(old, sequential)):
            raise SystemExit(f"round {step + 1}: the cached plan differs from the plain one")
        if list(quick.chosen["site_id"]) != list(new.chosen["site_id"]):
            raise SystemExit(f"round {step + 1}: the quick re-plan chose other sites")
        begin = time.perf_counter()
        plan(PlanRequest(scenario=args.scenario, weights=weights, frontiers=False))
        service.append(time.perf_counter() - begin)
        print(f"round {step + 1} ({pillar} x 1.1): "
              + ", ".join(f"{name.split(' (')[0]} {times[-1]:.2f} s"
                          for name, times in seconds.items())
              + f", service without frontiers {service[-1]:.2f} s; same plans: yes")
    print(f"\nre-plan after a weight change, {args.rounds} rounds (median, min-max):")
    for name, times in [*seconds.items(), ("service plan(PlanRequest(frontiers=False))",
                                           service)]:
        print(f"  {name:52} {statistics.median(times):6.2f} s  "
              f"({min(times):.2f}-{max(times):.2f})")
    old = statistics.median(seconds["before (no caches, solves one after the other)"])
    for name in list(seconds)[1:]:
        print(f"  speed-up of '{name}' over before: {old / statistics.median(seconds[name]):.1f}x")
    print(f"load average after: {load()}")

    weights = {**scenario.weights, pillars[0]: scenario.weights[pillars[0]] * 1.2}
    changed = scenario.model_copy(update={"weights": weights})
    profile = cProfile.Profile()
    profile.enable()
    make_plan(changed, dataset, frontiers=False)
    profile.disable()
    stats = pstats.Stats(profile)
    total = max(row[3] for row in stats.stats.values())
    found = stage_times(stats)
    print(f"\none re-plan without frontiers under cProfile: {total:.2f} s "
          "(profiling adds overhead)")
    print(f"{'stage':46} {'seconds':>8} {'calls':>6}  depends on the weights")
    for label, _, _, weighted in STAGES:
        if label in found:
            stage_seconds, calls = found[label]
            print(f"{label:46} {stage_seconds:8.2f} {calls:6d}  {'yes' if weighted else 'no'}")


if __name__ == "__main__":
    main()
