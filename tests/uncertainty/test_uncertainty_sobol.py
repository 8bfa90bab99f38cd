"""Vectorized Sobol' indices equal SALib's per-output analysis."""

import warnings

import numpy as np
import pytest
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample

from oicplan.errors import InputError
from oicplan.uncertainty import saltelli_indices, sobol_analysis


def _salib(problem, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return salib_analyze.analyze(problem, y, calc_second_order=False, **kw)


@pytest.mark.parametrize(
    "options",
    [
        {"method": "topsis"},
        {"method": "wsm", "normalizations": ["minmax", "max", "vector"]},
        {"method": "vikor", "dirichlet": True, "concentration": 20.0},
        {"method": "promethee2", "two_matrices": True},
    ],
)
def test_sobol_equals_salib_per_site(options, small_problem):
    matrix, weights, types = small_problem
    options = dict(options)
    if options.pop("two_matrices", False):
        matrix = {"a": matrix, "b": matrix * np.linspace(0.8, 1.2, matrix.shape[1])}
    res = sobol_analysis(matrix, weights, types, samples=64, spread=0.4, seed=3,
                         num_resamples=20, keep_outputs=True, **options)
    assert res.X.shape == (64 * (len(res.inputs) + 2), len(res.inputs))
    pairs = [
        (res.scores, res.first_order, res.total_order, "first_order", "total_order"),
        (res.ranks, res.rank_first_order, res.rank_total_order,
         "rank_first_order", "rank_total_order"),
    ]
    for y, s1, st, c1, ct in pairs:
        for i in range(y.shape[1]):
            ref = _salib(res.problem, y[:, i].astype(float), num_resamples=20, seed=3)
            assert np.allclose(ref["S1"], s1[i], rtol=0, atol=1e-10)
            assert np.allclose(ref["ST"], st[i], rtol=0, atol=1e-10)
            assert np.allclose(ref["S1_conf"], res.conf[c1][i], rtol=0, atol=1e-10)
            assert np.allclose(ref["ST_conf"], res.conf[ct][i], rtol=0, atol=1e-10)


def test_saltelli_indices_constant_and_ishigami_like_outputs():
    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[-np.pi, np.pi]] * 3}
    x = salib_sample.sample(problem, 256, calc_second_order=False, seed=1)
    y = np.column_stack([
        np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0]),
        np.full(len(x), 4.0),
        x[:, 1] * x[:, 2],
    ])
    got = saltelli_indices(y, 3)
    for i in range(3):
        ref = _salib(problem, y[:, i], num_resamples=10)
        assert np.allclose(ref["S1"], got["S1"][i], atol=1e-10)
        assert np.allclose(ref["ST"], got["ST"][i], atol=1e-10)
    assert np.all(got["S1"][1] == 0)
    one = saltelli_indices(y[:, 0], 3)
    assert one["S1"].shape == (3,)
    with pytest.raises(ValueError, match="multiple"):
        saltelli_indices(y[:-1], 3)


def test_sobol_bad_input(small_problem):
    matrix, weights, types = small_problem
    with pytest.raises(InputError, match="power of two"):
        sobol_analysis(matrix, weights, types, samples=100)
    with pytest.raises(InputError, match="nothing is uncertain"):
        sobol_analysis(matrix, weights, types, samples=64, spread=0.0)
