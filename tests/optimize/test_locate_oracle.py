"""Objective values compared with spopt (solved by CBC through PuLP) on random instances."""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.optimize import LSCP, MCLP, PCenter, PDispersion, PMedian

spopt_locate = pytest.importorskip("spopt.locate")
pulp = pytest.importorskip("pulp")

# PuLP 3 warns about its own API on every variable spopt creates.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SEEDS = [11, 22, 33]


def _cbc():
    return pulp.PULP_CBC_CMD(msg=False)


def _instance(seed: int, n: int = 30, m: int = 10):
    rng = np.random.default_rng(seed)
    demand, sites = rng.random((n, 2)) * 100, rng.random((m, 2)) * 100
    d = np.linalg.norm(demand[:, None] - sites[None], axis=2)
    return rng, d, rng.integers(1, 10, n).astype(float)


def _spopt_objective(model):
    model.solve(_cbc())
    return float(pulp.value(model.problem.objective))


@pytest.mark.parametrize("seed", SEEDS)
def test_pmedian_vs_spopt(seed):
    _, d, w = _instance(seed)
    ours = PMedian.from_cost_matrix(d, w, p=3, predefined=[seed % 10]).solve()
    pre = np.zeros(10, int)
    pre[seed % 10] = 1
    theirs = spopt_locate.PMedian.from_cost_matrix(d, w, p_facilities=3,
                                                   predefined_facilities_arr=pre)
    assert ours.objective == pytest.approx(_spopt_objective(theirs), rel=1e-6)


def test_capacitated_pmedian_vs_spopt():
    _, d, w = _instance(5, n=20, m=6)
    cap = np.full(6, w.sum() / 2.5)
    ours = PMedian.from_cost_matrix(d, w, p=3, capacities=cap).solve()
    theirs = spopt_locate.PMedian.from_cost_matrix(d, w, p_facilities=3,
                                                   facility_capacities=cap)
    assert ours.objective == pytest.approx(_spopt_objective(theirs), rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_mclp_vs_spopt(seed):
    _, d, w = _instance(seed)
    ours = MCLP.from_cost_matrix(d, w, p=3, radius=25).solve()
    theirs = spopt_locate.MCLP.from_cost_matrix(d, w, service_radius=25, p_facilities=3)
    assert ours.covered_weight == pytest.approx(_spopt_objective(theirs), rel=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_lscp_vs_spopt(seed):
    _, d, _ = _instance(seed)
    r = float(d.min(axis=1).max()) + 5
    ours = LSCP.from_cost_matrix(d, radius=r).solve()
    theirs = spopt_locate.LSCP.from_cost_matrix(d, service_radius=r)
    assert ours.objective == pytest.approx(_spopt_objective(theirs))


@pytest.mark.parametrize("seed", SEEDS)
def test_pcenter_vs_spopt(seed):
    _, d, _ = _instance(seed)
    ours = PCenter.from_cost_matrix(d, p=3).solve()
    theirs = spopt_locate.PCenter.from_cost_matrix(d, p_facilities=3)
    assert ours.objective == pytest.approx(_spopt_objective(theirs), rel=1e-6)


def test_pdispersion_vs_spopt():
    rng = np.random.default_rng(7)
    pts = rng.random((12, 2)) * 100
    d = np.linalg.norm(pts[:, None] - pts[None], axis=2)
    ours = PDispersion.from_cost_matrix(d, p=4).solve()
    theirs = spopt_locate.PDispersion.from_cost_matrix(d, p_facilities=4)
    assert ours.objective == pytest.approx(_spopt_objective(theirs), rel=1e-6)
