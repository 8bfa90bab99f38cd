"""Speed of two vectorized kernels against their one-at-a-time references, in the same run.

These timings were assertions in the tests until issue 11 (a test should fail on
behaviour, not on a busy machine); the tests now check that the results are equal.

1. ``finance.site_mode_costs(ds)``: every candidate site in every mode, column-wise,
   against ``finance.estimate_cost`` called once per site and mode (the model the
   table must equal, as ``tests/finance/test_site_costs.py`` builds it). The target
   that the test used to assert: the whole table under 2 s.
2. ``mcda.rank`` with a stack of weight vectors (TOPSIS, 250 alternatives x 40
   criteria) against ``mcda.rank`` called once per vector. The old test asserted
   100,000 vectors under 30 s.

Both sides run in this process, one thread of BLAS each (threadpoolctl), so wall
and CPU time compare like for like; the reference is timed whole unless
``--loop-vectors`` is smaller than ``--vectors``, and then the printout says
"extrapolated" next to its figure. Run by hand:
``.venv/bin/python benchmarks/vectorized.py [--vectors 100000] [--loop-vectors N]``.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def site_costs() -> None:
    from oicplan.data.dataset import load_dataset
    from oicplan.finance.assumptions import default_assumptions
    from oicplan.finance.estimate import estimate_cost
    from oicplan.finance.prices import economy_factors
    from oicplan.finance.site_costs import site_mode_costs

    ds = load_dataset()
    site_mode_costs(ds, ["ESP-madrid"])  # the dataset's tables, loaded once for both sides
    table, wall, cpu = _timed(lambda: site_mode_costs(ds))
    a = default_assumptions()

    def one_by_one() -> int:
        factors: dict = {}
        count = 0
        for record in ds.sites[["site_id", "iso3", "name"]].to_dict("records"):
            if record["iso3"] not in factors:
                factors[record["iso3"]] = economy_factors(ds, record["iso3"], a)
            for mode in a.modes:
                estimate_cost(ds, record, mode, _factors=factors[record["iso3"]])
                count += 1
        return count

    count, ref_wall, ref_cpu = _timed(one_by_one)
    assert count == len(table)
    print(
        f"site_mode_costs, {len(ds.sites)} sites x {len(a.modes)} modes: "
        f"{wall:.2f} s wall, {cpu:.2f} s CPU (target < 2 s); estimate_cost one by one, "
        f"timed whole: {ref_wall:.2f} s wall, {ref_cpu:.2f} s CPU -> "
        f"{ref_wall / wall:.1f}x wall, {ref_cpu / cpu:.1f}x CPU"
    )


def stacked_rank(vectors: int, loop_vectors: int) -> None:
    from oicplan.mcda import rank

    rng = np.random.default_rng(0)
    matrix = rng.uniform(1, 100, size=(250, 40))
    weights = rng.dirichlet(np.ones(40), size=vectors)
    types = ["max"] * 40
    _, wall, cpu = _timed(lambda: rank(matrix, weights, types, method="topsis"))
    loop = min(loop_vectors, vectors)
    _, ref_wall, ref_cpu = _timed(
        lambda: [rank(matrix, w, types, method="topsis") for w in weights[:loop]]
    )
    scale = vectors / loop
    label = "timed whole" if loop == vectors else f"extrapolated from {loop:,} vectors"
    print(
        f"rank(TOPSIS), {vectors:,} weight vectors x 250 x 40 stacked: {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU (target < 30 s); one vector at a time ({label}): "
        f"{ref_wall * scale:.1f} s wall, {ref_cpu * scale:.1f} s CPU -> "
        f"{ref_wall * scale / wall:.0f}x wall, {ref_cpu * scale / cpu:.0f}x CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument(
        "--loop-vectors",
        type=int,
        default=100_000,
        help="vectors the one-at-a-time loop runs (fewer: extrapolated)",
    )
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    print(f"nproc {os.cpu_count()}, load average {os.getloadavg()}, BLAS 1 thread")
    with threadpool_limits(limits=1, user_api="blas"):
        site_costs()
        stacked_rank(args.vectors, args.loop_vectors)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
