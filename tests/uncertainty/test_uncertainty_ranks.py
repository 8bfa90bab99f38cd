"""The packed-sort ranking equals the per-row ranking it replaced, bit for bit."""

import numpy as np
import pytest

import oicplan.uncertainty.montecarlo as mc
from oicplan.mcda import rank_scores, topsis_kernel
from oicplan.uncertainty import monte_carlo, prepare
from oicplan.uncertainty import ranks as R


def _legacy(scores, higher):
    """The implementation before the packed sort: pairs up to 64, else sort + searchsorted."""
    return R._ranks_legacy(R._keys(scores, higher))


def _scores_with_ties(rng, k, m, kind):
    if kind == "uniform":
        s = rng.uniform(size=(k, m))
    elif kind == "few values":  # many exact ties
        s = rng.integers(0, 4, size=(k, m)).astype(float) * rng.choice([1.0, -1.0, 1e-13])
    elif kind == "copied columns":  # ties, and near-ties that round (or not) to a tie
        s = rng.uniform(size=(k, m))
        half = m // 2
        s[:, :half] = s[:, m - half :]
        s += rng.choice([0.0, 1e-13, 4e-13, 6e-13], size=s.shape)
    elif kind == "near collisions":  # distinct after rounding, closer than the packing step
        s = 1e6 + rng.integers(0, 1000, size=(k, m)) * 1e-9
    else:  # signed zeros and infinities
        s = rng.normal(size=(k, m))
        special = rng.uniform(size=s.shape) < 0.05
        s[special] = rng.choice([np.inf, -np.inf, 0.0, -0.0, 1e-13, -1e-13], size=special.sum())
    return s


KINDS = ["uniform", "few values", "copied columns", "near collisions", "specials"]


@pytest.mark.parametrize("m", [1, 2, 3, 10, 64, 65, 250, 300])
@pytest.mark.parametrize("kind", KINDS)
def test_new_ranks_equal_rank_scores_and_old_ranking(m, kind):
    rng = np.random.default_rng(m * 31 + KINDS.index(kind))
    scores = _scores_with_ties(rng, 97, m, kind)
    for higher in (True, False):
        got = R.competition_ranks(scores, higher)
        assert got.dtype == np.int32
        assert np.array_equal(got, _legacy(scores, higher))
        assert np.array_equal(got, np.stack([rank_scores(row, higher) for row in scores]))
        assert np.array_equal(R.rank_histogram(scores, higher), R.rank_counts(got, m))


def test_forced_ties_go_through_the_exact_path_and_agree():
    rng = np.random.default_rng(5)
    scores = rng.uniform(size=(200, 250))
    scores[::3, 10] = scores[::3, 20]  # a tie in every third row
    key = R._keys(scores, True)
    _, suspect, nan = R._packed_sort(key, R._Workspace(*key.shape))
    assert suspect[::3].all() and not nan.any()
    assert suspect.sum() < 200
    ranks = R.competition_ranks(scores)
    assert np.array_equal(ranks[::3, 10], ranks[::3, 20])
    assert np.array_equal(ranks, np.stack([rank_scores(row) for row in scores]))


def test_nan_rows_keep_the_old_ranks():
    rng = np.random.default_rng(2)
    for m in (8, 120):
        scores = rng.uniform(-1, 1, size=(40, m))
        scores[rng.uniform(size=scores.shape) < 0.03] = np.nan
        for higher in (True, False):
            old = _legacy(scores, higher)
            assert np.array_equal(R.competition_ranks(scores, higher), old)
            assert np.array_equal(R.rank_histogram(scores, higher), R.rank_counts(old, m))


def test_blocks_of_rows_do_not_change_the_result(monkeypatch):
    rng = np.random.default_rng(9)
    scores = _scores_with_ties(rng, 301, 70, "copied columns")
    whole = R.competition_ranks(scores), R.rank_histogram(scores)
    monkeypatch.setattr(R, "_SORT_BLOCK_ELEMENTS", 500)  # blocks of 7 rows
    assert np.array_equal(R.competition_ranks(scores), whole[0])
    assert np.array_equal(R.rank_histogram(scores), whole[1])
    assert np.array_equal(whole[0], _legacy(scores, True))


@pytest.mark.parametrize("block", [1 << 18, 700])
def test_blocked_topsis_equals_the_kernel_bit_for_bit(monkeypatch, block):
    monkeypatch.setattr(mc, "_TOPSIS_BLOCK_ELEMENTS", block)
    rng = np.random.default_rng(4)
    nmatrix = rng.uniform(size=(60, 9))
    weights = rng.dirichlet(np.ones(9), size=1000)
    got = mc._topsis_blocked(nmatrix, weights)
    assert np.array_equal(got.view(np.int64), topsis_kernel(nmatrix, weights).view(np.int64))
    # constant columns and zero weights: both distances 0 -> 0.5
    flat = np.ones((5, 3))
    w = np.array([[0.2, 0.3, 0.5], [0.0, 0.0, 1.0]])
    assert np.array_equal(mc._topsis_blocked(flat, w), topsis_kernel(flat, w))
    assert (mc._topsis_blocked(flat, w) == 0.5).all()


def test_threads_and_blas_settings_do_not_change_the_run(monkeypatch, small_problem):
    matrix, weights, types = small_problem
    setup = prepare(matrix, weights, types, "topsis", normalizations=["vector", "minmax"])
    kw = dict(samples=4000, seed=8, chunk_size=700, top_k=3)
    threaded = monte_carlo(setup, **kw)
    monkeypatch.setattr(mc, "MAX_LOCAL_THREADS", 1)
    serial = monte_carlo(setup, **kw)
    kept = monte_carlo(setup, keep_samples=True, **kw)
    assert np.array_equal(threaded.rank_counts, serial.rank_counts)
    assert np.array_equal(threaded.rank_counts, kept.rank_counts)
    assert np.array_equal(kept.ranks, setup.ranks(kept.weights, kept.normalization_choice))
