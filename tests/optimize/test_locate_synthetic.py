"""Small instances whose optima are checked by brute-force enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from oicplan.optimize import (
    EARTH_RADIUS_KM,
    LSCP,
    MCLP,
    PCenter,
    PDispersion,
    PMedian,
    haversine_km,
)

SEEDS = range(12)


def _instance(seed: int, n: int = 6, m: int = 4):
    rng = np.random.default_rng(seed)
    # Small integer costs make ties likely, which the models must handle.
    d = rng.integers(0, 12, (n, m)).astype(float)
    w = rng.integers(1, 5, n).astype(float)
    return rng, d, w


def _subsets(m: int, p: int, forced=()):
    for c in itertools.combinations(range(m), p):
        if set(forced) <= set(c):
            yield list(c)


def test_pmedian_four_by_three():
    costs = [[1, 4, 6], [3, 2, 5], [7, 3, 1], [6, 5, 2]]
    m = PMedian.from_cost_matrix(costs, p=2).solve()
    assert m.status == "optimal"
    assert m.objective == 7.0
    assert m.facilities == [0, 2]
    assert m.assignment == {0: 0, 1: 0, 2: 2, 3: 2}
    assert m.gap is None and m.solve_seconds >= 0


@pytest.mark.parametrize("seed", SEEDS)
def test_pmedian_matches_enumeration(seed):
    rng, d, w = _instance(seed)
    p = int(rng.integers(1, 5))
    forced = [int(rng.integers(0, 4))] if seed % 3 == 0 else []
    best = min(w @ d[:, c].min(axis=1) for c in _subsets(4, p, forced))
    m = PMedian.from_cost_matrix(d, w, p=p, predefined=forced).solve()
    assert m.status == "optimal"
    assert m.objective == pytest.approx(best)
    assert len(m.facilities) == p and set(forced) <= set(m.facilities)
    # The assignment is consistent with the objective.
    assert sum(w[i] * d[i, j] for i, j in m.assignment.items()) == pytest.approx(best)


def _capacitated_brute(d, w, cap, p):
    n, m = d.shape
    best = np.inf
    for c in _subsets(m, p):
        for assign in itertools.product(c, repeat=n):
            load = np.zeros(m)
            np.add.at(load, list(assign), w)
            if (load <= cap + 1e-9).all():
                best = min(best, sum(w[i] * d[i, assign[i]] for i in range(n)))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_capacitated_pmedian_matches_enumeration(seed):
    rng, d, w = _instance(seed, n=5, m=3)
    cap = rng.integers(4, 12, 3).astype(float)
    p = 2
    best = _capacitated_brute(d, w, cap, p)
    if not np.isfinite(best):
        pytest.skip("instance infeasible by construction")
    m = PMedian.from_cost_matrix(d, w, p=p, capacities=cap).solve()
    assert m.objective == pytest.approx(best)
    load = {f: 0.0 for f in m.facilities}
    for i, j in m.assignment.items():
        load[j] += w[i]
    assert all(load[j] <= cap[j] + 1e-9 for j in load)


@pytest.mark.parametrize("seed", SEEDS)
def test_mclp_matches_enumeration(seed):
    rng, d, w = _instance(seed)
    p, r = int(rng.integers(1, 4)), float(rng.integers(2, 7))
    if not (d <= r).any():
        pytest.skip("radius covers nothing")
    best = max(w[(d[:, c] <= r).any(axis=1)].sum() for c in _subsets(4, p))
    m = MCLP.from_cost_matrix(d, w, p=p, radius=r).solve()
    assert m.covered_weight == pytest.approx(best) == m.objective
    covered = set(m.assignment)
    assert covered.isdisjoint(m.uncovered)
    assert covered | set(m.uncovered) == set(range(6))
    assert all(d[i, j] <= r for i, j in m.assignment.items())


@pytest.mark.parametrize("seed", SEEDS)
def test_lscp_matches_enumeration(seed):
    rng, d, _ = _instance(seed)
    r = float(d.min(axis=1).max() + rng.integers(0, 4))
    best = min(
        k for k in range(1, 5) for c in _subsets(4, k) if (d[:, c] <= r).any(axis=1).all()
    )
    m = LSCP.from_cost_matrix(d, radius=r).solve()
    assert m.objective == best == len(m.facilities)
    assert all(d[i, j] <= r for i, j in m.assignment.items())


@pytest.mark.parametrize("seed", SEEDS)
def test_pcenter_matches_enumeration(seed):
    rng, d, w = _instance(seed)
    p = int(rng.integers(1, 4))
    best = min((w[:, None] * d)[:, c].min(axis=1).max() for c in _subsets(4, p))
    m = PCenter.from_cost_matrix(d, w, p=p).solve()
    assert m.objective == pytest.approx(best)


@pytest.mark.parametrize("seed", range(6))
def test_pdispersion_matches_enumeration(seed):
    rng = np.random.default_rng(seed)
    pts = rng.random((7, 2))
    d = np.round(np.linalg.norm(pts[:, None] - pts[None], axis=2) * 100)
    p = 3
    def spread(c):
        return min(d[a, b] for a, b in itertools.combinations(c, 2))
    best = max(spread(c) for c in _subsets(7, p))
    m = PDispersion.from_cost_matrix(d, p=p).solve()
    assert m.objective == pytest.approx(best) == spread(m.facilities)
    assert m.assignment == {}


def test_predefined_facility_is_kept_even_when_costly():
    costs = [[1, 9], [1, 9]]
    m = PMedian.from_cost_matrix(costs, p=1, predefined=[1]).solve()
    assert m.facilities == [1] and m.objective == 18.0
    m = LSCP.from_cost_matrix(costs, radius=2, predefined=[1]).solve()
    assert m.facilities == [0, 1]


def test_ids_from_dataframe_and_weight_mapping():
    import pandas as pd

    frame = pd.DataFrame([[1, 5], [5, 1], [2, 6]], index=["a", "b", "c"], columns=["X", "Y"])
    m = PMedian.from_cost_matrix(frame, {"a": 1, "b": 10, "c": 1}, p=1).solve()
    assert m.facilities == ["Y"]
    assert m.assignment == {"a": "Y", "b": "Y", "c": "Y"}


def test_haversine_known_distance_and_from_sites():
    # One degree of longitude on the equator is R * pi / 180.
    assert haversine_km([[0, 0]], [[0, 1]])[0, 0] == pytest.approx(EARTH_RADIUS_KM * np.pi / 180)
    demand = [[30.27, 120.15], [31.23, 121.47], [1.35, 103.82], [13.75, 100.50]]
    sites = [[30.0, 120.0], [1.3, 103.8], [48.85, 2.35]]
    a = PMedian.from_sites(demand, sites, p=2, facility_ids=["HZ", "SG", "PA"]).solve()
    b = PMedian.from_cost_matrix(haversine_km(demand, sites), p=2,
                                 facility_ids=["HZ", "SG", "PA"]).solve()
    assert a.facilities == b.facilities == ["HZ", "SG"]
    assert a.objective == pytest.approx(b.objective)
