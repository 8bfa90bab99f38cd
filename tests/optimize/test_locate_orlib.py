"""OR-Library p-median instance pmed1 (Beasley 1990) against its published optimum."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import floyd_warshall

from oicplan.optimize import PMedian

DATA = Path(__file__).parent / "data"


def _read_orlib_pmed(path: Path) -> tuple[np.ndarray, int]:
    """Shortest-path cost matrix and p of an OR-Library p-median file.

    The first line holds vertices, edges and p; every further line an edge
    ``i j cost`` (1-based, undirected). If an edge appears twice the last
    cost counts, as the OR-Library description says.
    """
    numbers = np.array(path.read_text().split(), dtype=np.int64)
    n, e, p = numbers[:3]
    edges = numbers[3 : 3 + 3 * e].reshape(e, 3)
    graph = np.full((n, n), np.inf)
    for i, j, c in edges:
        graph[i - 1, j - 1] = graph[j - 1, i - 1] = c
    np.fill_diagonal(graph, 0.0)
    return floyd_warshall(graph, directed=False), int(p)


def test_pmed1_known_optimum():
    costs, p = _read_orlib_pmed(DATA / "pmed1.txt")
    assert costs.shape == (100, 100) and p == 5
    m = PMedian.from_cost_matrix(costs, p=p).solve()
    assert m.status == "optimal"
    assert m.objective == 5819
