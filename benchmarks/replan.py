"""Re-planning after a weight change in a running process (what the web app will do).

Run by hand: ``.venv/bin/python benchmarks/replan.py [--changes 3]``. The issue's target
is at most 1 s. One process plans the ``zhejiang`` scenario once (cold: imports, data,
graph cache), then again ``--changes`` times, each time with one pillar weight raised by
10 % (``scenario.weights``, nothing else changed), and prints the wall time of each
re-plan. One more re-plan runs under cProfile and is broken down into the stages of
:func:`oicplan.plan.make_plan`, each marked by whether its result depends on the weights
(a stage that does not could be cached between re-plans, keyed by the dataset version
and the scenario parts it reads).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time

# (label, file the function is in, function name, does its result depend on the weights?)
STAGES = [
    ("scenario view of the dataset", "ranking.py", "scenario_dataset", False),
    ("check_selection", "plan.py", "check_selection", False),
    ("candidate sites", "ranking.py", "candidate_sites", False),
    ("match matrix (industries x sites)", "matrix.py", "match_matrix", False),
    ("indicator build (score_sites)", "sites.py", "score_sites", False),
    ("MCDA ranking", "ranking.py", "rank_sites", True),
    ("  Monte Carlo rank intervals", "montecarlo.py", "monte_carlo", True),
    ("  Sobol indices", "sobol.py", "sobol_analysis", True),
    ("eligible strategies", "domain.py", "eligible_strategies", False),
    ("served enterprises (selection.enterprises)", "plan.py", "served_enterprises", False),
    ("layout model build (from_ranking)", "layout_scenario.py", "from_ranking", True),
    ("  cost model (site_mode_costs)", "site_costs.py", "site_mode_costs", False),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=3, help="timed re-plans")
    parser.add_argument("--scenario", default="zhejiang")
    args = parser.parse_args()

    start = time.perf_counter()
    from oicplan.data.dataset import load_dataset
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    dataset = load_dataset()
    first = make_plan(scenario, dataset)
    print(f"first plan in the process (imports, data, caches): "
          f"{time.perf_counter() - start:.2f} s")

    pillars = list(scenario.weights)
    chosen: list[float] = []
    for step in range(args.changes + 1):
        pillar = pillars[step % len(pillars)]
        weights = {**scenario.weights, pillar: scenario.weights[pillar] * 1.1}
        changed = scenario.model_copy(update={"weights": weights})
        if step == args.changes:
            profile = cProfile.Profile()
            profile.enable()
            make_plan(changed, dataset)
            profile.disable()
            break
        begin = time.perf_counter()
        replan = make_plan(changed, dataset)
        seconds = time.perf_counter() - begin
        chosen.append(seconds)
        print(f"re-plan {step + 1} ({pillar} x 1.1): {seconds:.2f} s, "
              f"{len(replan.chosen)} centers, "
              f"{len(set(replan.chosen['site_id']) ^ set(first.chosen['site_id']))} changed")
    print(f"median re-plan: {statistics.median(chosen):.2f} s (target <= 1 s)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    stats = pstats.Stats(profile)
    total = max(row[3] for row in stats.stats.values())
    found = stage_times(stats)
    print(f"\none re-plan under cProfile: {total:.2f} s (profiling adds overhead)")
    print(f"{'stage':46} {'seconds':>8} {'calls':>6}  depends on the weights")
    for label, _, _, weighted in STAGES:
        if label in found:
            seconds, calls = found[label]
            print(f"{label:46} {seconds:8.2f} {calls:6d}  {'yes' if weighted else 'no'}")


if __name__ == "__main__":
    main()
