"""``oicplan optimize``: the exact layout model for a scenario (sites, modes, years).

The lead app registers the command with ``app.command("optimize")(optimize)``;
errors are raised as :class:`~oicplan.errors.OicplanError` subclasses (an
infeasible request names the constraint groups that conflict), which the main
app prints as one line with exit code 2.
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from oicplan.cli.runtime import working
from oicplan.errors import InputError

__all__ = ["Against", "optimize", "parse_minimums", "run_optimize"]


class Against(StrEnum):
    """What benefit is traded against on the Pareto frontier."""

    cost = "cost"
    risk = "risk"


def _clean(value: Any) -> Any:
    """JSON-safe native value (NaN -> None)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def parse_minimums(text: str, option: str) -> int | dict[str, int]:
    """Read ``--min-per-strategy`` / ``--min-per-region``: ``N`` or ``NAME=N;NAME=N``.

    Pairs are separated by ``;`` (or ``,`` when no name contains a comma); a
    bad count is an :class:`InputError` naming the option.

    >>> parse_minimums("2", "min-per-strategy")
    2
    >>> parse_minimums("rail_corridor=2, zone_upgrade=2;st_leader=3", "min-per-strategy")
    {'rail_corridor': 2, 'zone_upgrade': 2, 'st_leader': 3}
    >>> parse_minimums("Europe & Central Asia=2", "min-per-region")
    {'Europe & Central Asia': 2}
    """

    def count(raw: str, name: str = "") -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            value = -1
        if value < 0:
            what = f" for {name!r}" if name else ""
            raise InputError(
                f"--{option}: the count{what} must be a whole number >= 0, got {raw.strip()!r}",
                field=option,
            )
        return value

    text = text.strip()
    if "=" not in text:
        return count(text)
    pairs: dict[str, int] = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, sep, raw = part.partition("=")
        if not sep or not name.strip():
            raise InputError(
                f"--{option}: expected NAME=N, got {part.strip()!r}", field=option
            )
        pairs[name.strip()] = count(raw, name.strip())
    return pairs


def run_optimize(
    scenario: str = "zhejiang",
    max_centers: int | None = None,
    budget: float | None = None,
    horizon: int | None = None,
    annual_budget: float | None = None,
    costs: Path | None = None,
    pareto: bool = False,
    against: Against | str = Against.cost,
    points: int = 7,
    chart: Path | None = None,
    time_limit: float | None = None,
    mip_gap: float | None = None,
    first_year: int | None = None,
    min_per_strategy: int | dict[str, int] | None = None,
    min_per_region: dict[str, int] | None = None,
    per_country_cap: int | None = None,
    max_mean_risk: float | None = None,
    max_total_risk: float | None = None,
    enterprises: str | None = None,
    capacity: int | dict[str, int] | None = None,
) -> dict[str, Any]:
    """Rank the scenario, build and solve the layout model; return the JSON document.

    >>> out = run_optimize("zhejiang", max_centers=3)
    >>> out["status"], len([s for s in out["chosen"] if not s["existing"]])
    ('optimal', 3)
    """
    from oicplan.domain import CENTER_MODES
    from oicplan.optimize.layout import Layout, pareto_figure, read_layout_costs, save_svg
    from oicplan.plan import check_selection
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    if max_centers is not None and max_centers < 1:
        raise InputError(f"--max-centers must be >= 1, got {max_centers}", field="max-centers")
    if horizon is not None and not 1 <= horizon <= 30:
        raise InputError(f"--horizon must be 1..30 years, got {horizon}", field="horizon")
    if annual_budget is not None and horizon is None:
        raise InputError("--annual-budget needs --horizon", field="annual-budget")
    if chart is not None and not pareto:
        raise InputError("--chart needs --pareto", field="chart")
    if chart is not None:
        # Before the (long) solve: a chart path that cannot be written fails at once.
        chart = Path(chart)
        if chart.is_dir():
            raise InputError(f"{chart} is a folder; give the SVG file to write", field="chart")
        chart.parent.mkdir(parents=True, exist_ok=True)
    if points < 2:
        raise InputError(f"--points must be >= 2, got {points}", field="points")
    if per_country_cap is not None and per_country_cap < 1:
        raise InputError(
            f"--per-country-cap must be >= 1, got {per_country_cap}", field="per-country-cap"
        )
    plan_scenario = load_scenario(scenario)
    check_selection(plan_scenario)
    if isinstance(min_per_strategy, dict):
        unknown = sorted(set(min_per_strategy) - set(plan_scenario.strategies))
        if unknown:
            raise InputError(
                f"--min-per-strategy: unknown strategy {', '.join(map(repr, unknown))}; "
                f"this scenario's strategies are {', '.join(plan_scenario.strategies)}",
                field="min-per-strategy",
            )
    selection = plan_scenario.selection
    for name, value in (("max-mean-risk", max_mean_risk), ("max-total-risk", max_total_risk)):
        if value is not None and value < 0:
            raise InputError(f"--{name} must be >= 0, got {value}", field=name)
    served = None
    source = enterprises if enterprises is not None else selection.enterprises
    if source is not None:
        from oicplan.plan import served_enterprises

        served = served_enterprises(source)
    with working(f"ranking the candidate sites of {plan_scenario.name}"):
        ranked = rank_sites(plan_scenario)
    cost_table = None
    if costs is not None:
        cost_table = read_layout_costs(costs, ranked.table["site_id"], list(CENTER_MODES))
    model = Layout.from_ranking(
        ranked,
        max_centers=max_centers,
        budget=budget,
        horizon=horizon,
        annual_budget=annual_budget,
        costs=cost_table,
        first_year=first_year,
        min_per_strategy=(
            selection.min_per_strategy if min_per_strategy is None else min_per_strategy
        )
        or None,
        min_per_region=(selection.min_per_region if min_per_region is None else min_per_region)
        or None,
        per_country_cap=per_country_cap,
        max_mean_risk=selection.max_mean_risk if max_mean_risk is None else max_mean_risk,
        max_total_risk=selection.max_total_risk if max_total_risk is None else max_total_risk,
        enterprises=served,
        capacity=_capacity_setting(capacity, selection.capacity),
    )
    with working("solving the layout model (HiGHS)"):
        model.solve(time_limit=time_limit, mip_gap=mip_gap)
    out = model.to_dict()
    info = ranked.table.set_index("site_id")
    for site in out["chosen"]:
        site["name"] = str(info.at[site["site_id"], "name"])
        site["iso3"] = str(info.at[site["site_id"], "iso3"])
        site["score"] = round(float(info.at[site["site_id"], "score"]), 6)
    out["scenario"] = ranked.scenario.name
    if served is not None:
        flags = served.get("synthetic", [])
        out["enterprises"] = {
            "source": str(source),
            "count": len(served),
            "synthetic": bool(any(flags)),
        }
    out["cost_file"] = None if costs is None else str(costs)
    if pareto:
        table = model.pareto(
            str(Against(against)), points=points, time_limit=time_limit, mip_gap=mip_gap
        )
        out["pareto"] = [
            {k: _clean(v) for k, v in row.items()} for row in table.to_dict(orient="records")
        ]
        if chart is not None:
            save_svg(
                pareto_figure(
                    table, title=f"{ranked.scenario.name}: benefit against {table.attrs['against']}"
                ),
                chart,
            )
            out["chart"] = str(chart)
    return out


def _print_summary(out: dict[str, Any], console: Console) -> None:
    head = (
        f"[bold]layout[/bold] {out['scenario']}  status [bold]{out['status']}[/bold]"
        f"  objective {out['objective']:,.6g}  cost {out['cost']:,.6g}"
        f"  ({out['solve_seconds']:.2f} s)"
    )
    if out["status"] == "feasible" and out.get("gap") is not None:
        head += f"  gap {out['gap']:.2%}"
    console.print(head)
    table = Table("site", "name", "iso3", "mode", "year", "existing")
    for s in out["chosen"]:
        year = "" if s["year"] is None else str(s["year"])
        table.add_row(
            str(s["site_id"]), s["name"], s["iso3"], s["mode"], year, "yes" if s["existing"] else ""
        )
    console.print(table)
    if "pareto" in out:
        against = out["pareto"][0]["against"] if out["pareto"] else "cost"
        front = Table("epsilon", against, "benefit", "centers", "status")
        for row in out["pareto"]:
            front.add_row(
                f"{row['epsilon']:,.4g}",
                f"{row[against]:,.4g}",
                f"{row['benefit']:,.6g}",
                str(row["centers"]),
                row["status"],
            )
        console.print(front)
    for line in out["assumptions"]:
        console.print(f"[yellow]assumption:[/yellow] {line}")


def optimize(
    scenario: str = typer.Option(
        "zhejiang", "--scenario", help="Built-in scenario name or a scenario .yaml file."
    ),
    max_centers: int | None = typer.Option(
        None, "--max-centers", help="New centers to open (default: the scenario's 'centers')."
    ),
    budget: float | None = typer.Option(
        None,
        "--budget",
        help="Total budget over the plan, US$ million (the cost model's unit, as in --costs).",
    ),
    horizon: int | None = typer.Option(
        None, "--horizon", help="Plan years: phase the openings over this many years."
    ),
    annual_budget: float | None = typer.Option(
        None, "--annual-budget", help="Budget of every plan year (needs --horizon)."
    ),
    costs: Path | None = typer.Option(
        None,
        "--costs",
        help="CSV with site_id, mode, setup_cost, annual_cost (default: oicplan's cost model, "
        "US$ million; see oicplan cost).",
    ),
    pareto: bool = typer.Option(False, "--pareto", help="Also trace benefit against cost."),
    against: Against = typer.Option(
        Against.cost, "--against", help="Pareto trade-off against cost or risk."
    ),
    points: int = typer.Option(7, "--points", help="Number of epsilon caps on the frontier."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Write the Pareto chart as SVG (needs --pareto)."
    ),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds per solve; stopped runs report 'feasible' + gap."
    ),
    mip_gap: float | None = typer.Option(
        None, "--mip-gap", help="Relative MIP gap at which the solver may stop."
    ),
    first_year: int | None = typer.Option(
        None, "--first-year", help="Calendar year of plan year 1 (labels only)."
    ),
    min_per_strategy: str | None = typer.Option(
        None,
        "--min-per-strategy",
        help="At least N centers per layout strategy: 'N' for every strategy, or per "
        "strategy 'rail_corridor=2;zone_upgrade=2;st_leader=3' (others need none). "
        "Default: the scenario's selection.min_per_strategy.",
    ),
    min_per_region: str | None = typer.Option(
        None,
        "--min-per-region",
        help="At least N centers per continent or World Bank region, e.g. "
        "'Europe=3;Africa=1' or 'Europe & Central Asia=2'. Default: the scenario's "
        "selection.min_per_region.",
    ),
    per_country_cap: int | None = typer.Option(
        None, "--per-country-cap", help="Most centers in one country (default: the scenario's)."
    ),
    max_mean_risk: float | None = typer.Option(
        None, "--max-mean-risk",
        help="Cap on the mean risk pillar score of the open centers (0-1; higher = riskier).",
    ),
    max_total_risk: float | None = typer.Option(
        None, "--max-total-risk", help="Cap on the summed risk pillar score of the open centers.",
    ),
    enterprises: str | None = typer.Option(
        None, "--enterprises",
        help="Serve enterprises instead of the industries: 'sample' (the labelled SYNTHETIC "
        "sample), 'stored' (the last 'oicplan enterprises import') or a CSV/XLSX file.",
    ),
    capacity: str | None = typer.Option(
        None, "--capacity",
        help="Most demands one center serves (enterprises with --enterprises, else "
        "industries): 'N' for every mode or 'joint_lab=50;offshore_incubator=80'.",
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Choose sites, center modes and opening years with an exact model (HiGHS).

    Every home industry is served by its best-matching open center; open
    centers also earn their ranking score. Limits: number of centers, budget,
    the per-country cap, at least N centers per layout strategy and region,
    existing centers kept open. Costs come from oicplan's cost model and the match
    from oicplan match (host strengths are proxies); every assumption is listed.

    Example: oicplan optimize --scenario zhejiang --max-centers 10 --budget 300
    --horizon 5 --annual-budget 120 --pareto --json

    The paper's example mix (at least 2 along the Yiwu rail corridor, 2 zone
    upgrades, 3 in S&T-leader economies): oicplan optimize --min-per-strategy
    "rail_corridor=2;zone_upgrade=2;st_leader=3"
    """
    out = run_optimize(
        scenario,
        max_centers,
        budget,
        horizon,
        annual_budget,
        costs,
        pareto,
        against,
        points,
        chart,
        time_limit,
        mip_gap,
        first_year,
        None if min_per_strategy is None else parse_minimums(min_per_strategy, "min-per-strategy"),
        None if min_per_region is None else _region_minimums(min_per_region),
        per_country_cap,
        max_mean_risk,
        max_total_risk,
        enterprises,
        None if capacity is None else parse_minimums(capacity, "capacity"),
    )
    if json_out:
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        _print_summary(out, Console())


def _region_minimums(text: str) -> dict[str, int]:
    parsed = parse_minimums(text, "min-per-region")
    if isinstance(parsed, int):
        raise InputError(
            f"--min-per-region needs REGION=N pairs such as 'Europe=2', got {text!r}",
            field="min-per-region",
        )
    return parsed


def _capacity_setting(option, scenario_value):
    """``from_ranking``'s capacity: the option, else the scenario's, else none."""
    chosen = scenario_value if option is None else option
    if chosen is None:
        return False
    if chosen == 0 and not isinstance(chosen, dict):
        raise InputError("--capacity must be at least 1", field="capacity")
    return chosen
