"""Closing corridors: access, ranking and plan compared with the undisturbed case."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from oicplan.cli import app
from oicplan.disruption import disruption_impact
from oicplan.errors import InputError
from oicplan.ranking import rank_sites
from oicplan.scenario import load_scenario


@pytest.fixture(scope="module")
def suez_closed():
    return disruption_impact(load_scenario("zhejiang"), ["suez", "bab-el-mandeb"])


def test_closing_suez_slows_sites_beyond_it(suez_closed):
    access = suez_closed.access.set_index("site_id")
    beirut = access.loc["LBN-beirut"]
    assert beirut["change"] == "slower"
    assert beirut["days_after"] > beirut["days_before"]
    assert "Suez" in beirut["corridor_before"] and "Suez" not in beirut["corridor_after"]
    assert access.loc["THA-rayong", "change"] == "unchanged"  # east of Malacca


def test_slower_access_lowers_connectivity_and_ranks_move(suez_closed):
    before = suez_closed.before.ranked.table.set_index("site_id")
    after = suez_closed.after.ranked.table.set_index("site_id")
    assert (
        after.at["LBN-beirut", "pillar_connectivity"]
        < before.at["LBN-beirut", "pillar_connectivity"]
    )
    moved = suez_closed.ranks
    assert (moved["rank_change"] != 0).any()
    document = suez_closed.to_dict()
    assert document["access_changes"]["slower"] > 0
    assert set(document["plan_entering"]) == set(suez_closed.entering)


def test_unknown_closure_is_named():
    scenario = load_scenario("zhejiang")
    bad = scenario.model_copy(
        update={"transport": scenario.transport.model_copy(update={"avoid": ["atlantis"]})}
    )
    with pytest.raises(InputError) as error:
        rank_sites(bad)
    assert error.value.field == "transport.avoid"


def test_disrupt_command_json():
    result = CliRunner().invoke(app, ["disrupt", "--avoid", "alashankou", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["avoid"] == ["alashankou"]
    lost = {row["site_id"] for row in document["sites_hit"] if row["change"] == "lost"}
    assert lost, "closing Alashankou cuts some rail access"


def test_avoid_help_names_every_passage_and_crossing_the_graph_knows():
    from oicplan.cli.runtime import AVOID_HELP as _AVOID_HELP
    from oicplan.geo.rail import BORDER_CROSSINGS
    from oicplan.geo.sea import PASSAGES

    for name in (*PASSAGES, *BORDER_CROSSINGS):
        assert name in _AVOID_HELP, name
