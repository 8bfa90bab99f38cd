"""Command-line front end for multi-criteria ranking and criterion weights.

Two pieces for the main application to register:

* :func:`mcda` - ``oicplan mcda``: rank alternatives in a CSV decision matrix.
* :data:`weights_app` - ``oicplan weights ahp|entropy|critic|std``: derive
  criterion weights.

Bad input raises :class:`oicplan.errors.OicplanError` subclasses; the main
application turns them into one line and exit code 2.

Examples
--------
>>> import typer
>>> app = typer.Typer()
>>> _ = app.command("mcda")(mcda)
>>> app.add_typer(weights_app, name="weights")
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from oicplan.cli.runtime import Table
from oicplan.errors import InputError
from oicplan.mcda import DEFAULT_NORMALIZATION, METHODS, NORMALIZATIONS, PREFERENCE_FUNCTIONS
from oicplan.mcda.files import parse_number

__all__ = ["mcda", "weights_app", "weights_ahp", "weights_critic", "weights_entropy",
           "weights_std"]

_METHODS_HELP = ", ".join(f"{m} (default normalization {DEFAULT_NORMALIZATION[m]})"
                          for m in METHODS)


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _parse_numbers(text: str | None, option: str) -> list[float] | float | None:
    """``"0.3,0.7"`` -> ``[0.3, 0.7]``; ``"5"`` -> ``5.0``; ``None`` stays ``None``."""
    if text is None:
        return None
    parts = _split(text)
    try:
        values = [parse_number(t) for t in parts]
    except (ValueError, ZeroDivisionError):
        raise InputError(
            f"expected numbers separated by commas, got {text!r}", field=option
        ) from None
    if not values:
        raise InputError(f"no number given in {text!r}", field=option)
    return values[0] if len(values) == 1 and option != "weights" else values


def _fmt(x: float) -> str:
    return f"{x:.4f}"


def _print_ranking(result) -> None:
    table = Table(title=f"{result.method.upper()} ranking (normalization: "
                        f"{result.normalization}; rank 1 = best)")
    table.add_column("Rank", justify="right")
    table.add_column("Alternative")
    score_name = "Q (lower is better)" if result.method == "vikor" else "Score"
    table.add_column(score_name, justify="right")
    extra_keys = [k for k in ("S", "R", "positive_flow", "negative_flow")
                  if k in result.extras]
    for key in extra_keys:
        table.add_column(key.replace("_", " "), justify="right")
    order = sorted(range(len(result.alternatives)), key=lambda i: (result.ranks[i], i))
    for i in order:
        row = [str(int(result.ranks[i])), result.alternatives[i], _fmt(result.scores[i])]
        row += [_fmt(result.extras[k][i]) for k in extra_keys]
        table.add_row(*row)
    console = Console()
    console.print(table)
    if result.method == "vikor":
        console.print(
            "Compromise set: " + ", ".join(result.extras["compromise"])
            + f" (acceptable advantage: {bool(result.extras['acceptable_advantage'])}, "
            f"acceptable stability: {bool(result.extras['acceptable_stability'])})"
        )


def mcda(
    matrix: Path = typer.Option(
        ..., "--matrix", "-m",
        help="CSV decision matrix: header row = a label then the criterion names; "
             "each following row = an alternative's name then its values.",
    ),
    method: str = typer.Option(
        "topsis", "--method",
        help=f"Ranking method: {_METHODS_HELP}.",
    ),
    weights: str = typer.Option(
        None, "--weights", "-w",
        help="Criterion weights in column order, comma separated (e.g. 0.3,0.7). "
             "They are scaled to sum to 1. Default: equal weights.",
    ),
    types: str = typer.Option(
        None, "--types", "-t",
        help="'max' (more is better) or 'min' (less is better) per criterion, comma "
             "separated (e.g. max,min). Default: max for every criterion.",
    ),
    normalization: str = typer.Option(
        None, "--normalization",
        help=f"Override the method's normalization: {'|'.join(NORMALIZATIONS)}.",
    ),
    v: float = typer.Option(
        None, "--v",
        help="VIKOR only: weight of the majority-of-criteria strategy, 0..1 (default 0.5).",
    ),
    preference: str = typer.Option(
        None, "--preference",
        help="PROMETHEE II only: preference function "
             f"{'|'.join(PREFERENCE_FUNCTIONS)} (default usual).",
    ),
    q: str = typer.Option(
        None, "--q",
        help="PROMETHEE II: indifference threshold (ushape, level, linear), one number "
             "or one per criterion, in the criterion's units.",
    ),
    p: str = typer.Option(
        None, "--p",
        help="PROMETHEE II: strict-preference threshold (vshape, level, linear).",
    ),
    s: str = typer.Option(
        None, "--s", help="PROMETHEE II: Gaussian inflection point (gaussian).",
    ),
    json_output: bool = typer.Option(
        False, "--json", help="Print JSON instead of a table.",
    ),
) -> None:
    """Rank alternatives (e.g. candidate host cities) against several criteria.

    Example:

        oicplan mcda --matrix cities.csv --method topsis --weights 0.5,0.3,0.2
        --types max,min,max --json

    The JSON has "method", "alternatives", "scores" and "ranks" (1 = best);
    VIKOR adds "S", "R", "Q" (lower Q is better) and its compromise set;
    PROMETHEE II adds "positive_flow", "negative_flow" and "net_flow".
    """
    from oicplan.services.mcda import McdaRequest
    from oicplan.services.mcda import mcda as rank_matrix

    given = {"v": v, "preference": preference, "q": q, "p": p, "s": s}
    params: dict = {}
    allowed = {"vikor": ("v",), "promethee2": ("preference", "q", "p", "s")}.get(method, ())
    for name, value in given.items():
        if value is None:
            continue
        if name not in allowed and method in METHODS:
            owner = "vikor" if name == "v" else "promethee2"
            raise InputError(f"--{name} applies only to --method {owner}", field=name)
        params[name] = _parse_numbers(value, name) if name in ("q", "p", "s") else value
    ranked = rank_matrix(McdaRequest(
        matrix=matrix, method=method, weights=_parse_numbers(weights, "weights"),
        types=None if types is None else _split(types), normalization=normalization, **params,
    ))
    result = ranked.ranking
    if json_output:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print_ranking(result)


weights_app = typer.Typer(
    help="Derive criterion weights: from experts' pairwise comparisons (ahp) or from "
         "the data (entropy, critic, std).",
    no_args_is_help=True,
)


def _print_weights(criteria, weights, title: str, notes: list[str]) -> None:
    table = Table(title=title)
    table.add_column("Criterion")
    table.add_column("Weight", justify="right")
    for name, w in zip(criteria, weights, strict=True):
        table.add_row(name, _fmt(float(w)))
    console = Console()
    console.print(table)
    for note in notes:
        console.print(note)


@weights_app.command("ahp")
def weights_ahp(
    pairwise: list[Path] = typer.Option(
        ..., "--pairwise",
        help="Square CSV of pairwise comparisons on Saaty's 1-9 scale: criterion names "
             "across the header and down the first column; cell (i, j) says how much "
             "more important criterion i is than j (fractions like 1/3 allowed). Repeat "
             "the option for several experts (group AHP, geometric mean).",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """AHP weights from one or more pairwise comparison matrices.

    Example:

        oicplan weights ahp --pairwise expert1.csv --pairwise expert2.csv --json

    Reports the weights, lambda_max, CI and CR (Saaty's random index); a CR above
    0.10 means the judgements are too inconsistent and should be revisited. With
    several files each expert's own CR is listed under "expert_cr".
    """
    from oicplan.services.mcda import AhpWeightsRequest, ahp_weights

    found = ahp_weights(AhpWeightsRequest(pairwise=pairwise))
    result, out = found.ahp, found.document
    if json_output:
        typer.echo(json.dumps(out, indent=2))
        return
    notes = [f"lambda_max = {result.lambda_max:.4f}, CI = {result.ci:.4f}, "
             f"CR = {result.cr:.4f}"]
    if not result.consistent:
        notes.append("[yellow]CR above 0.10: the comparisons are inconsistent; "
                     "revisit them.[/yellow]")
    for path, cr in zip(pairwise, out.get("expert_cr", []), strict=False):
        flag = "" if cr <= 0.10 else "  (above 0.10)"
        notes.append(f"expert {path}: CR = {cr:.4f}{flag}")
    title = "AHP weights" + (" (group, geometric mean)" if len(pairwise) > 1 else "")
    _print_weights(found.criteria, result.weights, title, notes)


def _objective(
    kind: str, method: str, matrix: Path, types: str | None, json_output: bool
) -> None:
    from oicplan.services.mcda import ObjectiveWeightsRequest, objective_weights

    found = objective_weights(ObjectiveWeightsRequest(
        matrix=matrix, method=method, types=None if types is None else _split(types)))
    if json_output:
        typer.echo(json.dumps(found.document, indent=2))
    else:
        _print_weights(found.criteria, found.weights, f"{kind} weights", [])


_MATRIX_HELP = ("CSV decision matrix: header row = a label then the criterion names; each "
                "following row = an alternative's name then its values.")
_TYPES_HELP = ("'max' or 'min' per criterion, comma separated (e.g. max,min). Default: max "
               "for every criterion.")


@weights_app.command("entropy")
def weights_entropy(
    matrix: Path = typer.Option(..., "--matrix", "-m", help=_MATRIX_HELP),
    types: str = typer.Option(None, "--types", "-t",
                              help=_TYPES_HELP + " Entropy ignores direction."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Entropy weights: criteria whose values vary more across alternatives weigh more.

    Example:

        oicplan weights entropy --matrix cities.csv --types max,min,max --json

    Needs non-negative values.
    """
    _objective("Entropy", "entropy", matrix, types, json_output)


@weights_app.command("critic")
def weights_critic(
    matrix: Path = typer.Option(..., "--matrix", "-m", help=_MATRIX_HELP),
    types: str = typer.Option(None, "--types", "-t", help=_TYPES_HELP),
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """CRITIC weights: spread times conflict (low correlation with other criteria).

    Example:

        oicplan weights critic --matrix cities.csv --types max,min,max
    """
    _objective("CRITIC", "critic", matrix, types, json_output)


@weights_app.command("std")
def weights_std(
    matrix: Path = typer.Option(..., "--matrix", "-m", help=_MATRIX_HELP),
    types: str = typer.Option(None, "--types", "-t", help=_TYPES_HELP),
    json_output: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Standard-deviation weights of the min-max normalized columns.

    Example:

        oicplan weights std --matrix cities.csv --types max,min,max --json
    """
    _objective("Standard-deviation", "std", matrix, types, json_output)
