"""Every kernel and normalization against pymcdm on random matrices (to 1e-9).

pymcdm is a test-only dependency; it is imported here and nowhere in ``src``.
"""

from __future__ import annotations

import numpy as np
import pytest

pymcdm = pytest.importorskip("pymcdm")
from pymcdm import methods as pm  # noqa: E402
from pymcdm import normalizations as pn  # noqa: E402

from oicplan.mcda import NORMALIZATIONS, rank  # noqa: E402

TOL = 1e-9
SEEDS = range(8)

PYMCDM_NORMALIZATION = {
    "minmax": pn.minmax_normalization,
    "vector": pn.vector_normalization,
    "sum": pn.sum_normalization,
    "max": pn.max_normalization,
}


def _problem(seed: int, m: int = 12, n: int = 5):
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1.0, 100.0, size=(m, n))
    weights = rng.dirichlet(np.ones(n))
    types = rng.choice([1, -1], size=n)
    types[0] = 1
    types[-1] = -1  # always one of each
    return matrix, weights, types


def _pymcdm_normalized(matrix, types, name):
    f = PYMCDM_NORMALIZATION[name]
    return np.column_stack(
        [f(matrix[:, j], cost=types[j] == -1) for j in range(matrix.shape[1])]
    )


@pytest.mark.parametrize("name", sorted(PYMCDM_NORMALIZATION))
@pytest.mark.parametrize("seed", SEEDS)
def test_normalizations_match_pymcdm(name, seed):
    matrix, _, types = _problem(seed)
    ours = NORMALIZATIONS[name](matrix, types)
    np.testing.assert_allclose(ours, _pymcdm_normalized(matrix, types, name), atol=TOL, rtol=0)


@pytest.mark.parametrize("norm", ["vector", "minmax", "max", "sum"])
@pytest.mark.parametrize("seed", SEEDS)
def test_topsis_matches_pymcdm(norm, seed):
    matrix, weights, types = _problem(seed)
    expected = pm.TOPSIS(PYMCDM_NORMALIZATION[norm])(matrix, weights, types)
    got = rank(matrix, weights, types, method="topsis", normalization=norm)
    np.testing.assert_allclose(got.scores, expected, atol=TOL, rtol=0)
    np.testing.assert_array_equal(got.ranks, pm.TOPSIS().rank(expected).astype(int))


@pytest.mark.parametrize("norm", ["minmax", "vector", "sum", "max"])
@pytest.mark.parametrize("seed", SEEDS)
def test_wsm_matches_pymcdm(norm, seed):
    matrix, weights, types = _problem(seed)
    expected = pm.WSM(PYMCDM_NORMALIZATION[norm])(matrix, weights, types)
    got = rank(matrix, weights, types, method="wsm", normalization=norm)
    np.testing.assert_allclose(got.scores, expected, atol=TOL, rtol=0)


@pytest.mark.parametrize("seed", SEEDS)
def test_wpm_matches_pymcdm(seed):
    matrix, weights, types = _problem(seed)
    expected = pm.WPM(pn.sum_normalization)(matrix, weights, types)
    got = rank(matrix, weights, types, method="wpm")
    assert got.normalization == "sum"
    np.testing.assert_allclose(got.scores, expected, atol=TOL, rtol=1e-9)


def test_default_normalizations():
    matrix, weights, types = _problem(0)
    assert rank(matrix, weights, types, method="topsis").normalization == "vector"
    assert rank(matrix, weights, types, method="wsm").normalization == "minmax"
