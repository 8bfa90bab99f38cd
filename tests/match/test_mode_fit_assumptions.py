"""The pillar weights of each mode's fit are stated assumptions (issue 11).

They live in :mod:`oicplan.assumptions` (``mode_fit.MODE.PART``), are read in force by
the mode scores and the layout model's fit, are renormalised per mode, enter the cache
key of the plan's fit table, are recorded in plan.json and can be swept.
"""

from __future__ import annotations

import pandas as pd
import pytest

from oicplan.assumptions import ASSUMPTIONS, applied, check_overrides, plan_assumptions
from oicplan.domain import CENTER_MODES
from oicplan.errors import InputError
from oicplan.match.modes import MODE_FIT, fit_weights, mode_scores

_PILLARS = ("innovation", "talent", "market", "cooperation", "connectivity", "services",
            "policy")


def _site(**pillars: float) -> pd.DataFrame:
    row = {"site_id": "A", "types": "capital", "gii_cluster_rank": 11}
    row.update({f"pillar_{name}": pillars.get(name, 0.0) for name in _PILLARS})
    return pd.DataFrame([row])


def test_every_mode_has_stated_weights_summing_to_one():
    names = [n for n in ASSUMPTIONS if n.startswith("mode_fit.")]
    assert {n.split(".")[1] for n in names} == set(CENTER_MODES)
    assert len(names) == sum(len(parts) for parts in MODE_FIT.values())
    for mode, parts in MODE_FIT.items():
        assert sum(parts.values()) == pytest.approx(1.0), mode
        for part, weight in parts.items():
            item = ASSUMPTIONS[f"mode_fit.{mode}.{part}"]
            assert item.value == weight and item.plan
            assert item.reason and item.reason_zh and "paper" in item.source
    assert set(names) <= set(plan_assumptions())


def test_the_fit_is_the_weighted_pillars_by_hand():
    table = _site(innovation=0.8, talent=0.4, services=0.6, market=0.2)
    fit = mode_scores(table).set_index("mode")["fit"]
    cluster = 1 - (11 - 1) / 100
    assert fit["offshore_rd_center"] == pytest.approx(0.5 * 0.8 + 0.25 * 0.4 + 0.25 * cluster)
    assert fit["offshore_incubator"] == pytest.approx(0.4 * 0.6 + 0.3 * 0.2 + 0.3 * 0.8)
    assert fit["joint_lab"] == pytest.approx(0.6 * 0.4 + 0.4 * 0.8)


def test_a_changed_weight_is_read_and_the_mode_renormalised():
    table = _site(innovation=0.8, talent=0.4)
    with applied({"mode_fit.joint_lab.talent": 0.0}):
        assert fit_weights()["joint_lab"] == {"talent": 0.0, "innovation": 1.0}
        fit = mode_scores(table).set_index("mode")
        assert fit.loc["joint_lab", "fit"] == pytest.approx(0.8)
        assert not any("talent" in r for r in fit.loc["joint_lab", "reasons"])
    with applied({"mode_fit.joint_lab.innovation": 1.0}):  # 0.6 and 1.0 -> 0.375, 0.625
        assert mode_scores(table).set_index("mode").loc["joint_lab", "fit"] == pytest.approx(
            0.375 * 0.4 + 0.625 * 0.8)
    with applied({"mode_fit.joint_lab.talent": 0.0, "mode_fit.joint_lab.innovation": 0.0}):
        assert mode_scores(table).set_index("mode").loc["joint_lab", "fit"] == 0.0
    # Outside the blocks the stated weights hold again.
    assert mode_scores(table).set_index("mode").loc["joint_lab", "fit"] == pytest.approx(
        0.6 * 0.4 + 0.4 * 0.8)


def test_the_fit_stays_in_unit_range_and_the_rule_still_decides():
    table = _site(innovation=1.0, talent=1.0, market=1.0, cooperation=1.0,
                  connectivity=1.0, services=1.0, policy=1.0)
    with applied({f"mode_fit.{m}.{p}": 1.0 for m, parts in MODE_FIT.items() for p in parts}):
        scores = mode_scores(table)
    assert scores["fit"].between(0, 1).all()
    assert scores.loc[scores["rule"], "score"].min() > scores.loc[~scores["rule"], "score"].max()


def test_a_weight_out_of_range_names_its_field():
    with pytest.raises(InputError) as caught:
        check_overrides({"mode_fit.joint_lab.talent": 1.5}, plan_only=True)
    assert caught.value.field == "assumptions.mode_fit.joint_lab.talent"


def test_the_plans_fit_table_is_cached_per_weights(zhejiang_ranked):
    from oicplan.plan import _mode_fit

    table = zhejiang_ranked.table
    stated = _mode_fit(table)
    with applied({"mode_fit.corridor_hub.connectivity": 0.0}):
        moved = _mode_fit(table)
    assert not moved["corridor_hub"].equals(stated["corridor_hub"])
    assert moved["joint_lab"].equals(stated["joint_lab"])
    pillar = table.set_index("site_id")["pillar_market"].reindex(moved.index)
    assert moved["corridor_hub"].to_numpy() == pytest.approx(pillar.to_numpy(), abs=1e-6)
    assert _mode_fit(table).equals(stated)


@pytest.fixture(scope="module")
def zhejiang_ranked():
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    return rank_sites(load_scenario("zhejiang"))


def test_a_scenario_sets_a_weight_and_plan_json_records_it():
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    scenario = load_scenario("zhejiang")
    changed = scenario.model_copy(update={"assumptions": {"mode_fit.joint_lab.talent": 0.3}})
    plan = make_plan(changed, frontiers=False)
    document = plan.to_dict()
    recorded = {r["name"]: r for r in document["assumptions"]}
    assert recorded["mode_fit.joint_lab.talent"]["value"] == 0.3
    assert recorded["mode_fit.joint_lab.talent"]["overridden"] is True
    assert recorded["mode_fit.joint_lab.innovation"]["overridden"] is False
    # plan.json's mode scores of every chosen site use the renormalised weights.
    share = 0.3 / (0.3 + 0.4)
    rows = plan.chosen.set_index("site_id")
    for site in document["sites"]:
        fit = next(m["fit"] for m in site["mode_scores"] if m["mode"] == "joint_lab")
        row = rows.loc[site["site_id"]]
        assert fit == pytest.approx(
            share * row["pillar_talent"] + (1 - share) * row["pillar_innovation"], abs=1e-6)


def test_a_sweep_names_the_weights_of_a_mode_with_a_star():
    from oicplan.services.assumptions import (
        AssumptionSweepRequest,
        assumption_sweep,
        expand_names,
    )

    assert expand_names(["mode_fit.corridor_hub.*"]) == [
        "mode_fit.corridor_hub.connectivity", "mode_fit.corridor_hub.market"]
    with pytest.raises(InputError) as caught:
        expand_names(["mode_fit.no_such_mode.*"])
    assert caught.value.field == "names"
    sweep = assumption_sweep(AssumptionSweepRequest(
        names=["mode_fit.corridor_hub.*"], steps=1))
    assert {(p.name, p.value) for p in sweep.points} == {
        ("mode_fit.corridor_hub.connectivity", 0.48), ("mode_fit.corridor_hub.connectivity", 0.72),
        ("mode_fit.corridor_hub.market", 0.32), ("mode_fit.corridor_hub.market", 0.48)}
    assert all(p.status == "ok" for p in sweep.points)
