"""plan.json has one model and a published JSON Schema; every built-in plan validates."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from oicplan.plan import make_plan
from oicplan.plan_document import PlanDocument, plan_json_schema
from oicplan.scenario import BUILTIN_SCENARIOS, load_scenario

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "plan.schema.json"

# Every key plan.json had before it had a model (commit 8b9f4e5): none may go.
KEYS_BEFORE = {
    "scenario", "scenario_title", "created", "oicplan_version", "dataset", "method",
    "candidates", "screened_out", "sites", "existing_centers", "notes", "optimizer",
    "pareto", "pareto_risk", "robustness",
}
SITE_KEYS_BEFORE = {
    "site_id", "name", "iso3", "country_en", "country_zh", "lat", "lon", "site_type", "types",
    "mode", "strategy", "strategies_eligible", "score", "rank", "pillars", "rank_interval",
    "robustness_share", "mode_reason", "mode_reason_zh", "year", "setup_cost", "annual_cost",
    "mode_scores", "park_view",
}


def test_the_published_schema_is_the_models_schema():
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == plan_json_schema(), (
        "docs/plan.schema.json is out of date: run "
        "python -c 'from oicplan.plan_document import write_plan_schema as w; "
        "w(\"docs/plan.schema.json\")'"
    )


def test_the_schema_rejects_a_document_without_its_sites():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"scenario": "x"})


@pytest.fixture(scope="module")
def zhejiang_document():
    return make_plan(load_scenario("zhejiang")).to_dict()


def test_the_full_zhejiang_plan_validates_and_keeps_every_key(zhejiang_document):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(zhejiang_document)
    assert set(zhejiang_document) >= KEYS_BEFORE
    for site in zhejiang_document["sites"]:
        assert set(site) >= SITE_KEYS_BEFORE
    # The frontiers and the robustness re-solves are there, each with its solve status.
    assert zhejiang_document["pareto"] and zhejiang_document["robustness"]
    assert all(point["status"] for point in zhejiang_document["pareto"])
    for point in zhejiang_document["pareto"]:
        assert point["polish_status"] and point["benefit_status"] and point["metric_status"]
    robustness = zhejiang_document["robustness"]
    assert len(robustness["draw_statuses"]) == robustness["samples"]
    assert sum(robustness["statuses"].values()) == robustness["samples"]
    solves = zhejiang_document["solves"]
    assert solves["main"] == zhejiang_document["optimizer"]["status"]
    # Every frontier point takes three solves, besides the ends of its range.
    assert solves["pareto"]["solves"] >= 3 * len(zhejiang_document["pareto"])
    assert sum(solves["pareto"]["statuses"].values()) == solves["pareto"]["solves"]
    # The model round-trips its own dump.
    again = PlanDocument.model_validate(zhejiang_document).model_dump(mode="json")
    assert again == zhejiang_document


@pytest.mark.parametrize("name", [n for n in BUILTIN_SCENARIOS if n != "zhejiang"])
def test_every_builtin_scenario_plan_validates_against_the_schema(name):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    scenario = load_scenario(name)
    # The schema is the point, not the optimum: short solves (a stopped one is
    # "feasible" with its gap, which the schema must accept too).
    quick = scenario.selection.model_copy(
        update={"robustness_samples": 2, "frontier_time_limit": 2.0})
    document = make_plan(scenario.model_copy(update={"selection": quick})).to_dict()
    jsonschema.Draft202012Validator(schema).validate(document)
    assert set(document) >= KEYS_BEFORE


def test_an_unknown_key_in_a_site_is_refused(zhejiang_document):
    broken = json.loads(json.dumps(zhejiang_document))
    broken["sites"][0]["surprise"] = 1
    with pytest.raises(ValueError, match="surprise"):
        PlanDocument.model_validate(broken)
