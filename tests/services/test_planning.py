"""The planning services give what the library gives, typed and immutable."""

from __future__ import annotations

import pydantic
import pytest

from oicplan.errors import InputError
from oicplan.ranking import rank_sites
from oicplan.scenario import load_scenario
from oicplan.services.planning import (
    AuditRequest,
    RankRequest,
    ScenarioShowRequest,
    ScenarioValidateRequest,
    audit,
    load_request_scenario,
    rank,
    scenario_show,
    scenario_validate,
)


@pytest.fixture(scope="module")
def ranked():
    return rank_sites(load_scenario("zhejiang"))


@pytest.fixture(scope="module")
def result():
    return rank(RankRequest())


def test_rank_rows_are_the_library_ranking(ranked, result):
    table = ranked.table
    assert result.candidates == len(table)
    assert [s.site_id for s in result.sites] == table["site_id"].tolist()
    first = table.iloc[0]
    assert result.sites[0].score == pytest.approx(first["score"], abs=1e-6)
    for pillar in ranked.pillar_ids:
        assert result.sites[0].pillars[pillar] == pytest.approx(first[f"pillar_{pillar}"], abs=1e-6)


def test_results_and_requests_are_immutable(result):
    with pytest.raises(pydantic.ValidationError):
        result.sites[0].rank = 99  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        RankRequest(scenario="zhejiang", surprise=1)  # type: ignore[call-arg]


def test_the_dump_is_json_ready_and_leaves_the_library_object_out(result):
    dumped = result.model_dump(mode="json")
    assert "ranked" not in dumped
    assert result.ranked is not None
    assert dumped["sites"][0]["rank"] == 1


def test_new_weights_rerank_as_the_library_does_with_those_weights():
    weights = {"innovation": 5.0}
    reranked = rank(RankRequest(weights=weights))
    scenario = load_scenario("zhejiang")
    expected = rank_sites(scenario.model_copy(update={"weights": {**scenario.weights, **weights}}))
    assert [s.site_id for s in reranked.sites[:20]] == expected.table["site_id"].head(20).tolist()


def test_a_bad_override_names_its_field():
    with pytest.raises(InputError) as error:
        load_request_scenario(RankRequest(weights={"charm": 1.0}))
    assert error.value.field == "weights"
    with pytest.raises(InputError) as error:
        load_request_scenario(RankRequest(method="astrology"))
    assert error.value.field == "method"


def test_closures_are_added_to_the_scenarios_own():
    scenario = load_request_scenario(RankRequest(avoid=["suez", "hormuz"]))
    assert scenario.transport.avoid[-2:] == ["suez", "hormuz"]


def test_audit_reports_pillar_coherence_and_names_a_bad_site():
    document = audit(AuditRequest()).document()
    assert {row["node"] for row in document["pillars"]} >= {"index", "innovation"}
    assert "site" not in document and "compare" not in document
    with pytest.raises(InputError) as error:
        audit(AuditRequest(site="XXX-nowhere"))
    assert error.value.field == "site"


def test_scenario_show_and_validate(tmp_path):
    text = scenario_show(ScenarioShowRequest(name="zhejiang")).yaml
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    assert scenario_validate(ScenarioValidateRequest(path=str(path))).candidates > 300


def test_a_plan_for_the_report_gives_the_same_document_with_its_map_and_network():
    """Frontier solves in the background change nothing in the plan."""
    from oicplan.services.planning import PlanRequest, plan

    calls: list[tuple] = []  # the adapter's hook, called while the solves may run

    def hook(*given):
        calls.append(given)

    quick = plan(PlanRequest(frontiers=True), while_solving=hook).document.model_dump(
        mode="json")
    assert calls == []  # no report asked for: no report work to do meanwhile
    full = plan(PlanRequest(report=True), while_solving=hook)
    again = full.document.model_dump(mode="json")
    for key in ("sites", "pareto", "pareto_risk", "robustness", "solves"):
        assert again[key] == quick[key], key
    assert full.map_layers is not None and full.network is not None
    assert full.plan._pending is None  # every background solve was waited for
    assert len(calls) == 1
    made, layers, network = calls[0]
    assert made is full.plan and layers is full.map_layers and network is full.network


def test_a_stored_scenario_ranks_by_name_and_version(tmp_path):
    """Ranking a stored scenario by name uses its latest version unless one is named."""
    from oicplan.scenario import scenario_yaml
    from oicplan.services.scenarios import SaveScenarioRequest, save_scenario

    url = f"sqlite:///{tmp_path}/store.db"
    text = scenario_yaml("zhejiang")
    save_scenario(SaveScenarioRequest(database_url=url, name="mine", yaml_text=text, author="li"))
    heavier = text.replace("innovation: ", "innovation: 9  # was ", 1)
    save_scenario(SaveScenarioRequest(
        database_url=url, name="mine", yaml_text=heavier, author="li", base_version=1
    ))
    first = rank(RankRequest(scenario="mine", scenario_version=1, database_url=url))
    latest = rank(RankRequest(scenario="mine", database_url=url))
    builtin = rank(RankRequest(scenario="zhejiang"))
    assert [s.site_id for s in first.sites] == [s.site_id for s in builtin.sites]
    assert latest.ranked.weights != builtin.ranked.weights
    with pytest.raises(InputError) as error:
        rank(RankRequest(scenario="nobody", database_url=url))
    assert error.value.field == "scenario" and "unknown scenario" in error.value.message
    with pytest.raises(InputError) as error:
        rank(RankRequest(scenario="mine", scenario_version=7, database_url=url))
    assert error.value.field == "scenario_version"
