"""Diminishing return per economy in the layout model (issue 13): exact against enumeration."""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.errors import InputError
from oicplan.optimize.layout import Layout
from oicplan.optimize.layout_diversify import city_regions, diversity_groups
from tests.optimize._enumerate import layouts

N_S, N_M, N_D = 5, 2, 3
COUNTRY = ["A", "A", "A", "B", "B"]


def _instance(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    match = rng.integers(0, 10, (N_D, N_S, N_M)).astype(float) / 10
    match[rng.random(match.shape) < 0.4] = 0.0
    return {
        "match": match,
        "quality": rng.integers(1, 10, (N_S, N_M)).astype(float) / 10,
        "priority": rng.integers(1, 4, N_D).astype(float),
        "setup_cost": rng.integers(1, 6, (N_S, N_M)).astype(float),
    }


def _brute(inst: dict, delta: float, *, max_centers: int, horizon: int | None = None,
           budget: float | None = None, max_per_country: int | None = None,
           existing: dict | None = None, quality_w: float = 1.0) -> float:
    """Best objective by enumerating every layout; the rule applied by sorting per economy."""
    existing = existing or {}
    years = [None] if horizon is None else list(range(horizon))
    q, f = inst["quality"], inst["setup_cost"]
    best = -np.inf
    for combo in layouts(N_S, N_M, years, existing):
        layout = {s: c for s, c in enumerate(combo) if c is not None}
        if len(layout) > max_centers:
            continue
        if max_per_country is not None:
            counts = [COUNTRY[s] for s in layout]
            if any(counts.count(c) > max_per_country for c in counts):
                continue
        if budget is not None and sum(
                f[s, m] for s, (m, _) in layout.items() if s not in existing) > budget + 1e-9:
            continue
        demand = sum(
            inst["priority"][d] * max((inst["match"][d, s, m] for s, (m, _) in layout.items()),
                                      default=0.0)
            for d in range(N_D))
        terms: dict[str, list[float]] = {}
        for s, (m, t) in layout.items():
            share = 1.0 if t is None else (horizon - t) / horizon
            terms.setdefault(COUNTRY[s], []).append(quality_w * q[s, m] * share)
        quality = sum(delta ** k * c for cs in terms.values()
                      for k, c in enumerate(sorted(cs, reverse=True)))
        best = max(best, demand + quality)
    return float(best)


def _model(inst: dict, delta: float | None, **kw) -> Layout:
    return Layout.from_arrays(inst["match"], inst["quality"], priority=inst["priority"],
                              setup_cost=inst["setup_cost"], country=COUNTRY,
                              diminishing_return=delta, **kw)


CASES = {
    "static": {"max_centers": 3},
    "static_cap": {"max_centers": 4, "max_per_country": 2},
    "budget": {"max_centers": 3, "budget": 7.0},
    "existing": {"max_centers": 3, "existing": {1: 0}},
    "phased": {"max_centers": 3, "horizon": 2},
    "phased_existing": {"max_centers": 3, "horizon": 2, "existing": {0: 1}, "budget": 8.0},
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("delta", [0.2, 0.5, 0.9])
@pytest.mark.parametrize("seed", range(3))
def test_objective_equals_enumeration(seed, delta, case):
    inst, kw = _instance(seed), CASES[case]
    model = _model(inst, delta, **kw).solve()
    assert model.status == "optimal"
    expected = _brute(inst, delta, **kw)
    assert model.objective == pytest.approx(expected, abs=1e-7)
    # The decoded benefit (sorted, not read from the LP) is the objective too.
    assert model.benefit["total"] == pytest.approx(model.objective, abs=1e-7)


@pytest.mark.parametrize("seed", range(4))
def test_delta_one_is_the_old_model(seed):
    inst = _instance(seed)
    kw = {"max_centers": 3, "max_per_country": 2, "horizon": 2}
    old, same = _model(inst, None, **kw), _model(inst, 1.0, **kw)
    old_mip, _ = old._assemble()
    same_mip, _ = same._assemble()
    assert (old_mip.num_col, old_mip.num_row) == (same_mip.num_col, same_mip.num_row)
    assert same.solve().objective == pytest.approx(old.solve().objective, abs=1e-9)
    assert old.objective == pytest.approx(_brute(inst, 1.0, **kw), abs=1e-7)
    # and a delta below 1 never values a layout more than the old model does
    assert _model(inst, 0.5, **kw).solve().objective <= old.objective + 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_a_duplicate_never_scores_above_its_first_copy(seed):
    """Two identical sites in one economy: the second counts at most what the first does."""
    rng = np.random.default_rng(seed)
    q = rng.uniform(0.1, 1.0, 4)
    q[1] = q[0]  # site 1 duplicates site 0
    model = Layout.from_arrays(quality=q, country=["A", "A", "B", "C"], max_centers=4,
                               diminishing_return=0.6).solve()
    chosen = model.chosen.set_index("site_id")
    assert {0, 1} <= set(chosen.index)
    value = chosen["quality"] * chosen["quality_factor"]
    assert sorted([value[0], value[1]]) == pytest.approx([0.6 * q[0], q[0]])
    for _, group in model.chosen.assign(country=lambda t: [["A", "A", "B", "C"][s] for s in
                                                           t["site_id"]]).groupby("country"):
        ranked = (group["quality"] * group["quality_factor"]).sort_values(ascending=False)
        assert (ranked.iloc[1:] <= ranked.iloc[0] + 1e-12).all()


def test_small_delta_moves_the_second_center_abroad():
    """A1 is best, A2 nearly as good as A1, B1 a little worse: delta decides."""
    kw = {"quality": [1.0, 0.98, 0.9], "country": ["A", "A", "B"], "max_centers": 2,
          "max_per_country": 2}
    assert Layout.from_arrays(**kw).solve().chosen["site_id"].tolist() == [0, 1]
    assert Layout.from_arrays(**kw, diminishing_return=1.0).solve().chosen[
        "site_id"].tolist() == [0, 1]
    m = Layout.from_arrays(**kw, diminishing_return=0.5).solve()
    assert m.chosen["site_id"].tolist() == [0, 2]
    assert m.objective == pytest.approx(1.9)
    # the crossover: A2 stays while 0.98 delta > 0.9
    assert Layout.from_arrays(**kw, diminishing_return=0.95).solve().chosen[
        "site_id"].tolist() == [0, 1]


def test_groups_can_differ_from_countries():
    # sites 0 and 1 share a group although their countries differ
    m = Layout.from_arrays(quality=[1.0, 0.98, 0.9], country=["A", "B", "C"],
                           diversity_group=["A", "A", "C"], max_centers=2,
                           diminishing_return=0.5).solve()
    assert m.chosen["site_id"].tolist() == [0, 2]


@pytest.mark.parametrize("bad", [0, -0.5, 1.5, float("nan"), "half"])
def test_bad_factor_names_the_field(bad):
    with pytest.raises(InputError) as err:
        Layout.from_arrays(quality=[1.0, 2.0], country=["A", "A"], diminishing_return=bad)
    assert err.value.field == "diminishing_return"


def test_factor_needs_groups():
    with pytest.raises(InputError) as err:
        Layout.from_arrays(quality=[1.0, 2.0], diminishing_return=0.5)
    assert err.value.field == "diversity_group"


def test_city_regions_against_pairwise_distances():
    """Single linkage by hand: every pair within the radius shares a label."""
    from oicplan.optimize._inputs import haversine_km

    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(40, 42, 25), rng.uniform(10, 12, 25)
    labels = city_regions(lat, lon, 40)
    dist = haversine_km(np.column_stack([lat, lon]), np.column_stack([lat, lon]))
    for i in range(25):
        for j in range(25):
            if dist[i, j] <= 40:
                assert labels[i] == labels[j]
    # and two sites with the same label are chained by steps within the radius
    for label in set(labels.tolist()):
        members = np.flatnonzero(labels == label)
        reached = {int(members[0])}
        frontier = [int(members[0])]
        while frontier:
            i = frontier.pop()
            for j in members.tolist():
                if j not in reached and dist[i, j] <= 40:
                    reached.add(j)
                    frontier.append(j)
        assert reached == set(members.tolist())


def test_cross_border_city_region_joins_the_larger_economy():
    # Singapore and Johor Bahru (22 km), Kuala Lumpur 300 km away
    groups, crossing = diversity_groups(
        ["SGP", "MYS", "MYS"], [1.2897, 1.4655, 3.1412], [103.8501, 103.7578, 101.6865],
        [5_638_700, 802_489, 1_453_975], 50)
    assert groups == ["SGP", "SGP", "MYS"]
    assert crossing == [{"sites": [0, 1], "economy": "SGP"}]
    groups, crossing = diversity_groups(
        ["SGP", "MYS"], [1.2897, 1.4655], [103.8501, 103.7578], None, 10)
    assert groups == ["SGP", "MYS"] and crossing == []


def test_ranks_are_added_when_a_group_fills_beyond_them():
    """Three centers in one economy: the model starts with ranks 1-2 and adds a third."""
    m = Layout.from_arrays(quality=[1.0, 0.99, 0.98, 0.2], country=["A", "A", "A", "B"],
                           max_centers=3, diminishing_return=0.9)
    first = m._rank_spec()
    assert first.levels.tolist() == [2, 0]  # group A: ranks 1-2, the last open-ended
    m.solve()
    assert m.chosen["site_id"].tolist() == [0, 1, 2]
    assert m._rank_spec().levels.tolist() == [3, 0]
    assert m.objective == pytest.approx(1.0 + 0.9 * 0.99 + 0.81 * 0.98)
    # fewer ranks would have overvalued the layout: 1 + 0.9 (0.99 + 0.98)
    assert m.objective < 1.0 + 0.9 * (0.99 + 0.98) - 1e-3


def test_a_group_of_one_site_never_asks_for_ranks():
    """An economy with one candidate site holds one center: no ranks, one solve."""
    m = Layout.from_arrays(quality=[1.0, 0.9, 0.8], country=["A", "A", "B"], max_centers=3,
                           diminishing_return=0.75)
    out, v = m._run()
    assert m._rank_spec().levels.tolist() == [2, 0]
    assert not m._grow_ranks(out.values, v)
    assert m.solve().chosen["site_id"].tolist() == [0, 1, 2]
