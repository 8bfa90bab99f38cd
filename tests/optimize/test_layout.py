"""Layout model: optima of small instances checked by brute-force enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from oicplan.errors import InputError
from oicplan.optimize._highs import solve_mip
from oicplan.optimize.layout import GroupRule, Layout
from tests.optimize._enumerate import layouts

SEEDS = range(8)
N_S, N_M, N_D = 5, 2, 3
COUNTRY = ["A", "A", "B", "B", "C"]


def _instance(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    match = rng.integers(0, 10, (N_D, N_S, N_M)).astype(float) / 10
    match[rng.random(match.shape) < 0.3] = 0.0  # some options cannot serve
    return {
        "match": match,
        "quality": rng.integers(0, 6, (N_S, N_M)).astype(float) / 10,
        "priority": rng.integers(1, 4, N_D).astype(float),
        "setup_cost": rng.integers(1, 6, (N_S, N_M)).astype(float),
        "annual_cost": rng.integers(0, 3, (N_S, N_M)).astype(float),
        "risk": rng.integers(0, 10, N_S).astype(float) / 10,
        "size": rng.integers(1, 3, N_D).astype(float),
    }


def _assignment_value(inst, layout, kw, quality_w):
    """Best demand benefit of a layout {site: (mode, year)} by enumeration."""
    match, w = inst["match"], inst["priority"]
    open_opts = [(s, m) for s, (m, _) in layout.items()]
    cap = kw.get("capacity")
    if cap is None:
        total = 0.0
        for d in range(N_D):
            vals = [match[d, s, m] for s, m in open_opts if match[d, s, m] > 0]
            total += w[d] * max(vals, default=0.0)
        return total
    best = -1.0
    choices = [[None] + [o for o in open_opts if match[d][o] > 0] for d in range(N_D)]
    for pick in itertools.product(*choices):
        load: dict = {}
        for d, o in enumerate(pick):
            if o is not None:
                load[o] = load.get(o, 0.0) + inst["size"][d]
        if any(load[o] > cap[o[1]] + 1e-9 for o in load):
            continue
        best = max(best, sum(w[d] * match[d][o] for d, o in enumerate(pick) if o is not None))
    return best


def _brute(inst, kw, quality_w=1.0):
    """Best objective over every layout that satisfies the constraints in ``kw``."""
    T = kw.get("horizon")
    years = [None] if T is None else list(range(1, T + 1))
    existing = kw.get("existing", {})
    best = None
    q, f, g, r = inst["quality"], inst["setup_cost"], inst["annual_cost"], inst["risk"]
    for combo in layouts(N_S, N_M, years, existing):
        layout = {s: c for s, c in enumerate(combo) if c is not None}
        k = len(layout)
        if "max_centers" in kw and k > kw["max_centers"]:
            continue
        if "min_centers" in kw and k < kw["min_centers"]:
            continue
        new = {s: c for s, c in layout.items() if s not in existing}
        if T is None:
            cost = sum(f[s, m] + g[s, m] for s, (m, _) in new.items())
        else:
            cost = sum(f[s, m] + g[s, m] * (T - t) for s, (m, t) in new.items())
        if "budget" in kw and cost > kw["budget"] + 1e-9:
            continue
        if "annual_budget" in kw:
            ok = True
            for t in years:
                spend = sum(f[s, m] for s, (m, tt) in new.items() if tt == t)
                spend += sum(g[s, m] for s, (m, tt) in new.items() if tt < t)
                ok &= spend <= kw["annual_budget"] + 1e-9
            if not ok:
                continue
        if "max_per_country" in kw:
            counts = [COUNTRY[s] for s in layout]
            if max((counts.count(c) for c in counts), default=0) > kw["max_per_country"]:
                continue
        if any(sum(1 for s in layout if s in members) < lo for members, lo in kw.get("_min", [])):
            continue
        risk = sum(r[s] for s in layout)
        if "max_total_risk" in kw and risk > kw["max_total_risk"] + 1e-9:
            continue
        if "max_mean_risk" in kw and k and risk / k > kw["max_mean_risk"] + 1e-9:
            continue
        value = _assignment_value(inst, layout, kw, quality_w)
        if value < 0:
            continue
        for s, (m, t) in layout.items():
            share = 1.0 if t is None else (T - t + 1) / T
            value += quality_w * q[s, m] * share
        if best is None or value > best + 1e-12:
            best = value
    return best


def _model(inst, kw, quality_w=1.0):
    args = {k: v for k, v in kw.items() if not k.startswith("_")}
    groups = [GroupRule(f"g{i}", list(members), min=lo) for i, (members, lo) in
              enumerate(kw.get("_min", []))]
    if "capacity" in args:
        args["capacity"] = {m: c for m, c in enumerate(args["capacity"])}
    return Layout.from_arrays(
        inst["match"], inst["quality"], priority=inst["priority"], quality_weight=quality_w,
        setup_cost=inst["setup_cost"], annual_cost=inst["annual_cost"], risk=inst["risk"],
        country=COUNTRY, demand_size=inst["size"], groups=groups, **args,
    )


CASES = {
    "count": {"max_centers": 2},
    "budget": {"budget": 6.0},
    "country_and_group": {"max_centers": 3, "max_per_country": 1, "_min": [({2, 3}, 1)]},
    "risk_total": {"max_centers": 3, "max_total_risk": 0.8},
    "risk_mean": {"max_centers": 3, "max_mean_risk": 0.4, "min_centers": 1},
    "existing": {"max_centers": 2, "existing": {4: 1}},
    "capacity": {"max_centers": 2, "capacity": (1, 2)},
    "phased": {"max_centers": 2, "horizon": 2, "budget": 9.0},
    "phased_annual": {"max_centers": 3, "horizon": 3, "annual_budget": 4.0},
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", list(CASES))
def test_matches_brute_force(case, seed):
    inst, kw = _instance(seed), CASES[case]
    quality_w = 0.5
    expected = _brute(inst, kw, quality_w)
    model = _model(inst, kw, quality_w).solve()
    assert model.status == "optimal"
    assert model.objective == pytest.approx(expected, abs=1e-6)
    # The reported parts add up, and the layout meets the caps it was given.
    assert model.benefit["total"] == pytest.approx(model.objective, abs=1e-6)
    chosen = model.chosen
    assert chosen["site_id"].is_unique
    if "max_centers" in kw:
        assert len(chosen) <= kw["max_centers"]
    if "budget" in kw:
        assert model.cost <= kw["budget"] + 1e-6
    if "horizon" in kw:
        new = chosen[~chosen["existing"]]
        assert new["year"].between(1, kw["horizon"]).all()


def test_capacity_split_demand_shares():
    # One demand of size 2, two centers of capacity 1: split it half-half.
    m = Layout.from_arrays([[1.0, 1.0]], capacity=1, demand_size=[2], split_demand=True)
    m.solve()
    assert m.objective == pytest.approx(1.0)
    assert m.chosen["served"].tolist() == [1.0, 1.0]
    single = Layout.from_arrays([[1.0, 1.0]], capacity=1, demand_size=[2]).solve()
    assert single.objective == 0.0 and single.assignment == {}


def test_top_l_keeps_best_options_only():
    match = [[0.9, 0.8, 0.1]]
    m = Layout.from_arrays(match, top_l=1, max_centers=1, min_centers=1,
                           available=[[True], [True], [True]])
    assert m.inputs.pair_j.tolist() == [0]
    m = Layout.from_arrays(match, top_l=2)
    assert sorted(m.inputs.pair_j.tolist()) == [0, 1]


def test_existing_keeps_mode_and_is_free():
    m = Layout.from_arrays([[0.1, 0.9]], modes=["lab", "hub"], existing={0: "hub"},
                           setup_cost={"lab": 5, "hub": 5}, budget=5, max_centers=2).solve()
    rows = m.chosen.set_index("site_id")
    assert rows.loc[0, "mode"] == "hub" and bool(rows.loc[0, "existing"])
    assert m.cost == 5.0  # only the new center at site 1 is paid for
    assert m.to_dict()["chosen"][0] == {"site_id": 0, "mode": "hub", "year": None,
                                        "existing": True}


def test_existing_centers_beyond_the_country_cap_stay_and_block_new_ones():
    # Three existing centers in USA, cap 2: the model keeps all three (it used to be
    # infeasible), opens none more there, and still fills the other country.
    m = Layout.from_arrays(
        quality=[0.5, 0.5, 0.5, 0.9, 0.4, 0.3],
        country=["USA", "USA", "USA", "USA", "GBR", "GBR"],
        existing=[0, 1, 2], max_per_country=2, max_centers=6,
    ).solve()
    assert m.status == "optimal"
    assert sorted(m.chosen["site_id"]) == [0, 1, 2, 4, 5]
    assert "at most 2 per country (USA: its 3 existing)" in m.to_dict()["constraints"]


def test_phasing_opens_early_when_budget_allows():
    m = Layout.from_arrays(quality=[1.0, 1.0], horizon=3, years=[2026, 2027, 2028],
                           setup_cost=2.0, annual_cost=1.0, annual_budget=2.0).solve()
    # Two set-ups in one year cost 4 > 2; once one center runs (1 a year), a
    # second set-up (2) never fits again, so one center opens, in the first year.
    assert m.chosen["year"].tolist() == [2026]
    # With 3 a year the second set-up fits next to the first center's running cost.
    m = Layout.from_arrays(quality=[1.0, 1.0], horizon=3, setup_cost=2.0, annual_cost=1.0,
                           annual_budget=3.0).solve()
    assert sorted(m.chosen["year"].tolist()) == [1, 2]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"match": [1, 2]}, "match"),
        ({"match": [[1, 2]], "priority": [1, 2]}, "priority"),
        ({"match": [[1, -np.inf]]}, "match"),
        ({"match": [[1, 2]], "setup_cost": [[1, 2, 3]]}, "setup_cost"),
        ({"match": [[1, 2]], "max_per_country": 1}, "country"),
        ({"match": [[1, 2]], "max_total_risk": 1}, "risk"),
        ({"match": [[1, 2]], "existing": ["X"]}, "existing"),
        ({"match": [[1, 2]], "annual_budget": 3}, "annual_budget"),
        ({"match": [[1, 2]], "max_centers": -1}, "max_centers"),
        ({"match": [[1, 2]], "site_ids": ["a", "a"]}, "site_ids"),
        ({"match": [[1, 2]], "groups": [GroupRule("g", ["zz"], min=1)]}, "groups"),
        ({"match": [[1, 2]], "budget": float("nan")}, "budget"),
    ],
)
def test_bad_inputs_name_the_field(kwargs, field):
    with pytest.raises(InputError) as info:
        Layout.from_arrays(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("case", list(CASES))
def test_mip_start_from_a_restricted_model_keeps_the_optimum(case, seed, monkeypatch):
    """Large models start from a restricted model's solution: same optimum, start passed."""
    import oicplan.optimize.layout_solve as layout_mod  # the solve and its MIP start

    inst, kw = _instance(seed), CASES[case]
    plain = _model(inst, kw, 0.5).solve()
    monkeypatch.setattr(layout_mod, "_LARGE_BINARIES", 0)  # every model counts as large
    monkeypatch.setattr(layout_mod, "_GREEDY_SLACK", 0.5)  # a tight candidate list
    calls = []
    real = layout_mod.solve_mip

    def spy(mip, **kwargs):
        out = real(mip, **kwargs)
        calls.append((mip, kwargs, out))
        return out

    monkeypatch.setattr(layout_mod, "solve_mip", spy)
    model = _model(inst, kw, 0.5).solve()
    assert model.status == "optimal"
    assert model.objective == pytest.approx(plain.objective, abs=1e-6)
    assert model.objective == pytest.approx(_brute(inst, kw, 0.5), abs=1e-6)
    full = calls[-1]
    assert full[1]["options"] == layout_mod.solver_options(model, "benefit")
    assert full[1]["options"].items() >= layout_mod._LARGE_OPTIONS.items()
    # Before it: the LP of the restricted model, then the MIP left after fixing
    # (or the restricted MIP); the last one's solution is the full model's start.
    assert len(calls) >= 3
    assert not np.concatenate(calls[0][0]._integer).any()
    start = calls[-2][2]
    np.testing.assert_array_equal(full[1]["start"], start.values)
    assert start.objective <= model.objective + 1e-6


def test_restricted_model_closes_the_options_left_out():
    inst, kw = _instance(0), CASES["phased_annual"]
    model = _model(inst, kw, 0.5)
    allowed = np.zeros(model.inputs.opt_site.size, bool)
    allowed[:3] = True
    mip, v = model._assemble(allowed=allowed)
    upper = np.concatenate(mip._upper)
    assert (upper[v.y[~allowed]] == 0).all() and (upper[v.y[allowed]] == 1).all()
    assert (upper[v.z[~allowed[model._new_options()]]] == 0).all()
    from oicplan.optimize._highs import solve_mip

    out = solve_mip(mip, model="Layout")
    assert (out.values[v.y[~allowed]] < 0.5).all()


@pytest.mark.parametrize("seed", range(6))
def test_tied_scores_share_one_share_column_with_the_same_optimum_and_relaxation(seed):
    """(3'): pairs of one demand with the same score share x; same MIP and LP optimum.

    Scores are whole tenths, so a demand scores many sites alike (as the sites of one
    economy share its field strengths). The model with shared columns is compared with
    the same model with a column per pair (the formulation used with capacities or
    placeholder scores) and with an enumeration of every layout.
    """
    rng = np.random.default_rng(seed)
    n_d, n_s, k = 3, 7, 3
    match = rng.integers(1, 5, size=(n_d, n_s)) / 10
    quality = rng.uniform(0, 1, n_s)
    shared = Layout.from_arrays(match, quality=quality, quality_weight=0.3, max_centers=k)
    per_pair = shared._with(match_placeholder=True)
    mip, v = shared._assemble()
    mip_pairs, v_pairs = per_pair._assemble()
    assert v.x.size == len({(d, a) for d, a in zip(shared.inputs.pair_d, shared.inputs.pair_a,
                                                     strict=True)}) < v_pairs.x.size
    relaxed = [solve_mip(m.relaxation(), model="t").objective for m in (mip, mip_pairs)]
    assert relaxed[0] == pytest.approx(relaxed[1], rel=1e-9)
    best = max(
        sum(match[:, list(open_)].max(axis=1)) + 0.3 * quality[list(open_)].sum()
        for size in range(1, k + 1) for open_ in itertools.combinations(range(n_s), size)
    )
    solved = shared.unsolved_copy().solve()
    assert solved.objective == pytest.approx(best, rel=1e-9)
    assert per_pair.solve().objective == pytest.approx(best, rel=1e-9)
    # Each demand is served once, by an open site that scores it best of the open ones.
    open_sites = solved.chosen["site_id"].tolist()
    assert sorted(solved.assignment) == list(range(n_d))
    for demand, served in solved.assignment.items():
        assert served["site_id"] in open_sites and served["share"] == 1.0
        assert match[demand, served["site_id"]] == match[demand, open_sites].max()
    assert solved.benefit["demand"] == pytest.approx(match[:, open_sites].max(axis=1).sum())


def test_a_tied_demand_is_served_by_the_first_open_site_of_its_tie():
    """The share of a shared column goes to the first open option of its pairs."""
    m = Layout.from_arrays([[0.5, 0.5, 0.5]], quality=[0.1, 0.3, 0.2], max_centers=2)
    solved = m.solve()
    assert solved.chosen["site_id"].tolist() == [1, 2]
    assert solved.assignment[0]["site_id"] == 1
    assert solved.chosen["served"].tolist() == [1.0, 0.0]


def test_the_number_of_open_centers_is_a_whole_number_column_of_its_own(monkeypatch):
    """N = sum of y, bounded by the most centers while that group is on (HiGHS branches on N)."""
    import highspy

    from oicplan.optimize import layout_solve

    m = Layout.from_arrays([[0.9, 0.2, 0.5], [0.1, 0.8, 0.4]], quality=[0.5, 0.6, 0.1],
                           quality_weight=0.1, max_centers=2)
    mip, v = m._assemble()
    lp = mip.to_highs().getLp()
    assert v.n is not None and lp.integrality_[v.n] == highspy.HighsVarType.kInteger
    assert lp.col_upper_[v.n] == 2.0  # the most centers
    with_count = m.unsolved_copy().solve()
    out, v = m._run()
    assert out.values[v.n] == pytest.approx(np.round(out.values[v.y]).sum()) == 2
    # With the most-centers group off (the diagnosis of a conflict), N may reach every site.
    mip, v = m._assemble(objective="none", active=["one_mode"], assignment=False)
    assert mip.to_highs().getLp().col_upper_[v.n] == 3.0
    # Large models (a restricted MIP start of their own) are built without it; the
    # optimum is the same either way.
    monkeypatch.setattr(layout_solve, "_LARGE_BINARIES", 1)
    assert m._assemble()[1].n is None
    without = m.unsolved_copy().solve()
    assert without.objective == pytest.approx(with_count.objective, rel=1e-9)
    assert without.chosen["site_id"].tolist() == with_count.chosen["site_id"].tolist()
