"""Command-line front end for ranking uncertainty: ``oicplan sensitivity``.

:func:`sensitivity` is a plain Typer command function; the main application
registers it (wrapped so that :class:`oicplan.errors.OicplanError` becomes one
line and exit code 2).

Examples
--------
>>> import typer
>>> app = typer.Typer()
>>> _ = app.command("sensitivity")(sensitivity)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from oicplan.cli.runtime import Table
from oicplan.errors import InputError
from oicplan.mcda import METHODS, NORMALIZATIONS
from oicplan.mcda.files import parse_number

__all__ = ["sensitivity"]

def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _numbers(text: str, option: str) -> list[float]:
    values = []
    for part in _items(text):
        try:
            values.append(parse_number(part))
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{part!r} is not a number (give numbers separated by commas)",
                             field=option) from None
    if not values:
        raise InputError(f"no number in {text!r}", field=option)
    return values


#: Request fields the command's messages name by their option.
_FLAGS = {"sobol_samples": "sobol-samples", "sobol_resamples": "sobol-resamples",
          "conf_level": "conf-level", "names": "assumption", "assumption_names": "assumption",
          "assumption_spread": "assumption-spread", "assumption_steps": "assumption-steps"}


def _variant(text: str) -> dict:
    """``imputation=group_mean;treatment=gii`` -> build settings (numbers parsed)."""
    changes = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise InputError(f"write KEY=VALUE[;KEY=VALUE], got {text!r}", field="variant")
        changes[key.strip()] = _setting(value.strip())
    return changes


def _setting(text: str) -> object:
    """A build-setting value: a number, a comma list of numbers (a range), or text."""
    if "," in text:
        return tuple(_setting(part.strip()) for part in text.split(","))
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _progress() -> Progress:
    err = Console(stderr=True)
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
        TimeRemainingColumn(), console=err, transient=True, disable=not err.is_terminal,
    )


def _print_table(res, sobol, labels: dict) -> None:
    frame = res.to_frame()
    title = (f"Rank robustness: {res.method.upper()}, {res.samples} replications, "
             + (f"weights +-{res.spread:.0%}" if res.weight_model == "uniform"
                else f"Dirichlet weights (concentration {res.concentration:g})")
             + f", normalizations {', '.join(res.normalizations)}")
    table = Table(title=title, caption="rank 1 = best; interval = 5th to 95th percentile")
    table.add_column("Alternative")
    if labels:
        table.add_column("Name")
    table.add_column("Rank", justify="right")
    table.add_column("Median", justify="right")
    table.add_column("Interval", justify="right")
    table.add_column(f"Top {res.top_k}", justify="right")
    if sobol is not None:
        table.add_column("Most influential (ST of score"
                         + (f", +- {sobol.conf_level:.0%} CI)" if sobol.conf else ")"))
    for alt, row in frame.iterrows():
        cells = [str(alt)]
        if labels:
            cells.append(labels.get(alt, ""))
        cells += [str(int(row["base_rank"])), f"{row['median_rank']:g}",
                  f"{row['rank_p5']:g}-{row['rank_p95']:g}", f"{row['top_k_frequency']:.1%}"]
        if sobol is not None:
            i = sobol.alternatives.index(alt)
            j = int(np.argmax(sobol.total_order[i]))
            half = (f" +- {sobol.conf['total_order'][i, j]:.2f}" if sobol.conf else "")
            cells.append(f"{sobol.inputs[j]} ({sobol.total_order[i, j]:.2f}{half})")
        table.add_row(*cells)
    console = Console()
    console.print(table)
    console.print(f"seed {res.seed} (repeat the run with --seed {res.seed})", highlight=False)


def _print_sweep(sweep) -> None:
    """The one-at-a-time sweep of the plan's assumptions as a table."""
    table = Table(
        title=f"Plan sensitivity to its stated assumptions: {sweep.scenario}, "
        f"{len(sweep.base)} centers, one assumption moved at a time",
        caption="changed = the chosen sites or a center mode differ from the plan as stated",
    )
    for name, justify in (("Assumption", "left"), ("Value", "right"), ("Stated", "right"),
                          ("Changed", "left"), ("What changed", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for point in sweep.points:
        parts = [f"+{site}" for site in point.sites_added]
        parts += [f"-{site}" for site in point.sites_removed]
        parts += [f"{m['site_id']}: {m['base']} -> {m['new']}" for m in point.modes_changed]
        if point.error:
            parts.append(point.error)
        table.add_row(point.name, f"{point.value:g}", f"{point.default:g}",
                      "yes" if point.changed else "no", "; ".join(parts))
    console = Console()
    console.print(table)
    moved = ", ".join(sweep.moved_by) or "none"
    console.print(f"moved the plan: {moved}", highlight=False)


def sensitivity(
    scenario: str = typer.Option(
        None, "--scenario", "-s",
        help="Built-in scenario name (e.g. zhejiang) or a scenario YAML file: analyse its "
             "ranking of candidate sites over the framework's pillars.",
    ),
    matrix: Path = typer.Option(
        None, "--matrix", "-m",
        help="Instead of a scenario: CSV decision matrix (header = a label then the "
             "criterion names; one row per alternative, its name first).",
    ),
    method: str = typer.Option(
        None, "--method", help=f"With --matrix: {'|'.join(METHODS)} (default topsis).",
    ),
    weights: str = typer.Option(
        None, "--weights", "-w",
        help="With --matrix: the chosen weights in column order, e.g. 0.5,0.3,0.2 "
             "(scaled to sum to 1; default equal). The samples scatter around them.",
    ),
    types: str = typer.Option(
        None, "--types", "-t",
        help="With --matrix: max or min per criterion, e.g. max,min,max (default max).",
    ),
    samples: int = typer.Option(
        10_000, "--samples", "-n",
        help="Monte Carlo replications. 10,000 gives rank percentiles good to about one "
             "rank for most sites.",
    ),
    seed: int = typer.Option(
        None, "--seed", help="Random seed; the same seed gives the same result (also on "
                             "a cluster). Default: a fresh seed, printed so you can repeat.",
    ),
    spread: float = typer.Option(
        0.2, "--spread",
        help="Each weight is multiplied by a factor drawn uniformly from "
             "[1 - spread, 1 + spread], then the weights are rescaled to sum to 1. "
             "0.2 = +-20 %; must be in [0, 1).",
    ),
    dirichlet: bool = typer.Option(
        False, "--dirichlet",
        help="Draw weight vectors from a Dirichlet distribution centered on the chosen "
             "weights instead of the +-spread model.",
    ),
    concentration: float = typer.Option(
        None, "--concentration",
        help="Dirichlet concentration (implies --dirichlet; default 100). Larger = weights "
             "stay closer to the chosen ones.",
    ),
    normalizations: str = typer.Option(
        None, "--normalizations",
        help=f"Draw the normalization from this list each replication, e.g. vector,minmax "
             f"(choices: {', '.join(NORMALIZATIONS)}). Default: the method's own only.",
    ),
    top_k: int = typer.Option(
        10, "--top-k", help="Report how often each alternative ranks in the top K.",
    ),
    scheduler: str = typer.Option(
        None, "--scheduler",
        help="dask.distributed scheduler address (tcp://host:8786) to run the replications "
             "on a cluster; same result as in process for the same --seed.",
    ),
    sobol: bool = typer.Option(
        False, "--sobol",
        help="Also compute Sobol' first- and total-order indices of every alternative's "
             "score to each weight (and to the normalization choice).",
    ),
    sobol_samples: int = typer.Option(
        512, "--sobol-samples",
        help="Base sample size N for --sobol, a power of two; the ranking runs N x "
             "(inputs + 2) times.",
    ),
    sobol_resamples: int = typer.Option(
        100, "--sobol-resamples",
        help="Bootstrap resamples for the confidence intervals of the Sobol' indices "
             "(as SALib's num_resamples; 0 = no intervals, faster).",
    ),
    conf_level: float = typer.Option(
        0.95, "--conf-level", help="Confidence level of the Sobol' intervals."),
    plot: Path = typer.Option(
        None, "--plot",
        help="Write charts: FILE.png or FILE.svg gets the rank intervals, "
             "FILE_correlation.* the criteria correlation and, with --sobol, FILE_sobol.* "
             "the mean Sobol' indices.",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    assumptions: bool = typer.Option(
        False, "--assumptions",
        help="With --scenario: instead of the weights, move each stated assumption that can "
             "move the plan (oicplan assumptions --plan-only) one at a time and say whether "
             "the chosen sites or their center modes change.",
    ),
    assumption: list[str] = typer.Option(
        None, "--assumption",
        help="With --assumptions: sweep only this assumption (repeatable), e.g. "
             "--assumption mode.pillar_threshold; * matches several, e.g. "
             "--assumption 'mode_fit.corridor_hub.*'.",
    ),
    assumption_spread: float = typer.Option(
        0.2, "--assumption-spread",
        help="With --assumptions: each value is moved to value x (1 +- k x spread / steps), "
             "k = 1..steps, within its range; 0.2 = up to +-20 %.",
    ),
    assumption_steps: int = typer.Option(
        2, "--assumption-steps", help="With --assumptions: values on each side (1-10).",
    ),
    variant: list[str] = typer.Option(
        None, "--variant",
        help="With --scenario: also draw among composite-index builds with these settings "
             "changed, e.g. --variant imputation=group_mean --variant treatment=gii "
             "(several settings of one build joined by ';').",
    ),
) -> None:
    """How robust is a ranking? Rank intervals under uncertain weights and choices.

    Every replication perturbs the weights (+-spread, or Dirichlet), and draws a
    normalization when several are given; the ranking is redone and each
    alternative's rank recorded. The result per alternative: median rank, the
    5th-95th percentile rank interval and how often it lands in the top K.
    A narrow interval near the top means the ranking is robust for it.

    The JSON lists, in the alternatives' order, "alternatives", "median_rank",
    "rank_p5", "rank_p95" and "top_k_frequency" (plus "base_rank", "mean_rank",
    "seed" ...); --sobol adds "sobol" with "inputs" and, per alternative, the
    "first_order" and "total_order" indices of its score (and of its rank),
    with bootstrap half-widths "first_order_conf" and "total_order_conf" at
    "conf_level" (unless --sobol-resamples 0).

    Examples:

        oicplan sensitivity --scenario zhejiang --samples 20000 --seed 7

        oicplan sensitivity --scenario zhejiang --variant imputation=group_mean
        --variant treatment=gii --normalizations vector,minmax

        oicplan sensitivity --matrix cities.csv --method topsis --weights 0.5,0.3,0.2
        --types max,min,max --samples 10000 --seed 1 --json

        oicplan sensitivity --matrix cities.csv --dirichlet --concentration 50
        --normalizations vector,minmax --sobol --plot out/cities.svg

        oicplan sensitivity --scenario zhejiang --assumptions
        --assumption mode.pillar_threshold --assumption-spread 0.2

        oicplan sensitivity --scenario zhejiang --assumptions
        --assumption 'mode_fit.corridor_hub.*' --assumption-steps 1

    With --assumptions the JSON has "scenario", "base" (site_id -> mode of the plan
    as stated), "points" (each assumption at each value: "sites_added",
    "sites_removed", "modes_changed", "changed") and "moved_by".
    """
    if (scenario is None) == (matrix is None):
        raise InputError("give either --scenario or --matrix (exactly one)",
                         field="scenario/matrix")
    if scenario is not None:
        for name, value in (("method", method), ("weights", weights), ("types", types)):
            if value is not None:
                raise InputError(f"--{name} comes from the scenario; use it with --matrix",
                                 field=name)
    elif variant:
        raise InputError("--variant needs --scenario (it rebuilds the scenario's index)",
                         field="variant")
    from oicplan.cli._flags import as_flag_error
    from oicplan.services.sensitivity import SensitivityRequest
    from oicplan.services.sensitivity import sensitivity as analyse

    request = SensitivityRequest(
        scenario=scenario, matrix=matrix, method=method,
        weights=None if weights is None else _numbers(weights, "weights"),
        types=None if types is None else _items(types),
        variants=[_variant(text) for text in variant or []],
        samples=samples, seed=seed, spread=spread, dirichlet=dirichlet,
        concentration=concentration,
        normalizations=_items(normalizations) if normalizations else None,
        top_k=top_k, scheduler=scheduler, sobol=sobol, sobol_samples=sobol_samples,
        sobol_resamples=sobol_resamples, conf_level=conf_level, plot=plot,
        assumptions=assumptions, assumption_names=assumption or None,
        assumption_spread=assumption_spread, assumption_steps=assumption_steps,
    )
    with _progress() as bar:
        tasks: dict[str, object] = {}

        def advance(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        try:
            result = analyse(request, progress=advance)
        except InputError as error:
            raise as_flag_error(error, _FLAGS) from None
    if json_output:
        sys.stdout.write(json.dumps(result.document, ensure_ascii=False, indent=2) + "\n")
        return
    if assumptions:
        _print_sweep(result.robustness)
        return
    _print_table(result.robustness, result.sobol, result.labels)
    for path in result.plots:
        Console().print(f"wrote {path}", highlight=False)
