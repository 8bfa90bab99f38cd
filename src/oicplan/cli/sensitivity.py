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
from rich.table import Table

from oicplan.errors import InputError
from oicplan.mcda import METHODS, NORMALIZATIONS
from oicplan.mcda.files import parse_number, read_decision_matrix

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


# sobol_analysis names its own parameters in errors; the command line names
# the options the user typed.
_SOBOL_OPTIONS = {"samples": "sobol-samples", "num_resamples": "sobol-resamples",
                  "conf_level": "conf-level"}


def _as_option_error(exc: InputError) -> InputError:
    """Re-label an error from :func:`sobol_analysis` with the option's name.

    >>> str(_as_option_error(InputError("samples must be a power of two", field="samples")))
    'field sobol-samples: --sobol-samples must be a power of two'
    """
    option = _SOBOL_OPTIONS.get(exc.field or "")
    if option is None:
        return exc
    message = exc.message
    if message.startswith(exc.field + " "):
        message = f"--{option}" + message[len(exc.field):]
    return InputError(message, file=exc.file, row=exc.row, field=option)


def _types(text: str | None, path: Path) -> list[str]:
    if text is None:
        try:
            with open(path, encoding="utf-8-sig") as fh:
                header = fh.readline()
        except OSError:
            raise InputError("file not found", file=str(path)) from None
        return ["max"] * max(0, len(header.split(",")) - 1)
    out = [t.lower() for t in _items(text)]
    for t in out:
        if t not in ("max", "min"):
            raise InputError(f"criterion type {t!r} must be 'max' or 'min'", field="types")
    return out


def _from_scenario(name: str, variants: list[str] | None = None) -> dict:
    from oicplan.ranking import index_variants, rank_sites
    from oicplan.scenario import load_scenario

    ranked = rank_sites(load_scenario(name))
    framework = ranked.scores.framework
    matrix = ranked.scores.pillar_matrix()
    used = [p for p in framework.pillar_ids
            if ranked.weights[p] > 0 and np.ptp(matrix[p].to_numpy()) > 0]
    names = ranked.table.set_index("site_id")["name"]
    changes = [_variant(text) for text in variants or []]
    builds = index_variants(ranked.scores, used, changes)
    return {
        "matrix": matrix[used] if builds is None else builds,
        "alternatives": list(matrix.index),
        "criteria": used,
        "weights": [ranked.weights[p] for p in used],
        "types": [framework.pillar(p).direction for p in used],
        "method": ranked.method,
        "normalization": ranked.normalization,
        "params": dict(ranked.scenario.ranking.params),
        "labels": {site: str(names.get(site, site)) for site in matrix.index},
    }


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


def _from_matrix(path: Path, method: str | None, weights: str | None,
                 types: str | None) -> dict:
    method = method or "topsis"
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}",
                         field="method")
    dm = read_decision_matrix(path, _types(types, path))
    return {
        "matrix": dm,
        "weights": None if weights is None else _numbers(weights, "weights"),
        "types": None,
        "method": method,
        "normalization": None,
        "params": {},
        "labels": {},
        "alternatives": None,
        "criteria": None,
    }


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


def _plots(path: Path, res, sobol, matrix) -> list[Path]:
    from oicplan.uncertainty.plots import (
        plot_correlation,
        plot_rank_intervals,
        plot_sobol_indices,
        save_figure,
    )

    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"plot file must end in .png or .svg, got {path.name!r}",
                         field="plot")
    written = [save_figure(plot_rank_intervals(res), path)]
    import pandas as pd

    values = matrix.values if hasattr(matrix, "alternatives") else matrix.to_numpy()
    frame = pd.DataFrame(values, columns=list(res.criteria))
    written.append(save_figure(plot_correlation(frame),
                               path.with_name(f"{path.stem}_correlation{path.suffix}")))
    if sobol is not None:
        written.append(save_figure(plot_sobol_indices(sobol),
                                   path.with_name(f"{path.stem}_sobol{path.suffix}")))
    return written


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
    """
    if (scenario is None) == (matrix is None):
        raise InputError("give either --scenario or --matrix (exactly one)",
                         field="scenario/matrix")
    if scenario is not None:
        for name, value in (("method", method), ("weights", weights), ("types", types)):
            if value is not None:
                raise InputError(f"--{name} comes from the scenario; use it with --matrix",
                                 field=name)
        spec = _from_scenario(scenario, variant)
    else:
        if variant:
            raise InputError("--variant needs --scenario (it rebuilds the scenario's index)",
                             field="variant")
        spec = _from_matrix(matrix, method, weights, types)
    norms = _items(normalizations) if normalizations else None
    if norms is None and spec["normalization"]:
        norms = [spec["normalization"]]

    from oicplan.uncertainty.montecarlo import monte_carlo, prepare

    if samples < 1:
        raise InputError(f"samples must be at least 1, got {samples}", field="samples")
    if sobol_resamples < 0:
        raise InputError(f"--sobol-resamples must be >= 0, got {sobol_resamples}",
                         field="sobol-resamples")
    if sobol and (sobol_samples < 2 or sobol_samples & (sobol_samples - 1)):
        # Checked here too so a bad value fails before the Monte Carlo run.
        raise InputError(
            "--sobol-samples must be a power of two for Sobol' sequences (e.g. 512, "
            f"1024), got {sobol_samples}", field="sobol-samples",
        )
    setup = prepare(spec["matrix"], spec["weights"], spec["types"], spec["method"],
                    normalizations=norms, alternatives=spec["alternatives"],
                    criteria=spec["criteria"], **spec["params"])
    weight_opts = {"spread": spread, "dirichlet": dirichlet, "concentration": concentration}
    with _progress() as bar:
        task = bar.add_task("Monte Carlo", total=samples)
        res = monte_carlo(
            setup, samples=samples, seed=seed, top_k=top_k, scheduler=scheduler,
            progress=lambda done, total: bar.update(task, completed=done), **weight_opts,
        )
        sob = None
        if sobol:
            from oicplan.uncertainty.sobol import sobol_analysis  # loads scipy.stats and SALib

            bar.add_task("Sobol' indices", total=None)
            try:
                sob = sobol_analysis(setup, samples=sobol_samples, seed=res.seed % (2**32),
                                     num_resamples=sobol_resamples, conf_level=conf_level,
                                     **weight_opts)
            except InputError as exc:
                raise _as_option_error(exc) from None
    written = _plots(plot, res, sob, spec["matrix"]) if plot is not None else []
    if json_output:
        out = res.to_dict()
        if spec["labels"]:
            out["names"] = [spec["labels"].get(a, a) for a in res.alternatives]
        if sob is not None:
            out["sobol"] = sob.to_dict()
        if written:
            out["plots"] = [str(p) for p in written]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    _print_table(res, sob, spec["labels"])
    for path in written:
        Console().print(f"wrote {path}", highlight=False)

