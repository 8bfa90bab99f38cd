"""Use cases of plan runs (oicplan.services.plan_runs) and job inputs (oicplan.services.jobs).

The comparison is checked on small hand-made plan documents whose answer is
known by construction (which sites each run chose, and each run's ranks), and
through the run store for its errors. The real plan runs are in
``tests/api/test_plans.py``.
"""

from __future__ import annotations

import pytest

from oicplan.errors import ConflictError, InputError, NotFoundError
from oicplan.services.jobs import (
    OptimizeJob,
    PlanJob,
    RankingJob,
    SensitivityJob,
    job_inputs,
)
from oicplan.services.plan_runs import (
    ComparePlansRequest,
    PlanRunRequest,
    compare_plans,
    map_of_run,
    plan_of_run,
    site_changes,
)
from oicplan.services.runs import (
    CreateRunRequest,
    FinishRunRequest,
    StartRunRequest,
    create_run,
    finish_run,
    start_run,
)


def _site(site_id, rank, score, mode="joint_lab", strategy="tech_frontier"):
    return {"site_id": site_id, "name": site_id.title(), "iso3": "XXX", "rank": rank,
            "score": score, "mode": mode, "strategy": strategy}


def _plan(sites, screened=None, weights=None, centers=None):
    return {
        "scenario": "zhejiang", "created": "2026-12-07T00:00:00Z",
        "dataset": {"version": "2025.test", "built": None, "sources": []},
        "method": {"ranking": "topsis", "normalization": "minmax", "selection": "greedy",
                   "per_country_cap": 2, "transport": {}, "uncertainty": {},
                   "weights": weights or {"innovation": 0.5, "market": 0.5}},
        "sites": sites, "screened_out": screened or {},
    }


PLAN_A = _plan([_site("seoul", 1, 0.9, mode="offshore_rd_center"), _site("vienna", 2, 0.8),
                _site("almaty", 3, 0.7)])
PLAN_B = _plan([_site("seoul", 1, 0.92, mode="joint_lab"), _site("osaka", 2, 0.85),
                _site("vienna", 3, 0.8)],
               screened={"almaty": "no value for 3 of 9 pillars"},
               weights={"innovation": 0.7, "market": 0.3})
RANKING_A = [{"site_id": s, "rank": r, "score": v} for s, r, v in
             [("seoul", 1, 0.9), ("vienna", 2, 0.8), ("almaty", 3, 0.7), ("osaka", 5, 0.6)]]
RANKING_B = [{"site_id": s, "rank": r, "score": v} for s, r, v in
             [("seoul", 1, 0.92), ("osaka", 2, 0.85), ("vienna", 3, 0.8)]]


def test_sites_that_enter_leave_and_stay_and_why():
    changes = {c.site_id: c for c in site_changes(PLAN_A, PLAN_B, RANKING_A, RANKING_B)}
    assert {s: c.change for s, c in changes.items()} == {
        "osaka": "entered", "almaty": "left", "seoul": "kept", "vienna": "kept"}
    osaka = changes["osaka"]
    assert (osaka.rank_a, osaka.rank_b, osaka.score_a, osaka.score_b) == (5, 2, 0.6, 0.85)
    assert [r.code for r in osaka.reasons] == ["rank_up"]
    assert osaka.reasons[0].text == "rank rose from 5 to 2 (score 0.6 → 0.85)"
    assert "第5位" in osaka.reasons[0].text_zh and "第2位" in osaka.reasons[0].text_zh
    almaty = changes["almaty"]
    assert (almaty.rank_a, almaty.rank_b, almaty.mode_a, almaty.mode_b) == (3, None, "joint_lab",
                                                                           None)
    assert [r.code for r in almaty.reasons] == ["screened_out_b"]
    assert "no value for 3 of 9 pillars" in almaty.reasons[0].text
    seoul = changes["seoul"]
    assert [(r.code, r.values) for r in seoul.reasons] == [
        ("mode_changed", {"mode_a": "offshore_rd_center", "mode_b": "joint_lab"})]
    from oicplan.domain import CENTER_MODES

    english = CENTER_MODES["offshore_rd_center"][0], CENTER_MODES["joint_lab"][0]
    assert seoul.reasons[0].text == f"center mode changed from {english[0]} to {english[1]}"
    assert CENTER_MODES["joint_lab"][1] in seoul.reasons[0].text_zh
    assert "joint_lab" not in seoul.reasons[0].text_zh
    vienna = changes["vienna"]
    assert [r.code for r in vienna.reasons] == ["rank_down"]


def test_chinese_names_and_screening_reasons_where_the_plans_have_them():
    plan_b = {**PLAN_B, "screened_out_zh": {"almaty": "9个支柱中有3个缺值"},
              "sites": [{**site, "name_zh": "大阪"} if site["site_id"] == "osaka" else site
                        for site in PLAN_B["sites"]]}
    changes = {c.site_id: c for c in site_changes(PLAN_A, plan_b, RANKING_A, RANKING_B)}
    assert (changes["osaka"].name, changes["osaka"].name_zh) == ("Osaka", "大阪")
    assert changes["vienna"].name_zh == "Vienna"  # no Chinese name: the original
    almaty = changes["almaty"].reasons[0]
    assert "9个支柱中有3个缺值" in almaty.text_zh and "no value" in almaty.text


def test_the_order_is_entered_left_kept_each_by_rank():
    changes = site_changes(PLAN_A, PLAN_B, RANKING_A, RANKING_B)
    assert [(c.change, c.site_id) for c in changes] == [
        ("entered", "osaka"), ("left", "almaty"), ("kept", "seoul"), ("kept", "vienna")]


def test_without_rankings_only_the_chosen_sites_ranks_are_known():
    changes = {c.site_id: c for c in site_changes(PLAN_A, PLAN_B)}
    assert (changes["osaka"].rank_a, changes["osaka"].rank_b) == (None, 2)
    assert [r.code for r in changes["osaka"].reasons] == ["not_ranked_a"]


def test_same_plans_change_nothing():
    changes = site_changes(PLAN_A, PLAN_A, RANKING_A, RANKING_A)
    assert {c.change for c in changes} == {"kept"}
    assert all(c.reasons == () for c in changes)


@pytest.fixture()
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'runs.sqlite'}"


def _plan_run(url, plan, ranking, map_layers=None):
    run = create_run(CreateRunRequest(database_url=url, kind="plan",
                                      inputs={"scenario": "zhejiang"}, scenario="zhejiang")).run
    start_run(StartRunRequest(database_url=url, run_id=run.id))
    results = {"plan": plan, "ranking": ranking}
    if map_layers is not None:
        results["map"] = map_layers
    finish_run(FinishRunRequest(database_url=url, run_id=run.id, results=results))
    return run.id


def test_compare_plans_reads_the_runs(url):
    a, b = _plan_run(url, PLAN_A, RANKING_A), _plan_run(url, PLAN_B, RANKING_B)
    comparison = compare_plans(ComparePlansRequest(database_url=url, a=a, b=b))
    assert [c.site_id for c in comparison.entered] == ["osaka"]
    assert [c.site_id for c in comparison.left] == ["almaty"]
    assert [c.site_id for c in comparison.kept] == ["seoul", "vienna"]
    assert {(s.setting, s.a, s.b) for s in comparison.settings} == {
        ("weights.innovation", 0.5, 0.7), ("weights.market", 0.5, 0.3)}
    assert (comparison.a.run_id, comparison.b.centers) == (a, 3)


def test_compare_plans_refuses_what_is_not_a_finished_plan(url):
    a = _plan_run(url, PLAN_A, RANKING_A)
    ranking = create_run(CreateRunRequest(database_url=url, kind="ranking", inputs={})).run.id
    running = create_run(CreateRunRequest(database_url=url, kind="plan", inputs={})).run.id
    start_run(StartRunRequest(database_url=url, run_id=running))
    with pytest.raises(InputError) as wrong_kind:
        compare_plans(ComparePlansRequest(database_url=url, a=a, b=ranking))
    assert wrong_kind.value.field == "b" and not isinstance(wrong_kind.value, NotFoundError)
    with pytest.raises(ConflictError, match="running"):
        compare_plans(ComparePlansRequest(database_url=url, a=running, b=a))
    with pytest.raises(NotFoundError):
        compare_plans(ComparePlansRequest(database_url=url, a="0123abcd", b=a))


def test_plan_and_map_of_a_run(url):
    from pydantic import ValidationError

    layers = {"scenario": "zhejiang", "candidates": [], "chosen": [], "existing_centers": [],
              "zones": [], "hubs": [], "rail_lines": [[[30.0, 120.0], [52.5, 13.4]]],
              "sea_lanes": []}
    run_id = _plan_run(url, PLAN_A, RANKING_A, layers)
    with pytest.raises(ValidationError):  # a hand-made plan lacks keys plan.json has
        plan_of_run(PlanRunRequest(database_url=url, run_id=run_id))
    assert map_of_run(PlanRunRequest(database_url=url, run_id=run_id)).rail_lines == [
        [[30.0, 120.0], [52.5, 13.4]]]
    ranking = create_run(CreateRunRequest(database_url=url, kind="ranking", inputs={})).run.id
    with pytest.raises(NotFoundError, match="not a plan"):
        plan_of_run(PlanRunRequest(database_url=url, run_id=ranking))
    without_map = _plan_run(url, PLAN_A, RANKING_A)
    with pytest.raises(NotFoundError, match="no map"):
        map_of_run(PlanRunRequest(database_url=url, run_id=without_map))


# ----------------------------------------------------------------------- job inputs


def test_job_inputs_by_kind():
    assert isinstance(job_inputs({"kind": "plan"}), PlanJob)
    assert isinstance(job_inputs({"kind": "ranking"}), RankingJob)
    assert isinstance(job_inputs({"kind": "sensitivity"}), SensitivityJob)
    assert isinstance(job_inputs({"kind": "optimize"}), OptimizeJob)
    plan = job_inputs({"kind": "plan", "scenario": "balanced", "centers": 6,
                       "avoid": ["suez"]}).request("sqlite:///x.sqlite")
    assert (plan.scenario, plan.centers, plan.avoid, plan.report) == (
        "balanced", 6, ["suez"], True)
    assert plan.database_url == "sqlite:///x.sqlite"
    optimize = job_inputs({"kind": "optimize", "max_centers": 4, "horizon": 5}).request()
    assert (optimize.max_centers, optimize.horizon, optimize.costs, optimize.chart) == (
        4, 5, None, None)
    sensitivity = job_inputs({"kind": "sensitivity", "scenario": "coast"}).request("/d/s.yaml")
    assert (sensitivity.scenario, sensitivity.matrix, sensitivity.scheduler) == (
        "/d/s.yaml", None, None)


@pytest.mark.parametrize("data,field", [
    ({}, "kind"), ({"kind": "moon"}, "kind"),
    ({"kind": "plan", "scenario": "a/b"}, "scenario"),
    ({"kind": "plan", "scenario": "C:\\x"}, "scenario"),
    ({"kind": "plan", "scenario": "x.YAML"}, "scenario"),
    ({"kind": "plan", "lang": "de"}, "lang"),
    ({"kind": "sensitivity", "samples": 10**9}, "samples"),
    ({"kind": "sensitivity", "plot": "/tmp/p.png"}, "plot"),
    ({"kind": "optimize", "points": 1}, "points"),
    ({"kind": "ranking", "weights": {"innovation": float("nan")}}, "weights.innovation"),
])
def test_job_inputs_refuse_what_a_job_cannot_use(data, field):
    with pytest.raises(InputError) as error:
        job_inputs(data)
    assert error.value.field == field
