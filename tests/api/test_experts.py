"""REST routes of expert panels: list, create, judgments, group weights, save into a scenario."""

from __future__ import annotations

import math

import pytest

from oicplan.mcda import group_ahp_weights
from oicplan.scenario import scenario_yaml
from tests.api.backends import database_url  # noqa: F401  (SQLite and PostgreSQL)

CRITERIA = ["innovation", "talent", "market"]
CONSISTENT = [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]
INCONSISTENT = [[1, 3, 1 / 5], [1 / 3, 1, 7], [5, 1 / 7, 1]]


def _panel(client, auth, name="pillars3", criteria=CRITERIA, role="editor"):
    return client.post("/api/experts/panels", headers=auth(role),
                       json={"name": name, "title": "Three pillars", "criteria": criteria})


def _answer(client, auth, role, matrix, panel="pillars3"):
    return client.post(f"/api/experts/panels/{panel}/judgments", headers=auth(role),
                       json={"matrix": matrix})


def test_create_and_list_panels(client, auth):
    created = _panel(client, auth)
    assert created.status_code == 201, created.text
    panel = created.json()["panel"]
    assert (panel["name"], panel["criteria"], panel["created_by"], panel["answered"]) == (
        "pillars3", CRITERIA, "editor1", 0)
    every = client.post("/api/experts/panels", headers=auth("admin"),
                        json={"name": "all-pillars"})
    assert every.status_code == 201, every.text
    assert len(every.json()["panel"]["criteria"]) == 9  # the zhejiang pillars
    listed = client.get("/api/experts/panels", headers=auth("viewer"))
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json()["panels"]] == ["all-pillars", "pillars3"]


def test_submit_gives_cr_and_the_worst_comparison(client, auth):
    assert _panel(client, auth).status_code == 201
    good = _answer(client, auth, "editor", CONSISTENT)
    assert good.status_code == 200, good.text
    judgment = good.json()["judgment"]
    assert judgment["expert"] == "editor1" and judgment["author"] == "editor1"
    assert judgment["cr"] == pytest.approx(0, abs=1e-9) and judgment["worst"] is None

    bad = _answer(client, auth, "admin", INCONSISTENT)
    assert bad.status_code == 200, bad.text
    judgment = bad.json()["judgment"]
    assert judgment["expert"] == "admin1"
    assert judgment["cr"] > 0.1 and judgment["consistent"] is False
    worst = judgment["worst"]
    assert {worst["row"], worst["column"]} <= set(CRITERIA)
    assert worst["cr_after"] < judgment["cr"]


def test_panel_weights_are_the_group_ahp(client, auth):
    assert _panel(client, auth).status_code == 201
    empty = client.get("/api/experts/panels/pillars3/weights", headers=auth("viewer"))
    assert empty.status_code == 200 and empty.json()["weights"] is None
    assert _answer(client, auth, "editor", CONSISTENT).status_code == 200
    assert _answer(client, auth, "admin", INCONSISTENT).status_code == 200
    again = _answer(client, auth, "admin", CONSISTENT)  # a new answer replaces the old
    assert again.status_code == 200
    result = client.get("/api/experts/panels/pillars3/weights", headers=auth("viewer")).json()
    assert sorted(result["answered"]) == ["admin1", "editor1"]
    expected = group_ahp_weights([CONSISTENT, CONSISTENT])
    weights = [result["weights"][c] for c in CRITERIA]
    assert weights == pytest.approx(list(expected.weights), abs=1e-6)
    assert result["cr"] == pytest.approx(0, abs=1e-9)
    assert math.isclose(sum(weights), 1.0)


def test_assess_stores_nothing(client, auth):
    assert _panel(client, auth).status_code == 201
    response = client.post("/api/experts/assess", headers=auth("viewer"),
                           json={"criteria": CRITERIA, "matrix": INCONSISTENT})
    assert response.status_code == 200, response.text
    assert response.json()["cr"] > 0.1 and response.json()["worst"] is not None
    weights = client.get("/api/experts/panels/pillars3/weights", headers=auth("viewer")).json()
    assert weights["answered"] == []


def test_save_weights_into_a_stored_scenario(client, auth):
    assert client.post("/api/scenarios", headers=auth("editor"),
                       json={"name": "coast", "yaml_text": scenario_yaml("zhejiang")}
                       ).status_code == 201
    assert _panel(client, auth).status_code == 201
    assert _answer(client, auth, "editor", CONSISTENT).status_code == 200
    saved = client.post("/api/experts/panels/pillars3/weights/save", headers=auth("editor"),
                        json={"scenario": "coast", "base_version": 1})
    assert saved.status_code == 201, saved.text
    version = saved.json()["version"]
    assert (version["version"], version["author"]) == (2, "editor1")
    assert "pillars3" in version["message"]
    diff = client.get("/api/scenarios/coast/diff?old=1&new=2", headers=auth("viewer")).json()
    changed = {change["path"] for change in diff["changes"]}
    assert changed == {"weights.innovation", "weights.talent", "weights.market"}

    stale = client.post("/api/experts/panels/pillars3/weights/save", headers=auth("editor"),
                        json={"scenario": "coast", "base_version": 1})
    assert stale.status_code == 409, stale.text
    history = client.get("/api/scenarios/coast/versions", headers=auth("viewer")).json()
    assert [v["version"] for v in history["versions"]] == [1, 2]


def test_save_weights_of_an_unanswered_panel_is_400(client, auth):
    assert client.post("/api/scenarios", headers=auth("editor"),
                       json={"name": "coast", "yaml_text": scenario_yaml("zhejiang")}
                       ).status_code == 201
    assert _panel(client, auth).status_code == 201
    response = client.post("/api/experts/panels/pillars3/weights/save", headers=auth("editor"),
                           json={"scenario": "coast", "base_version": 1})
    assert response.status_code == 400 and response.json()["field"] == "panel"


def test_existing_panel_name_is_a_conflict(client, auth):
    assert _panel(client, auth).status_code == 201
    assert _panel(client, auth, criteria=["talent", "market"]).status_code == 409
    listed = client.get("/api/experts/panels", headers=auth("viewer")).json()["panels"]
    assert [p["criteria"] for p in listed] == [CRITERIA]


@pytest.mark.parametrize("method,path,body", [
    ("get", "/api/experts/panels/nowhere/weights", None),
    ("post", "/api/experts/panels/nowhere/judgments", {"matrix": CONSISTENT}),
    ("post", "/api/experts/panels/nowhere/weights/save", {"scenario": "coast",
                                                          "base_version": 1}),
])
def test_unknown_panel_is_404(client, auth, method, path, body):
    response = client.request(method, path, headers=auth("editor"), json=body)
    assert response.status_code == 404, response.text
    assert response.json()["field"] == "panel"


def test_saving_into_an_unknown_scenario_or_version_is_404(client, auth):
    assert _panel(client, auth).status_code == 201
    assert _answer(client, auth, "editor", CONSISTENT).status_code == 200
    response = client.post("/api/experts/panels/pillars3/weights/save", headers=auth("editor"),
                           json={"scenario": "nowhere", "base_version": 1})
    assert response.status_code == 404, response.text
    assert client.post("/api/scenarios", headers=auth("editor"),
                       json={"name": "coast", "yaml_text": scenario_yaml("zhejiang")}
                       ).status_code == 201
    response = client.post("/api/experts/panels/pillars3/weights/save", headers=auth("editor"),
                           json={"scenario": "coast", "base_version": 7})
    assert response.status_code == 404, response.text


@pytest.mark.parametrize("method,path", [
    ("get", "/api/experts/panels"), ("post", "/api/experts/panels"),
    ("post", "/api/experts/panels/p/judgments"), ("post", "/api/experts/assess"),
    ("get", "/api/experts/panels/p/weights"), ("post", "/api/experts/panels/p/weights/save"),
    ("get", "/api/experts/panels/p"), ("get", "/api/experts/panels/p/questionnaire"),
    ("get", "/api/experts/panels/p/judgments"), ("delete", "/api/experts/panels/p/judgments/x"),
])
def test_anonymous_gets_401(client, method, path):
    response = client.request(method, path, content=b"{not json",
                              headers={"Content-Type": "application/json"})
    assert response.status_code == 401


@pytest.mark.parametrize("path", [
    "/api/experts/panels", "/api/experts/panels/pillars3/judgments",
    "/api/experts/panels/pillars3/weights/save",
])
@pytest.mark.parametrize("content", [b"{not json", b'{"matrix": "x"}', b"{}"])
def test_viewer_write_gets_403_whatever_the_body(client, auth, path, content):
    assert _panel(client, auth).status_code == 201
    response = client.post(path, content=content,
                           headers={**auth("viewer"), "Content-Type": "application/json"})
    assert response.status_code == 403
    weights = client.get("/api/experts/panels/pillars3/weights", headers=auth("viewer")).json()
    assert weights["answered"] == []


@pytest.mark.parametrize("body", [
    b"{not json", b'{"matrix": "x"}', b'{"matrix": [[1, "a"], [1, 1]]}',
    b'{"matrix": [[1, 2]], "expert": "mallory"}', b"{}",
])
def test_malformed_judgment_is_422(client, auth, body):
    assert _panel(client, auth).status_code == 201
    response = client.post("/api/experts/panels/pillars3/judgments", content=body,
                           headers={**auth("editor"), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("matrix", [
    [[1, 2], [0.5, 1]],                                   # wrong size
    [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 2]],             # diagonal not 1
    [[1, 2, 4], [3, 1, 2], [0.25, 0.5, 1]],               # not reciprocal
    [[1, -2, 4], [-0.5, 1, 2], [0.25, 0.5, 1]],           # negative
])
def test_bad_matrix_is_400_naming_the_field(client, auth, matrix):
    assert _panel(client, auth).status_code == 201
    response = _answer(client, auth, "editor", matrix)
    assert response.status_code == 400, response.text
    assert response.json()["field"].startswith("matrix")


def test_nan_in_a_matrix_is_a_4xx(client, auth):
    assert _panel(client, auth).status_code == 201
    content = b'{"matrix": [[1, NaN, 4], [0.5, 1, 2], [0.25, 0.5, 1]]}'
    response = client.post("/api/experts/panels/pillars3/judgments", content=content,
                           headers={**auth("editor"), "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("body,status", [
    ({"name": "p", "criteria": ["innovation", "moon"]}, 400),
    ({"name": "p", "scenario": "nowhere"}, 400),
    ({"name": "bad/name"}, 400),
    ({"name": "p", "criteria": "innovation"}, 422),
    ({"name": 5}, 422),
    ({"name": "p", "created_by": "mallory"}, 422),
])
def test_bad_panel_is_4xx(client, auth, body, status):
    response = client.post("/api/experts/panels", headers=auth("editor"), json=body)
    assert response.status_code == status, response.text


def _framework_names() -> dict[str, tuple[str, str]]:
    """Pillar names read from the framework file itself (the oracle of the labels)."""
    from importlib import resources

    import yaml

    text = resources.files("oicplan.indicators").joinpath("default_framework.yaml").read_text(
        encoding="utf-8")
    return {p["id"]: (p["name_en"], p["name_zh"]) for p in yaml.safe_load(text)["pillars"]}


def test_questionnaire_lists_the_comparisons_in_order(client, auth):
    assert _panel(client, auth).status_code == 201
    response = client.get("/api/experts/panels/pillars3/questionnaire", headers=auth("viewer"))
    assert response.status_code == 200, response.text
    form = response.json()
    names = _framework_names()
    assert [(c["id"], c["name_en"], c["name_zh"]) for c in form["criteria"]] == [
        (c, *names[c]) for c in CRITERIA]
    pairs = [(q["row"], q["column"], q["row_index"], q["column_index"])
             for q in form["questions"]]
    assert pairs == [("innovation", "talent", 0, 1), ("innovation", "market", 0, 2),
                     ("talent", "market", 1, 2)]
    assert [q["number"] for q in form["questions"]] == [1, 2, 3]
    first = form["questions"][0]
    assert names["innovation"][1] in first["question_zh"]
    assert names["talent"][1] in first["question_zh"]
    assert names["innovation"][0] in first["question_en"]
    assert [s["value"] for s in form["scale"]] == list(range(1, 10))
    assert form["scale"][0]["label_zh"] == "同等重要"
    assert form["matrix"] is None and all(q["answer"] is None for q in form["questions"])
    assert form["expert"] == "viewer1"


def test_questionnaire_fills_in_the_experts_answer(client, auth):
    assert _panel(client, auth).status_code == 201
    assert _answer(client, auth, "editor", INCONSISTENT).status_code == 200
    mine = client.get("/api/experts/panels/pillars3/questionnaire",
                      headers=auth("editor")).json()
    assert [cell for row in mine["matrix"] for cell in row] == pytest.approx(
        [cell for row in INCONSISTENT for cell in row])
    assert [q["answer"] for q in mine["questions"]] == pytest.approx(
        [INCONSISTENT[0][1], INCONSISTENT[0][2], INCONSISTENT[1][2]])
    theirs = client.get("/api/experts/panels/pillars3/questionnaire",
                        params={"expert": "editor1"}, headers=auth("viewer")).json()
    assert theirs["matrix"] == mine["matrix"]
    # Answering the questions in the order given, into those cells, is a valid answer.
    matrix = [[1.0] * 3 for _ in range(3)]
    for question, value in zip(mine["questions"], (2, 4, 2), strict=True):
        matrix[question["row_index"]][question["column_index"]] = value
        matrix[question["column_index"]][question["row_index"]] = 1 / value
    again = _answer(client, auth, "admin", matrix)
    assert again.status_code == 200 and again.json()["judgment"]["cr"] == pytest.approx(0, abs=1e-9)


def test_who_has_answered_and_withdrawing(client, auth):
    assert _panel(client, auth).status_code == 201
    assert _answer(client, auth, "editor", CONSISTENT).status_code == 200
    assert _answer(client, auth, "admin", INCONSISTENT).status_code == 200
    listed = client.get("/api/experts/panels/pillars3/judgments", headers=auth("viewer"))
    assert listed.status_code == 200, listed.text
    answers = listed.json()["answers"]
    assert [(a["expert"], a["consistent"]) for a in answers] == [("admin1", False),
                                                                 ("editor1", True)]
    assert listed.json()["panel"]["answered"] == 2
    shown = client.get("/api/experts/panels/pillars3", headers=auth("viewer"))
    assert shown.status_code == 200 and shown.json()["panel"]["answered"] == 2

    # An editor withdraws only their own answer; an admin anyone's.
    others = client.delete("/api/experts/panels/pillars3/judgments/admin1",
                           headers=auth("editor"))
    assert others.status_code == 403
    own = client.delete("/api/experts/panels/pillars3/judgments/editor1", headers=auth("editor"))
    assert own.status_code == 200, own.text
    assert own.json()["panel"]["answered"] == 1
    weights = client.get("/api/experts/panels/pillars3/weights", headers=auth("viewer")).json()
    assert weights["answered"] == ["admin1"]
    assert [weights["weights"][c] for c in CRITERIA] == pytest.approx(
        list(group_ahp_weights([INCONSISTENT], warn=False).weights), abs=1e-6)
    again = client.delete("/api/experts/panels/pillars3/judgments/editor1",
                          headers=auth("editor"))
    assert again.status_code == 404 and again.json()["field"] == "expert"
    by_admin = client.delete("/api/experts/panels/pillars3/judgments/admin1",
                             headers=auth("admin"))
    assert by_admin.status_code == 200 and by_admin.json()["panel"]["answered"] == 0
    viewer = client.delete("/api/experts/panels/pillars3/judgments/viewer1",
                           headers=auth("viewer"))
    assert viewer.status_code == 403


@pytest.mark.parametrize("method,path", [
    ("get", "/api/experts/panels/nowhere"), ("get", "/api/experts/panels/nowhere/questionnaire"),
    ("get", "/api/experts/panels/nowhere/judgments"),
    ("delete", "/api/experts/panels/nowhere/judgments/admin1"),
])
def test_unknown_panel_is_404_for_the_new_routes(client, auth, method, path):
    response = client.request(method, path, headers=auth("admin"))
    assert response.status_code == 404, response.text
    assert response.json()["field"] == "panel"
