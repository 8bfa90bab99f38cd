"""Stacks of weight vectors give exactly the one-at-a-time results."""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.mcda import rank

CASES = [
    ("topsis", {}),
    ("wsm", {}),
    ("wpm", {}),
    ("vikor", {"v": 0.3}),
    ("promethee2", {}),
    ("promethee2", {"preference": "linear", "q": 5.0, "p": 30.0}),
    ("promethee2", {"preference": "gaussian", "s": 20.0}),
]


@pytest.mark.parametrize(("method", "params"), CASES)
def test_stack_equals_loop(method, params):
    rng = np.random.default_rng(42)
    matrix = rng.uniform(1, 100, size=(15, 6))
    types = ["max", "min", "max", "max", "min", "max"]
    weights = rng.dirichlet(np.ones(6), size=20)
    weights[3] = [0, 0, 1, 0, 0, 0]  # a corner of the simplex
    stacked = rank(matrix, weights, types, method=method, **params)
    assert stacked.scores.shape == (20, 15)
    assert stacked.ranks.shape == (20, 15)
    for k, w in enumerate(weights):
        single = rank(matrix, w, types, method=method, **params)
        np.testing.assert_allclose(stacked.scores[k], single.scores, atol=1e-12, rtol=0)
        np.testing.assert_array_equal(stacked.ranks[k], single.ranks)
        for key, value in single.extras.items():
            if isinstance(value, np.ndarray):
                np.testing.assert_allclose(stacked.extras[key][k], value, atol=1e-12)
            else:
                assert stacked.extras[key][k] == value


def test_large_stack_equals_single_vectors():
    """A large stack (its speed against a loop: benchmarks/vectorized.py) is still exact."""
    rng = np.random.default_rng(0)
    matrix = rng.uniform(1, 100, size=(250, 40))
    weights = rng.dirichlet(np.ones(40), size=20_000)
    res = rank(matrix, weights, ["max"] * 40, method="topsis")
    assert res.scores.shape == (20_000, 250)
    for k in rng.choice(len(weights), size=5, replace=False):
        single = rank(matrix, weights[k], ["max"] * 40, method="topsis")
        np.testing.assert_allclose(res.scores[k], single.scores, atol=1e-12, rtol=0)
        np.testing.assert_array_equal(res.ranks[k], single.ranks)
