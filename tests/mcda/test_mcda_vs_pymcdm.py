"""Every kernel and normalization against pymcdm on random matrices (to 1e-9).

pymcdm is a test-only dependency; it is imported here and nowhere in ``src``.
"""

from __future__ import annotations

import numpy as np
import pytest

pymcdm = pytest.importorskip("pymcdm")
from pymcdm import methods as pm  # noqa: E402
from pymcdm import normalizations as pn  # noqa: E402
from pymcdm import weights as pw  # noqa: E402

from oicplan.mcda import (  # noqa: E402
    NORMALIZATIONS,
    SAATY_RANDOM_INDEX,
    ahp_weights,
    critic_weights,
    entropy_weights,
    equal_weights,
    rank,
    std_weights,
)

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


@pytest.mark.parametrize("v", [0.0, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("seed", SEEDS)
def test_vikor_matches_pymcdm(v, seed):
    matrix, weights, types = _problem(seed)
    expected = pm.VIKOR(v=v)(matrix, weights, types)
    got = rank(matrix, weights, types, method="vikor", v=v)
    np.testing.assert_allclose(got.scores, expected, atol=TOL, rtol=0)
    np.testing.assert_allclose(got.extras["Q"], expected, atol=TOL, rtol=0)
    assert got.ranks.tolist() == rank_min(expected, higher_is_better=False)


def rank_min(scores, higher_is_better=True):
    """Independent competition ranking (1 = best, ties share the smaller rank)."""
    s = np.asarray(scores)
    better = (s[None, :] > s[:, None]) if higher_is_better else (s[None, :] < s[:, None])
    return (1 + better.sum(axis=1)).tolist()


# pymcdm calls the V-shape-with-indifference function "vshape_2"; ours is "linear".
PROMETHEE_CASES = [
    ("usual", {}, {}),
    ("ushape", {"q": 5.0}, {"q": [5.0] * 5}),
    ("vshape", {"p": 30.0}, {"p": [30.0] * 5}),
    ("level", {"q": 5.0, "p": 30.0}, {"q": [5.0] * 5, "p": [30.0] * 5}),
    ("linear", {"q": 5.0, "p": 30.0}, {"q": [5.0] * 5, "p": [30.0] * 5}),
]


@pytest.mark.parametrize(("pref", "ours", "theirs"), PROMETHEE_CASES)
@pytest.mark.parametrize("seed", SEEDS)
def test_promethee2_matches_pymcdm(pref, ours, theirs, seed):
    matrix, weights, types = _problem(seed)
    name = "vshape_2" if pref == "linear" else pref
    # pymcdm keeps its preference functions in a one-shot generator: one
    # object per call.
    expected = pm.PROMETHEE_II(name, **theirs)(matrix, weights, types)
    explained = pm.PROMETHEE_II(name, **theirs)._method(matrix, weights, types)
    got = rank(matrix, weights, types, method="promethee2", preference=pref, **ours)
    np.testing.assert_allclose(got.scores, expected, atol=TOL, rtol=0)
    np.testing.assert_allclose(got.extras["positive_flow"], explained[-3], atol=TOL, rtol=0)
    np.testing.assert_allclose(got.extras["negative_flow"], explained[-2], atol=TOL, rtol=0)
    assert got.ranks.tolist() == rank_min(expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_promethee2_per_criterion_thresholds_match_pymcdm(seed):
    matrix, weights, types = _problem(seed)
    q = np.linspace(1, 9, 5)
    p = q + np.linspace(10, 40, 5)
    expected = pm.PROMETHEE_II("vshape_2", q=q, p=p)(matrix, weights, types)
    got = rank(matrix, weights, types, method="promethee2", preference="linear", q=q, p=p)
    np.testing.assert_allclose(got.scores, expected, atol=TOL, rtol=0)


def test_promethee2_gaussian_matches_definition():
    """pymcdm has no Gaussian criterion; check against a direct double loop."""
    matrix, weights, types = _problem(3, m=7, n=4)
    s = np.array([5.0, 10.0, 20.0, 40.0])
    got = rank(matrix, weights, types, method="promethee2", preference="gaussian", s=s)
    f = np.where(types == 1, matrix, -matrix)
    m = len(f)
    pi = np.zeros((m, m))
    for a in range(m):
        for b in range(m):
            for j in range(f.shape[1]):
                d = f[a, j] - f[b, j]
                pi[a, b] += weights[j] * (1 - np.exp(-(d**2) / (2 * s[j] ** 2)) if d > 0 else 0.0)
    plus, minus = pi.sum(axis=1) / (m - 1), pi.sum(axis=0) / (m - 1)
    np.testing.assert_allclose(got.extras["positive_flow"], plus, atol=TOL)
    np.testing.assert_allclose(got.extras["negative_flow"], minus, atol=TOL)
    np.testing.assert_allclose(got.scores, plus - minus, atol=TOL)


# ---------------------------------------------------------------- weights


@pytest.mark.parametrize("seed", SEEDS)
def test_entropy_matches_pymcdm(seed):
    matrix, _, types = _problem(seed)
    np.testing.assert_allclose(
        entropy_weights(matrix, types), pw.entropy_weights(matrix), atol=TOL, rtol=0
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_critic_matches_pymcdm(seed):
    matrix, _, types = _problem(seed)
    # pymcdm normalizes every column as a benefit; a cost column is the same as
    # a benefit column of -x, which is what we hand it.
    flipped = np.where(types == 1, matrix, -matrix)
    np.testing.assert_allclose(
        critic_weights(matrix, types), pw.critic_weights(flipped), atol=TOL, rtol=0
    )
    np.testing.assert_allclose(
        critic_weights(matrix, ["max"] * 5), pw.critic_weights(matrix), atol=TOL, rtol=0
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_std_matches_pymcdm(seed):
    matrix, _, types = _problem(seed)
    np.testing.assert_allclose(
        std_weights(matrix, types, normalization="none"),
        pw.standard_deviation_weights(matrix), atol=TOL, rtol=0,
    )
    normalized = NORMALIZATIONS["minmax"](matrix, types)
    np.testing.assert_allclose(
        std_weights(matrix, types), pw.standard_deviation_weights(normalized), atol=TOL, rtol=0
    )


def test_equal_matches_pymcdm():
    matrix, _, _ = _problem(0)
    np.testing.assert_allclose(equal_weights(5), pw.equal_weights(matrix), atol=TOL)


def _saaty_matrix(rng, n):
    scale = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7,
                      1 / 8, 1 / 9])
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = rng.choice(scale)
            a[j, i] = 1 / a[i, j]
    return a


@pytest.mark.parametrize("n", [3, 4, 5, 7, 9])
@pytest.mark.parametrize("seed", range(5))
def test_ahp_matches_pymcdm(n, seed):
    from pymcdm.weights.subjective import AHP

    a = _saaty_matrix(np.random.default_rng(seed), n)
    ref = AHP(matrix=a)
    ours = ahp_weights(a, warn=False)
    np.testing.assert_allclose(ours.weights, ref(), atol=TOL, rtol=0)
    # pymcdm divides the same CI by a different random-index table
    # (Tummala & Ling, 1998), so compare CI rather than CR.
    ci_ref = ref.get_cr() * AHP.RI_M[n - 1]
    assert ours.ci == pytest.approx(ci_ref, abs=TOL)
    assert ours.cr == pytest.approx(ours.ci / SAATY_RANDOM_INDEX[n], abs=1e-12)
