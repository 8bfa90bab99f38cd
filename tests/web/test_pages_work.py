"""The working pages: expert panel, optimizer, scenarios, centers and reports (issue 10).

Every page answers a signed-in user of any role and sends an anonymous visitor to
sign in; editor-only controls are absent for viewers (and the API refuses their
writes); what users type (panel titles, scenario names and messages, run errors)
shows as text; an unknown panel, scenario or run is an HTML 404 naming it.
"""

from __future__ import annotations

import json
import re

import pytest

PAGES = ("/experts", "/optimizer", "/scenarios", "/centers", "/reports")
EDITOR_CONTROLS = {
    "/experts": 'id="new-panel-form"',
    "/optimizer": 'id="optimize-start"',
    "/scenarios": 'id="new-scenario-form"',
    "/centers": 'id="kpi-form"',
    "/reports": 'id="plan-form"',
}
EVIL = "<script>alert('x')</script>"
EVIL_ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"


def _data(html: str, block: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S)
    assert found, block
    return json.loads(found.group(1))


def _run(database_url: str, kind: str, inputs: dict, results: dict | None,
         files: list[str] = (), error: str | None = None) -> str:
    """A run stored as the job runner stores one (done with results, or failed)."""
    from oicplan.services.runs import (
        CreateRunRequest,
        FailRunRequest,
        FinishRunRequest,
        StartRunRequest,
        create_run,
        fail_run,
        finish_run,
        start_run,
    )

    run = create_run(CreateRunRequest(database_url=database_url, kind=kind, inputs=inputs,
                                      scenario=inputs.get("scenario"), created_by="editor1")).run
    start_run(StartRunRequest(database_url=database_url, run_id=run.id))
    if error is not None:
        fail_run(FailRunRequest(database_url=database_url, run_id=run.id, error=error))
    else:
        finish_run(FinishRunRequest(database_url=database_url, run_id=run.id,
                                    results=results or {}, report_files=list(files)))
    return run.id


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_every_page_answers_every_role_and_shows_write_controls_to_editors_only(
        client, signed_in, role):
    signed_in(role)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert response.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert f'href="{path}" id="nav-{path[1:]}" aria-current="page"' in response.text
        shown = EDITOR_CONTROLS[path] in response.text
        assert shown is (role != "viewer"), (path, role)
        assert ('data-testid="viewer-note"' in response.text) is (role == "viewer")


def test_the_pages_are_chinese_by_default_and_english_when_asked(client, signed_in):
    signed_in("viewer")
    assert "专家打分" in client.get("/experts").text
    assert "布局优化" in client.get("/optimizer").text
    english = client.get("/scenarios", params={"lang": "en"}).text
    assert "Stored scenarios" in english and "已保存的情景" not in english


def test_expert_panel_questionnaire_answers_and_group_weights(client, signed_in):
    token = signed_in("editor")
    made = client.post("/api/experts/panels", headers={"X-CSRF-Token": token},
                       json={"name": "p1", "title": EVIL, "criteria": None})
    assert made.status_code == 201, made.text
    criteria = made.json()["panel"]["criteria"]
    n = len(criteria)
    page = client.get("/experts", params={"panel": "p1"})
    assert page.status_code == 200
    # Every pair of pillars once, as a slider; nothing answered yet.
    assert page.text.count('class="pair"') == n * (n - 1) // 2
    assert EVIL not in page.text and EVIL_ESCAPED in page.text
    data = _data(page.text, "experts-data")
    assert [c["id"] for c in data["criteria"]] == criteria and data["can_edit"] is True
    assert data["answered"] == []
    assert 'data-testid="submit-judgment"' in page.text
    assert 'id="withdraw-judgment"' not in page.text
    # An inconsistent answer: row 0 over 1 by 9, 1 over 2 by 9, but 2 over 0 by 9.
    matrix = [[1.0] * n for _ in range(n)]
    for i, j, v in ((0, 1, 9.0), (1, 2, 9.0), (0, 2, 1 / 9)):
        matrix[i][j], matrix[j][i] = v, 1 / v
    assessed = client.post("/api/experts/assess", headers={"X-CSRF-Token": token},
                           json={"criteria": criteria, "matrix": matrix}).json()
    assert assessed["consistent"] is False and assessed["worst"] is not None
    submitted = client.post("/api/experts/panels/p1/judgments", headers={"X-CSRF-Token": token},
                            json={"matrix": matrix})
    assert submitted.status_code == 200, submitted.text
    page = client.get("/experts", params={"panel": "p1"}).text
    # The earlier answer fills the sliders: 9 for row over column is the far left (-8).
    first = re.search(r'data-testid="question-1".*?value="(-?\d+)"', page, re.S).group(1)
    assert first == "-8"
    assert 'data-testid="group-weights"' in page and 'data-testid="answers"' in page
    assert ">editor1<" in page and 'id="withdraw-judgment"' in page
    assert _data(page, "experts-data")["answered"] == ["editor1"]


def test_a_viewer_sees_the_panel_but_cannot_answer(client, signed_in, database_url):
    from oicplan.services.panels import CreatePanelRequest, create_panel

    create_panel(CreatePanelRequest(database_url=database_url, name="p2", created_by="admin1"))
    token = signed_in("viewer")
    page = client.get("/experts", params={"panel": "p2"})
    assert page.status_code == 200 and 'class="pair"' in page.text
    assert "submit-judgment" not in page.text and "save-weights-form" not in page.text
    assert _data(page.text, "experts-data")["can_edit"] is False
    refused = client.post("/api/experts/panels/p2/judgments", headers={"X-CSRF-Token": token},
                          json={"matrix": "not even a matrix"})
    assert refused.status_code == 403


def test_an_unknown_panel_scenario_or_run_is_a_404_page_naming_it(client, signed_in):
    signed_in("viewer")
    for path, params in (("/experts", {"panel": EVIL}), ("/scenarios", {"name": EVIL}),
                         ("/optimizer", {"run": EVIL}), ("/reports", {"run": EVIL})):
        page = client.get(path, params=params)
        assert page.status_code == 404, path
        assert page.headers["content-type"].startswith("text/html")
        assert EVIL not in page.text and EVIL_ESCAPED in page.text, path


def test_scenario_editor_history_diff_and_conflict(client, signed_in):
    from oicplan.scenario import scenario_yaml

    token = signed_in("editor")
    page = client.get("/scenarios")
    builtins = _data(page.text, "scenarios-data")["builtins"]
    assert "zhejiang" in builtins and "selection:" in builtins["zhejiang"]
    text = scenario_yaml("zhejiang")
    made = client.post("/api/scenarios", headers={"X-CSRF-Token": token},
                       json={"name": "coast", "yaml_text": text, "message": EVIL})
    assert made.status_code == 201, made.text
    changed = text.replace("centers: ", "centers: 1", 1) if "centers: " in text else text + "\n"
    second = client.post("/api/scenarios/coast/versions", headers={"X-CSRF-Token": token},
                         json={"yaml_text": changed, "base_version": 1, "message": "more"})
    assert second.status_code == 201, second.text
    page = client.get("/scenarios", params={"name": "coast"})
    assert page.status_code == 200
    assert _data(page.text, "scenarios-data")["base_version"] == 2
    assert 'data-testid="history"' in page.text and "v1" in page.text and "v2" in page.text
    assert EVIL not in page.text and EVIL_ESCAPED in page.text  # the first version's message
    # An older version opens with its own base version and a warning.
    old = client.get("/scenarios", params={"name": "coast", "version": "1"}).text
    assert _data(old, "scenarios-data")["base_version"] == 1
    assert "旧版本" in old
    # Saving from the stale base is refused (409) and stores nothing.
    stale = client.post("/api/scenarios/coast/versions", headers={"X-CSRF-Token": token},
                        json={"yaml_text": text, "base_version": 1})
    assert stale.status_code == 409
    assert client.get("/api/scenarios/coast/versions").json()["versions"][-1]["version"] == 2
    diff = client.get("/scenarios", params={"name": "coast", "old": "1", "new": "2"}).text
    assert 'data-testid="diff"' in diff
    if changed != text:
        assert 'class="add"' in diff and 'class="del"' in diff


def test_a_viewer_reads_a_scenario_without_an_editor(client, signed_in, database_url):
    from oicplan.scenario import scenario_yaml
    from oicplan.services.scenarios import SaveScenarioRequest, save_scenario

    save_scenario(SaveScenarioRequest(database_url=database_url, name="inland",
                                      yaml_text=scenario_yaml("zhejiang"), author="editor1"))
    signed_in("viewer")
    page = client.get("/scenarios", params={"name": "inland"}).text
    assert "readonly" in page and 'id="save-scenario"' not in page
    assert _data(page, "scenarios-data")["builtins"] == {}


def test_optimizer_page_shows_a_finished_run(client, signed_in, database_url):
    document = {
        "status": "optimal", "benefit": {"total": 3.5}, "cost": 42.0, "total_risk": 1.25,
        "horizon": 3, "scenario": "zhejiang",
        "chosen": [
            {"site_id": "KOR-seoul", "mode": "offshore_rd_center", "year": 1, "existing": False,
             "name": "Seoul", "iso3": "KOR", "score": 0.56},
            {"site_id": "X-evil", "mode": "joint_lab", "year": 2, "existing": False,
             "name": EVIL, "iso3": "XXX", "score": None},
        ],
        "pareto": [{"against": "cost", "benefit": 2.0, "cost": 10.0, "centers": 2, "sites": ""},
                   {"against": "cost", "benefit": 3.5, "cost": 42.0, "centers": 3, "sites": ""}],
        "constraints": ["max 3 centers"], "assumptions": [EVIL], "notes": [],
    }
    run_id = _run(database_url, "optimize", {"kind": "optimize", "scenario": "zhejiang"},
                  {"optimize": document})
    signed_in("viewer")
    page = client.get("/optimizer", params={"run": run_id})
    assert page.status_code == 200
    text = page.text
    assert 'data-testid="portfolio"' in text and "首尔" in text  # the Chinese name of Seoul
    assert "海外研发中心" in text and "第 2 年" in text
    assert 'data-testid="pareto-chart"' in text and 'data-testid="timeline-chart"' in text
    assert EVIL not in text and EVIL_ESCAPED in text
    assert _data(text, "optimizer-data")["result"]["cost"] == 42.0
    assert f'href="/optimizer?run={run_id}"' in client.get("/optimizer").text
    # A plan run is not an optimizer run.
    plan_id = _run(database_url, "plan", {"kind": "plan", "scenario": "zhejiang"}, {})
    assert client.get("/optimizer", params={"run": plan_id}).status_code == 404


def test_reports_page_offers_the_downloads_of_a_done_plan_run(client, signed_in, database_url):
    files = ["plan.json", "report.html", "plan.xlsx", "plan.docx", "plan.pdf", "ranking.csv"]
    done = _run(database_url, "plan", {"kind": "plan", "scenario": "zhejiang"}, {}, files)
    failed = _run(database_url, "plan", {"kind": "plan", "scenario": "zhejiang"}, None,
                  error=EVIL)
    signed_in("viewer")
    page = client.get("/reports", params={"run": done}).text
    for name in ("report.html", "plan.xlsx", "plan.docx", "plan.pdf"):
        assert f'href="/api/runs/{done}/files/{name}"' in page, name
    assert "Word 文档（DOCX）" in page and "ranking.csv" in page
    # The order: HTML, XLSX, DOCX, PDF.
    positions = [page.index(f"/files/{name}") for name in ("report.html", "plan.xlsx",
                                                           "plan.docx", "plan.pdf")]
    assert positions == sorted(positions)
    bad = client.get("/reports", params={"run": failed}).text
    assert "/files/" not in bad and EVIL not in bad and EVIL_ESCAPED in bad
    listing = client.get("/reports").text
    assert f"/reports?run={done}" in listing and f"/reports?run={failed}" in listing


def test_comparing_two_plan_runs_needs_finished_plans(client, signed_in, database_url):
    first = _run(database_url, "plan", {"kind": "plan", "scenario": "zhejiang"}, {})
    second = _run(database_url, "plan", {"kind": "plan", "scenario": "zhejiang"}, {})
    signed_in("viewer")
    page = client.get("/scenarios", params={"a": first, "b": second})
    assert page.status_code == 200
    assert 'data-testid="compare-a"' in page.text
    # Runs without a stored plan cannot be compared: the reason is shown, not a 500.
    assert 'data-testid="compare-error"' in page.text


def test_centers_page_lists_the_registry(client, signed_in, database_url):
    from oicplan.services.registry import ListCentersRequest, list_centers

    centers = list_centers(ListCentersRequest(database_url=database_url)).centers
    signed_in("viewer")
    page = client.get("/centers").text
    assert page.count("data-center-id=") == len(centers)
    assert 'data-testid="alerts"' in page


def test_a_kpi_upload_with_a_bad_row_is_refused_naming_it(client, signed_in):
    token = signed_in("editor")
    bad = "center_id,year,kpi,value,unit\nno-such-center,2024,patents,3,count\n"
    answer = client.post("/api/centers/kpis", headers={"X-CSRF-Token": token},
                         files={"file": ("kpis.csv", bad.encode(), "text/csv")})
    assert answer.status_code == 400
    assert "kpis.csv" in answer.json()["detail"]


@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("editor", True)])
def test_a_running_run_can_be_cancelled_from_its_page_by_editors(
        client, signed_in, database_url, role, shown):
    from oicplan.services.runs import CreateRunRequest, StartRunRequest, create_run, start_run

    run = create_run(CreateRunRequest(database_url=database_url, kind="plan",
                                      inputs={"kind": "plan"}, scenario="zhejiang",
                                      created_by="editor1")).run
    start_run(StartRunRequest(database_url=database_url, run_id=run.id))
    signed_in(role)
    page = client.get("/reports", params={"run": run.id}).text
    assert 'id="run-progress"' in page and "/files/" not in page
    assert ('id="run-cancel"' in page) is shown
    assert _data(page, "reports-data")["run"]["status"] == "running"


def test_every_stage_message_of_the_job_runner_has_its_chinese_wording():
    """The pages show a run's stage (oicplan.api.jobs, oicplan.services.optimize) in Chinese."""
    from pathlib import Path

    from oicplan.web.messages import MESSAGES

    source = Path(__file__).resolve().parents[2] / "src" / "oicplan"
    messages: set[str] = set()
    for path in (source / "api" / "jobs.py", source / "services" / "optimize.py"):
        text = path.read_text(encoding="utf-8")
        messages |= set(re.findall(r'(?:stage\([^,]+,|step\()\s*"([^"{]+)"', text))
    assert "checking the scenario" in messages
    for message in messages:
        slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
        assert f"run.stage.{slug}" in MESSAGES["zh"], message
