"""The working pages: expert panel, optimizer, scenarios, centers and plan reports.

Each page needs a signed-in user (any role) and renders what the services return
(:mod:`oicplan.services.panels`, ``.runs``, ``.scenarios``, ``.plan_runs``,
``.registry``). What changes while the planner works goes through the REST API
from the page's script, with the session cookie and its CSRF token: the live
consistency ratio (``POST /api/experts/assess``), answers, saves, uploads and
runs (``POST /api/runs``, ``/api/plans``, followed on ``/api/runs/{id}/events``).
Write controls are shown to editors and admins only; the API refuses a viewer's
write anyway (403).

Query parameters are read leniently (cut to a sane length, a bad number is
ignored) so that a page never answers with a validation error; an unknown
panel, scenario or run is an HTML 404 naming it.
"""

from __future__ import annotations

import functools
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from oicplan.errors import ConflictError, InputError, NotFoundError
from oicplan.web.guard import PageUser, page_router
from oicplan.web.templating import page_language, render

__all__ = ["router"]

router = page_router()

DEFAULT_SCENARIO = "zhejiang"
RUN_LIST = 30
ALERT_KINDS = ("no_kpi_data", "below_target", "cost_overrun", "host_risk_rising")
"""The kinds of center alert (:mod:`oicplan.monitor.alerts`) the pages name in words."""
REPORT_FILES = ("report.html", "plan.xlsx", "plan.docx", "plan.pdf", "plan.json")
"""The downloads a plan run offers first, in this order (others follow)."""


def _database(request: Request) -> str | None:
    return request.app.state.settings.database_url


def _text(request: Request, name: str, limit: int = 120) -> str | None:
    """A query parameter as text, cut to ``limit`` characters; None when absent or empty."""
    value = request.query_params.get(name)
    return value[:limit] if value else None


def _number(request: Request, name: str) -> int | None:
    """A positive whole-number query parameter; None when absent or not one."""
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and 0 < len(value) < 10 and int(value) > 0 else None


def _can_edit(user: Any) -> bool:
    return user.role in ("editor", "admin")


def _not_found(key: str, **values: Any) -> HTTPException:
    return HTTPException(404, detail={"key": key, "values": values})


@functools.lru_cache(maxsize=1)
def _builtin_scenarios() -> tuple[tuple[str, str, str], ...]:
    """The built-in scenarios: (name, English title, Chinese title)."""
    from oicplan.services.ranking_options import RankingOptionsRequest, ranking_options

    options = ranking_options(RankingOptionsRequest(scenario=DEFAULT_SCENARIO))
    return tuple((s.name, s.title_en, s.title_zh) for s in options.scenarios)


@functools.lru_cache(maxsize=8)
def _builtin_yaml(name: str) -> str:
    from oicplan.services.planning import ScenarioShowRequest, scenario_show

    return scenario_show(ScenarioShowRequest(name=name)).yaml


@functools.lru_cache(maxsize=1)
def _site_names() -> dict[str, tuple[str, str | None]]:
    """site_id -> (name, standard Chinese name or None) of every site of the dataset.

    Every site, not only the default scenario's ranked candidates: a center or a
    portfolio may be at a site that ranking leaves out (``USA-bellevue``).
    """
    from oicplan.data.dataset import load_dataset

    sites = load_dataset().sites_with_unconfirmed
    names: dict[str, tuple[str, str | None]] = {}
    for site_id, name, zh in zip(sites["site_id"], sites["name"], sites["name_zh"], strict=True):
        chinese = zh if isinstance(zh, str) and zh else None
        names[str(site_id)] = (str(name), chinese)
    return names


def _chinese_names() -> dict[str, str]:
    """site_id -> the site's standard Chinese name, where the data has one."""
    return {site: zh for site, (_, zh) in _site_names().items() if zh}


def _names_in(language: str) -> dict[str, str]:
    """site_id -> the name a reader of ``language`` sees (Chinese where the data has one)."""
    return {site: (zh if language == "zh" and zh else name)
            for site, (name, zh) in _site_names().items()}


def _stored_scenarios(database_url: str | None) -> list[dict[str, Any]]:
    from oicplan.services.scenarios import ListStoredScenariosRequest, list_stored_scenarios

    found = list_stored_scenarios(ListStoredScenariosRequest(database_url=database_url))
    return [record.model_dump(mode="json") for record in found.scenarios]


def _scenario_choices(database_url: str | None, language: str) -> list[dict[str, str]]:
    """The scenarios a run can use: built-in ones, then stored ones."""
    choices = [
        {"name": name, "title": zh if language == "zh" else en}
        for name, en, zh in _builtin_scenarios()
    ]
    builtin = {entry["name"] for entry in choices}
    choices += [
        {"name": record["name"], "title": record["name"]}
        for record in _stored_scenarios(database_url) if record["name"] not in builtin
    ]
    return choices


def _runs(database_url: str | None, kind: str, status: str | None = None) -> list[Any]:
    from oicplan.services.runs import ListRunsRequest, list_runs

    return list(list_runs(ListRunsRequest(
        database_url=database_url, kind=kind, status=status, limit=RUN_LIST)).runs)


def _run(database_url: str | None, run_id: str, kind: str) -> Any:
    """The run ``run_id`` of ``kind``; a 404 page when there is none."""
    from oicplan.services.runs import GetRunRequest, get_run

    try:
        run = get_run(GetRunRequest(database_url=database_url, run_id=run_id)).run
    except NotFoundError:
        raise _not_found("work.run_not_found", run_id=run_id) from None
    if run.kind != kind:
        raise _not_found("work.run_not_found", run_id=run_id)
    return run


def _run_json(run: Any) -> dict[str, Any]:
    """What a page's script needs of a run (not its results)."""
    return {
        "id": run.id, "kind": run.kind, "status": run.status, "progress": run.progress,
        "message": run.message, "error": run.error, "report_files": list(run.report_files),
        "scenario": run.scenario,
    }


# --------------------------------------------------------------------------- experts


def _experts_context(database_url: str | None, panel: str | None, user: Any,
                     language: str) -> dict[str, Any]:
    from oicplan.services.panels import (
        ListPanelsRequest,
        PanelAnswersRequest,
        PanelWeightsRequest,
        QuestionnaireRequest,
        list_panels,
        panel_answers,
        panel_questionnaire,
        panel_weights,
    )

    panels = list_panels(ListPanelsRequest(database_url=database_url)).panels
    context: dict[str, Any] = {"panels": panels, "panel": None, "questionnaire": None,
                               "group": None, "answers": ()}
    data: dict[str, Any] = {"panel": None, "can_edit": _can_edit(user), "user": user.name}
    if panel is not None:
        try:
            questionnaire = panel_questionnaire(QuestionnaireRequest(
                database_url=database_url, panel=panel, expert=user.name))
        except NotFoundError:
            raise _not_found("work.panel_not_found", panel=panel) from None
        group = panel_weights(PanelWeightsRequest(database_url=database_url, panel=panel))
        answers = panel_answers(PanelAnswersRequest(database_url=database_url, panel=panel))
        names = {c.id: (c.name_zh if language == "zh" else c.name_en)
                 for c in questionnaire.criteria}
        context.update(panel=answers.panel, questionnaire=questionnaire, group=group,
                       answers=answers.answers, criterion_names=names)
        data.update(
            panel=questionnaire.panel,
            criteria=[{"id": c.id, "name": names[c.id]} for c in questionnaire.criteria],
            questions=[{"number": q.number, "row": q.row_index, "column": q.column_index,
                        "answer": q.answer} for q in questionnaire.questions],
            scale={str(s.value): (s.label_zh if language == "zh" else s.label_en)
                   for s in questionnaire.scale},
            stored=[{"name": r["name"], "latest_version": r["latest_version"]}
                    for r in _stored_scenarios(database_url)],
            answered=[a.expert for a in answers.answers],
        )
    context["data"] = data
    context["stored"] = data.get("stored", [])
    context["scenarios"] = _scenario_choices(database_url, language)
    return context


@router.get("/experts")
async def experts_page(request: Request, user: PageUser) -> Response:
    """Expert panels: the AHP questionnaire with a live CR, the aggregate, who has answered."""
    language = page_language(request)
    context = await run_in_threadpool(
        _experts_context, _database(request), _text(request, "panel"), user, language)
    return render(request, "experts.html", script_keys=("experts.", "work."),
                  can_edit=_can_edit(user), page="experts", **context)


# --------------------------------------------------------------------------- optimizer


def _optimizer_context(database_url: str | None, run_id: str | None,
                       language: str) -> dict[str, Any]:
    from oicplan.domain import CENTER_MODES, STRATEGIES
    from oicplan.notes import notes_text
    from oicplan.report.messages import status_name
    from oicplan.services.closures import closure_choices

    run = None if run_id is None else _run(database_url, run_id, "optimize")
    document = (run.results or {}).get("optimize") if run is not None else None
    pick = 1 if language == "zh" else 0
    corridors = [
        {"kind": c["kind"], "key": c["key"], "label": c["name_zh"] if pick else c["name"]}
        for c in closure_choices()
    ]
    labels = {c["key"]: c["label"] for c in corridors}
    if run is not None and document is not None:
        document = {
            # A run without a Pareto frontier or phasing has no such keys: the page says so.
            "pareto": None, "horizon": None,
            **document,
            "avoid_labels": [labels.get(key, key) for key in document.get("avoid") or ()],
            "status_text": status_name(str(document.get("status")), language),
            "first_year": (run.inputs or {}).get("first_year"),
            **{key: notes_text(document.get(key) or (), language)
               for key in ("constraints", "assumptions", "notes")},
        }
    data = {
        "run": None if run is None else _run_json(run),
        "result": document,
        "names": _chinese_names() if language == "zh" and document else {},
        "modes": {key: names[pick] for key, names in CENTER_MODES.items()},
    }
    scenarios = _scenario_choices(database_url, language)
    return {
        "scenarios": scenarios,
        "scenario_titles": {entry["name"]: entry["title"] for entry in scenarios},
        "strategies": [(key, names[pick]) for key, names in STRATEGIES.items()],
        "corridors": corridors,
        "runs": _runs(database_url, "optimize"),
        "run": run,
        "result": document,
        "data": data,
    }


@router.get("/optimizer")
async def optimizer_page(request: Request, user: PageUser) -> Response:
    """The optimizer's form, its recent runs and, with ``?run=``, a run's portfolio and charts."""
    language = page_language(request)
    context = await run_in_threadpool(
        _optimizer_context, _database(request), _text(request, "run", 64), language)
    return render(request, "optimizer.html", script_keys=("optimizer.", "run.", "work."),
                  can_edit=_can_edit(user), page="optimizer", **context)


# --------------------------------------------------------------------------- scenarios


def _scenarios_context(request: Request, user: Any, language: str) -> dict[str, Any]:
    from oicplan.services.scenarios import (
        GetScenarioVersionRequest,
        ScenarioDiffRequest,
        ScenarioHistoryRequest,
        get_scenario_version,
        scenario_diff,
        scenario_history,
    )

    database_url = _database(request)
    name = _text(request, "name")
    context: dict[str, Any] = {
        "stored": _stored_scenarios(database_url), "name": name, "history": None,
        "current": None, "diff": None, "comparison": None, "compare_error": None,
        "builtins": [(n, zh if language == "zh" else en) for n, en, zh in _builtin_scenarios()],
    }
    data: dict[str, Any] = {"name": name, "base_version": None, "builtins": {}}
    if _can_edit(user):
        data["builtins"] = {n: _builtin_yaml(n) for n, _, _ in _builtin_scenarios()}
    if name is not None:
        try:
            history = scenario_history(ScenarioHistoryRequest(database_url=database_url,
                                                              name=name))
            current = get_scenario_version(GetScenarioVersionRequest(
                database_url=database_url, name=name, version=_number(request, "version")))
        except (NotFoundError, InputError):
            raise _not_found("work.scenario_not_found", name=name) from None
        context.update(history=history, current=current.version)
        data["base_version"] = current.version.version
        old, new = _number(request, "old"), _number(request, "new")
        if old is not None and new is not None:
            try:
                context["diff"] = scenario_diff(ScenarioDiffRequest(
                    database_url=database_url, name=name, old=old, new=new))
            except InputError as error:
                context["compare_error"] = str(error)
    context["plan_runs"] = _runs(database_url, "plan", "done")
    first, second = _text(request, "a", 64), _text(request, "b", 64)
    if first and second:
        from oicplan.services.plan_runs import ComparePlansRequest, compare_plans

        try:
            context["comparison"] = compare_plans(ComparePlansRequest(
                database_url=database_url, a=first, b=second))
        except (InputError, ConflictError) as error:
            context["compare_error"] = str(error)
    context.update(selected_a=first, selected_b=second, data=data, site_names={})
    if context["comparison"] is not None and language == "zh":
        context["site_names"] = _chinese_names()
    return context


@router.get("/scenarios")
async def scenarios_page(request: Request, user: PageUser) -> Response:
    """Stored scenarios: the editor with version history and diff, and two plan runs compared."""
    language = page_language(request)
    context = await run_in_threadpool(_scenarios_context, request, user, language)
    return render(request, "scenarios.html", script_keys=("scenarios.", "work."),
                  can_edit=_can_edit(user), page="scenarios", **context)


# --------------------------------------------------------------------------- centers


def _alerts_in(lights: Any, language: str) -> list[Any]:
    """Every light's alerts, their messages in ``language`` (:mod:`oicplan.notes`)."""
    from oicplan.monitor.alerts import message_vocabulary
    from oicplan.notes import note_text

    alerts = [alert for light in lights for alert in light.alerts]
    if language == "en" or not alerts:
        return alerts
    vocabulary = message_vocabulary()
    return [alert.model_copy(update={"message": note_text(alert.message, language, vocabulary)})
            for alert in alerts]


def _centers_context(database_url: str | None, language: str) -> dict[str, Any]:
    from oicplan.domain import CENTER_MODES
    from oicplan.services.registry import (
        CenterAlertsRequest,
        ListCentersRequest,
        center_alerts,
        list_centers,
    )

    centers = list_centers(ListCentersRequest(database_url=database_url)).centers
    alerts_error = None
    try:
        lights = center_alerts(CenterAlertsRequest(database_url=database_url)).centers
    except InputError as error:
        lights, alerts_error = (), str(error)
    return {
        "centers": centers,
        "lights": {light.center_id: light.light for light in lights},
        "alerts": _alerts_in(lights, language),
        "center_names": {center.id: center for center in centers},
        "alerts_error": alerts_error,
        "modes": {key: names[1 if language == "zh" else 0] for key, names in CENTER_MODES.items()},
        "site_names": _names_in(language),
        "alert_kinds": ALERT_KINDS,
    }


@router.get("/centers")
async def centers_page(request: Request, user: PageUser) -> Response:
    """The registry of established centers with their traffic lights, KPI import and alerts."""
    context = await run_in_threadpool(_centers_context, _database(request), page_language(request))
    return render(request, "centers.html", script_keys=("centers.", "work."),
                  can_edit=_can_edit(user), page="centers", **context)


# --------------------------------------------------------------------------- reports


def _downloads(run: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """The run's usual report files (name, catalog key of its label) and its other files."""
    files = list(run.report_files)
    known = [(name, "reports.file." + name.replace(".", "_")) for name in REPORT_FILES
             if name in files]
    return known, [name for name in files if name not in REPORT_FILES]


def _reports_context(database_url: str | None, run_id: str | None,
                     language: str) -> dict[str, Any]:
    run = None if run_id is None else _run(database_url, run_id, "plan")
    scenarios = _scenario_choices(database_url, language)
    return {
        "scenarios": scenarios,
        "scenario_titles": {entry["name"]: entry["title"] for entry in scenarios},
        "builtin_names": [name for name, _, _ in _builtin_scenarios()],
        "runs": _runs(database_url, "plan"),
        "run": run,
        "downloads": ([], []) if run is None or run.status != "done" else _downloads(run),
        "data": {"run": None if run is None else _run_json(run)},
    }


@router.get("/reports")
async def reports_page(request: Request, user: PageUser) -> Response:
    """Start a plan run, follow it, download its HTML, XLSX, DOCX and PDF reports."""
    language = page_language(request)
    context = await run_in_threadpool(
        _reports_context, _database(request), _text(request, "run", 64), language)
    return render(request, "reports.html", script_keys=("reports.", "run.", "work."),
                  can_edit=_can_edit(user), page="reports", **context)
