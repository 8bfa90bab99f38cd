"""Re-ranking 250 sites after one weight change: oicplan.mcda.rank vs pymcdm, same run.

Run by hand: ``.venv/bin/python benchmarks/rerank.py``. The issue's target is under
5 ms in process (interactive use). Both tools get the same random 250 x 40 matrix
(uniform 1..100, every third criterion a cost); the weights change by one step per
call, as when a planner moves a slider. Prints the median of 200 calls each.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from pymcdm.methods import TOPSIS

from oicplan.mcda import rank, topsis_kernel
from oicplan.mcda.normalization import vector_normalization

SITES, CRITERIA, CALLS = 250, 40, 200


def _median_ms(function, weights_list) -> float:
    times = []
    for weights in weights_list:
        start = time.perf_counter()
        function(weights)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    rng = np.random.default_rng(1)
    matrix = rng.uniform(1, 100, (SITES, CRITERIA))
    types = np.where(np.arange(CRITERIA) % 3 == 2, -1, 1)
    base = rng.dirichlet(np.ones(CRITERIA))
    weights_list = []
    for step in range(CALLS):
        weights = base.copy()
        weights[step % CRITERIA] *= 1.1
        weights_list.append(weights / weights.sum())
    names = ["max" if t > 0 else "min" for t in types]
    normalized = vector_normalization(matrix, types)
    pymcdm_topsis = TOPSIS()
    validated = _median_ms(lambda w: rank(matrix, w, names, "topsis"), weights_list)
    kernel = _median_ms(lambda w: topsis_kernel(normalized, w), weights_list)
    peer = _median_ms(lambda w: pymcdm_topsis(matrix, w, types), weights_list)
    print(f"re-rank {SITES} x {CRITERIA}, median of {CALLS} calls")
    print(f"  oicplan.mcda.rank (validates, normalizes, ranks): {validated:.3f} ms")
    print(f"  oicplan topsis_kernel on the normalized matrix:  {kernel:.3f} ms")
    print(f"  pymcdm TOPSIS:                                   {peer:.3f} ms")
    print(f"  ratio pymcdm / rank: {peer / validated:.1f}x; target: rank under 5 ms")


if __name__ == "__main__":
    main()
