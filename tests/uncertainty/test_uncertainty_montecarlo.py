"""Monte Carlo rank intervals: reproducibility, determinism at zero spread, ranks, errors."""

import numpy as np
import pandas as pd
import pytest

from oicplan.errors import InputError
from oicplan.mcda import METHODS, rank, rank_scores
from oicplan.uncertainty import (
    competition_ranks,
    monte_carlo,
    prepare,
    rank_counts,
    rank_percentiles,
)


@pytest.mark.parametrize("m", [2, 7, 64, 65, 150])
def test_counting_ranks_equal_rank_scores(m):
    rng = np.random.default_rng(m)
    scores = rng.integers(0, 5, size=(300, m)) / 4.0  # many ties
    scores[:, 0] += 1e-14  # a difference below the tie tolerance
    for higher in (True, False):
        assert np.array_equal(competition_ranks(scores, higher), rank_scores(scores, higher))


def test_percentiles_from_histogram_equal_numpy():
    rng = np.random.default_rng(0)
    for _ in range(50):
        m, k = int(rng.integers(2, 9)), int(rng.integers(1, 400))
        ranks = rng.integers(1, m + 1, size=(k, m))
        q = [0, 5, 17.3, 50, 95, 100]
        got = rank_percentiles(rank_counts(ranks, m), q)
        assert np.array_equal(got, np.percentile(ranks, q, axis=0).T)


def test_same_seed_same_result_and_chunking_bounded(small_problem):
    matrix, weights, types = small_problem
    kw = dict(samples=3000, spread=0.3, seed=42, chunk_size=700, keep_samples=True,
              normalizations=["vector", "minmax"])
    a = monte_carlo(matrix, weights, types, **kw)
    b = monte_carlo(matrix, weights, types, **kw)
    assert np.array_equal(a.rank_counts, b.rank_counts)
    assert np.array_equal(a.weights, b.weights)
    assert np.array_equal(a.normalization_choice, b.normalization_choice)
    c = monte_carlo(matrix, weights, types, **{**kw, "seed": 43})
    assert not np.array_equal(a.weights, c.weights)
    assert a.rank_counts.sum() == 3000 * 12


def test_summary_matches_kept_samples(small_problem):
    matrix, weights, types = small_problem
    res = monte_carlo(matrix, weights, types, method="wsm", samples=2500, spread=0.5,
                      seed=5, chunk_size=1000, keep_samples=True, top_k=3,
                      normalizations=["minmax", "max", "vector"])
    setup = prepare(matrix, weights, types, "wsm", normalizations=["minmax", "max", "vector"])
    # ranks recomputed from the returned samples, one replication at a time
    for i in range(0, 2500, 97):
        norm = setup.normalizations[res.normalization_choice[i]]
        expected = rank(matrix, res.weights[i], types, "wsm", normalization=norm).ranks
        assert np.array_equal(res.ranks[i], expected)
    assert np.array_equal(res.median_rank, np.median(res.ranks, axis=0))
    assert np.array_equal(res.rank_p5, np.percentile(res.ranks, 5, axis=0))
    assert np.array_equal(res.rank_p95, np.percentile(res.ranks, 95, axis=0))
    assert np.allclose(res.top_k_frequency, (res.ranks <= 3).mean(axis=0))
    assert np.allclose(res.weights.sum(axis=1), 1.0)
    factor = res.weights / res.base_weights  # the drawn factors, up to a common scale
    assert np.all(factor.min(axis=1) / factor.max(axis=1) >= 0.5 / 1.5 - 1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_zero_spread_gives_deterministic_rank(method, small_problem):
    matrix, weights, types = small_problem
    res = monte_carlo(matrix, weights, types, method=method, samples=50, spread=0.0, seed=1)
    expected = rank(matrix, weights, types, method).ranks
    for stat in (res.median_rank, res.rank_p5, res.rank_p95, res.base_ranks):
        assert np.array_equal(stat, expected)
    assert type(res.to_dict()["median_rank"][0]) is float


def test_dirichlet_weights_center_on_chosen(small_problem):
    matrix, weights, types = small_problem
    w = np.append(weights[:-1], 0.0)
    res = monte_carlo(matrix, w, types, dirichlet=True, concentration=400.0, samples=4000,
                      seed=2, keep_samples=True)
    assert np.all(res.weights[:, -1] == 0)
    assert np.allclose(res.weights.mean(axis=0), res.base_weights, atol=0.01)
    assert res.weight_model == "dirichlet"


def test_matrix_choices_are_drawn(small_problem):
    matrix, weights, types = small_problem
    frame = pd.DataFrame(matrix, index=[f"s{i}" for i in range(12)],
                         columns=list("abcde"))
    other = frame.copy()
    other.iloc[0] = other.iloc[0] * 3
    res = monte_carlo({"mean": frame, "median": other}, weights, types, samples=400,
                      spread=0.0, seed=9, keep_samples=True)
    assert res.matrix_names == ("mean", "median")
    assert set(res.matrix_choice.tolist()) == {0, 1}
    for name, m in (("mean", frame), ("median", other)):
        rows = res.matrix_choice == res.matrix_names.index(name)
        assert np.all(res.ranks[rows] == rank(m, weights, types).ranks)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"samples": 0}, "samples"),
        ({"spread": -0.1}, "spread"),
        ({"spread": 1.0}, "spread"),
        ({"method": "electre"}, "method"),
        ({"normalizations": ["vector", "log"]}, "normalization"),
        ({"concentration": 0.0}, "concentration"),
        ({"seed": -1}, "seed"),
        ({"top_k": 0}, "top_k"),
    ],
)
def test_bad_input(kwargs, field, small_problem):
    matrix, weights, types = small_problem
    with pytest.raises(InputError) as info:
        monte_carlo(matrix, weights, types, **kwargs)
    assert info.value.field == field


def test_mismatched_matrices_rejected(small_problem):
    matrix, weights, types = small_problem
    with pytest.raises(InputError, match="same alternatives"):
        monte_carlo({"a": matrix, "b": matrix[:-1]}, weights, types, samples=10)
