"""One table of center-mode rules: the plan, the mode scores and the layout model agree."""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.domain import (
    CENTER_MODES,
    MODE_REASONS,
    MODE_RULES,
    admissible_modes,
    assign_mode,
)


@pytest.fixture(scope="module")
def ranked():
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    return rank_sites(load_scenario("zhejiang"))


def test_every_rule_has_a_reason_and_a_known_mode():
    for rule in MODE_RULES:
        assert rule.mode in CENTER_MODES
        assert rule.key in MODE_REASONS


def test_plan_match_and_layout_agree_on_every_candidate_site(ranked):
    from oicplan.match.modes import mode_scores
    from oicplan.optimize.layout import Layout
    from oicplan.plan import assign_mode as plan_assign_mode

    table = ranked.table
    scores = mode_scores(table)
    rule_mode = scores[scores["rule"]].set_index("site_id")["mode"]
    # Without the cost model, so no option is withheld for a cost gap.
    layout = Layout.from_ranking(ranked, max_centers=12, model_costs=False)
    inputs = layout.inputs
    modes = list(inputs.modes)
    admitted: dict[str, set[str]] = {site: set() for site in inputs.site_ids}
    for s, m in zip(inputs.opt_site, inputs.opt_mode, strict=True):
        admitted[inputs.site_ids[s]].add(modes[m])
    checked = 0
    for _, site in table.iterrows():
        mode, _ = assign_mode(site)
        assert plan_assign_mode(site)[0] == mode
        assert rule_mode[site["site_id"]] == mode
        # The mode score of the rule mode is the highest (rule weight 0.7 > 0.35 + 0.3).
        own = scores[scores["site_id"] == site["site_id"]]
        assert own.loc[own["score"].idxmax(), "mode"] == mode
        existing = "existing_center" in str(site["types"])  # keeps its own mode
        if site["site_id"] in admitted and not existing:
            assert admitted[site["site_id"]] == admissible_modes(site)
            assert mode in admitted[site["site_id"]]
            checked += 1
    assert checked >= 300


def test_the_thresholds_move_every_reader_together():
    """Raising the pillar threshold changes the plan's mode and the admissible modes alike."""
    from oicplan.assumptions import applied, value

    site = {"types": "capital", "pillar_innovation": 0.6, "pillar_talent": 0.1}
    assert assign_mode(site) == ("offshore_rd_center", "innovation")
    with applied({"mode.pillar_threshold": 0.65}):
        assert assign_mode(site) == ("offshore_incubator", "default")
        assert admissible_modes(site) == {"offshore_incubator"}
        assert np.isclose(value("mode.pillar_threshold"), 0.65)
    assert assign_mode(site) == ("offshore_rd_center", "innovation")


def test_every_table_keyed_by_mode_has_exactly_the_domains_modes():
    """Per-mode data (fit weights, placeholders, cost profiles) cover the same five modes."""
    from oicplan.domain import MODE_KEYS
    from oicplan.finance.cost import default_assumptions
    from oicplan.match.modes import MODE_FIT
    from oicplan.optimize.layout_scenario import PLACEHOLDER_CAPACITY, PLACEHOLDER_COSTS
    from oicplan.store import MODES

    for table in (MODE_FIT, PLACEHOLDER_COSTS, PLACEHOLDER_CAPACITY, default_assumptions().modes):
        assert set(table) == set(MODE_KEYS)
    assert tuple(MODES) == MODE_KEYS
