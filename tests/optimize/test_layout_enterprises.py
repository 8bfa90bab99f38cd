"""The layout model serving enterprises (demand classes) and capping total risk."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from oicplan.errors import InputError
from oicplan.match.enterprises import load_sample
from oicplan.optimize.layout import Layout
from oicplan.ranking import rank_sites
from oicplan.scenario import load_scenario


@pytest.fixture(scope="module")
def ranked():
    return rank_sites(load_scenario("zhejiang"))


def test_enterprises_become_weighted_demand_classes(ranked):
    firms = load_sample()
    model = Layout.from_ranking(ranked, enterprises=firms)
    d = model.inputs
    assert len(d.demand_ids) < len(firms) / 10
    # Priorities: each class's share of the enterprises x the number of industries.
    assert d.priority.sum() == pytest.approx(firms["industry"].nunique())
    note = [a for a in d.assumptions if a.startswith("demand:")]
    assert note and f"{len(firms)} enterprises" in note[0] and "SYNTHETIC" in note[0]
    solved = model.solve()
    assert solved.status == "optimal"
    served = set(solved.assignment)
    assert served <= set(d.demand_ids) and served


def test_one_industry_of_enterprises_pulls_the_layout_to_its_best_sites(ranked):
    firms = load_sample()
    industry = firms["industry"].value_counts().index[0]
    one = firms[firms["industry"] == industry].reset_index(drop=True)
    model = Layout.from_ranking(ranked, enterprises=one, quality_weight=0.0,
                                min_per_strategy=None, max_centers=1).solve()
    match = ranked.match.matrix.loc[industry]
    new = model.chosen[~model.chosen["existing"].astype(bool)]["site_id"].tolist()
    assert len(new) == 1
    # The single new center is as good for that industry as any admissible site
    # (utility also counts technology needs and access, so compare within 0.35).
    assert match[new[0]] >= match.max() - 0.35


def test_enterprise_file_errors_and_missing_match(ranked):
    firms = pd.DataFrame({"name": ["a"], "industry": ["no_such_industry"]})
    with pytest.raises(InputError, match="no_such_industry"):
        Layout.from_ranking(ranked, enterprises=firms)
    with pytest.raises(InputError, match="industry match"):
        Layout.from_ranking(replace(ranked, match=None), enterprises=load_sample())


def test_total_risk_cap_holds(ranked):
    free = Layout.from_ranking(ranked, min_per_strategy=None).solve()
    cap = 0.8 * free.total_risk
    capped = Layout.from_ranking(ranked, min_per_strategy=None, max_total_risk=cap).solve()
    assert capped.status == "optimal"
    assert capped.total_risk <= cap + 1e-6 < free.total_risk
    assert free.objective >= capped.objective - 1e-9
    assert any(c.startswith("total risk <= ") for c in capped.to_dict()["constraints"])
    risk = ranked.table.set_index("site_id")["pillar_risk"]
    assert capped.total_risk == pytest.approx(float(np.sum(risk[capped.chosen["site_id"]])))


def test_mode_fit_from_the_mode_scores_shapes_option_quality(ranked):
    from oicplan.match.modes import mode_scores
    from oicplan.optimize.layout import MODE_FIT_WEIGHT, OTHER_MODE_FACTOR

    d = Layout.from_ranking(ranked).inputs
    scores = mode_scores(ranked.table.reset_index(drop=True)).set_index(["site_id", "mode"])
    score = ranked.table.set_index("site_id")["score"]
    checked = 0
    for j in range(d.opt_site.size):
        site, mode = d.site_ids[d.opt_site[j]], d.modes[d.opt_mode[j]]
        row = scores.loc[(site, mode)]
        rule = 1.0 if row["rule"] else OTHER_MODE_FACTOR
        expected = score[site] * rule * (1 - MODE_FIT_WEIGHT + MODE_FIT_WEIGHT * row["fit"])
        assert d.quality[j] == pytest.approx(expected)
        checked += 1
    assert checked > len(ranked.table)  # several modes per site on average


def test_capacity_in_enterprises_per_center(ranked):
    firms = load_sample()
    model = Layout.from_ranking(ranked, enterprises=firms, capacity=300).solve()
    assert model.status == "optimal"
    assert (model.chosen["served"] <= 300 + 1e-6).all()
    assert model.chosen["served"].max() == pytest.approx(300)
    # Without the cap the best centers take far more than 300 each.
    free = Layout.from_ranking(ranked, enterprises=firms).solve()
    assert free.chosen["served"].max() > 300
    assert free.objective >= model.objective - 1e-9
    assert any("300 in every mode" in a for a in model.to_dict()["assumptions"])
    per_mode = Layout.from_ranking(ranked, enterprises=firms,
                                   capacity={"joint_lab": 50}).solve()
    labs = per_mode.chosen[per_mode.chosen["mode"] == "joint_lab"]
    assert (labs["served"] <= 50 + 1e-6).all()
