"""Layout model: infeasible scenarios name the constraint groups that conflict."""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.errors import InfeasibleError
from oicplan.optimize.layout import GroupRule, Layout
from oicplan.optimize.layout_diagnose import explain_infeasible

# Sites a..f with their countries; S&T leaders a-d, rail corridor b and e.
SITES = ["a", "b", "c", "d", "e", "f"]
COUNTRY = ["X", "X", "Y", "Z", "Y", "W"]
ST = GroupRule("S&T-leader economies", ["a", "b", "c", "d"], min=3)
RAIL = GroupRule("rail corridor", ["b", "e"], min=2)


def _model(**kw):
    args = {"quality": np.ones(len(SITES)), "site_ids": SITES, "country": COUNTRY,
            "max_per_country": 1, "groups": [ST, RAIL]}
    args.update(kw)
    return Layout.from_arrays(**args)


def test_names_the_conflicting_groups():
    # S&T needs a site in each of X, Y and Z, so c (Y) is taken and e (Y) is not
    # allowed: the rail corridor then has only b. Count and budget are not involved.
    m = _model(max_centers=5, setup_cost=1.0, budget=10)
    with pytest.raises(InfeasibleError) as info:
        m.solve()
    message = str(info.value)
    assert message.startswith(
        "infeasible: 'at least 3 in S&T-leader economies' conflicts with "
        "'at least 2 in rail corridor' and 'at most 1 per country'"
    )
    assert "max 5 centers" not in message and "budget" not in message
    assert m.status == "infeasible"
    assert set(m.conflict.keys) == {"group:0", "group:1", "per_country"}
    # Dropping any one of the three makes this model feasible.
    assert sorted(m.conflict.sufficient) == sorted(m.conflict.groups)
    assert m.to_dict()["conflict"] == m.conflict.groups


def test_count_cap_joins_the_conflict():
    # Without the per-country cap S&T and rail fit in 3 centers (b, c or d, e ...),
    # but not in 2.
    m = _model(max_per_country=None, country=None, max_centers=2)
    conflict = explain_infeasible(m)
    assert conflict.groups == ["at least 3 in S&T-leader economies", "max 2 centers"]
    assert conflict.message == (
        "infeasible: 'at least 3 in S&T-leader economies' conflicts with 'max 2 centers'"
    )


def test_single_group_and_existing_centers():
    m = Layout.from_arrays(quality=[1, 1], groups=[GroupRule("zone", [0], min=2)])
    with pytest.raises(InfeasibleError, match="'at least 2 in zone' cannot be met on its own"):
        m.solve()
    m = Layout.from_arrays(quality=[1, 1, 1], existing=["SGP", "MOW"], max_centers=1,
                           site_ids=["SGP", "MOW", "VIE"])
    conflict = explain_infeasible(m)
    assert conflict.groups == ["existing center SGP stays open", "existing center MOW stays open",
                               "max 1 centers"]


def test_budget_and_risk_groups():
    m = Layout.from_arrays(quality=[1, 1, 1], setup_cost=[5, 6, 7], risk=[0.9, 0.5, 0.1],
                           min_centers=2, budget=12, max_mean_risk=0.2)
    conflict = explain_infeasible(m)
    assert "at least 2 centers" in conflict.groups
    assert "mean risk <= 0.2" in conflict.groups
    # Two centers cost at least 11 <= 12 and the two safest have mean risk 0.3 > 0.2.
    assert "budget 12" not in conflict.groups
    assert sorted(conflict.sufficient) == sorted(conflict.groups)


def test_year_budgets_are_named_by_year():
    m = Layout.from_arrays(quality=[1, 1], min_centers=2, horizon=2, years=[2026, 2027],
                           setup_cost=3.0, annual_cost=1.0, annual_budget=[3.0, 3.0])
    conflict = explain_infeasible(m)
    assert conflict.groups == ["at least 2 centers", "budget 3 in year 2026",
                               "budget 3 in year 2027"]


@pytest.mark.parametrize("seed", range(6))
def test_conflict_is_irreducible(seed):
    rng = np.random.default_rng(seed)
    n = 7
    groups = [GroupRule(f"g{k}", rng.choice(n, size=3, replace=False).tolist(),
                        min=int(rng.integers(1, 3))) for k in range(4)]
    m = Layout.from_arrays(quality=rng.random(n), country=rng.choice(list("PQR"), n),
                           max_per_country=1, groups=groups, max_centers=3,
                           risk=rng.random(n), max_total_risk=1.0)
    if m.is_feasible():
        pytest.skip("random instance happens to be feasible")
    conflict = explain_infeasible(m)
    keys = [k for k, _ in m.constraint_groups()]
    assert not m.is_feasible(conflict.keys)
    for key in conflict.keys:
        assert m.is_feasible([k for k in conflict.keys if k != key])
    labels = dict(m.constraint_groups())
    for key in conflict.keys:
        alone = m.is_feasible([k for k in keys if k != key])
        assert alone == (labels[key] in conflict.sufficient)
    assert set(conflict.keys) <= set(keys)
