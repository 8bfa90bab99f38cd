"""Use case: how robust is a ranking? Rank intervals under uncertain weights and choices.

:func:`sensitivity` runs the Monte Carlo rank analysis of
:mod:`oicplan.uncertainty` (and, when asked, Sobol' indices and charts) on either
a scenario's ranking of its candidate sites over the framework's pillars, or a
decision-matrix CSV file. The result's ``document`` is the JSON that
``oicplan sensitivity --json`` prints. With ``assumptions`` (and a scenario) it runs
the one-at-a-time sweep of the stated numbers that can move the plan instead
(:func:`oicplan.services.assumptions.assumption_sweep`): whether the chosen sites or
their center modes change when each is moved by ``assumption_spread``.

Errors are :class:`~oicplan.errors.InputError` naming the request field
(``sobol_samples``, ``samples``, ``variants``, ...) or the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result
from oicplan.textfile import csv_delimiter, read_text

__all__ = ["Progress", "SensitivityRequest", "SensitivityResult", "sensitivity"]

#: ``progress(stage, done, total)``: a stage ("Monte Carlo", "Sobol' indices")
#: advanced to ``done`` of ``total`` steps (``None`` when unknown).
Progress = Callable[[str, int, int | None], None]

# sobol_analysis names its own parameters; a request names its fields.
_SOBOL_FIELDS = {"samples": "sobol_samples", "num_resamples": "sobol_resamples",
                 "conf_level": "conf_level"}


class SensitivityRequest(Request):
    """What to analyse (a scenario or a matrix file) and how to perturb it.

    With ``scenario`` the method, weights, criterion types and normalization come
    from the scenario's ranking; ``variants`` (build settings such as
    ``{"imputation": "group_mean"}``) add composite-index builds to draw among.
    With ``matrix`` (a CSV decision matrix) ``method`` (default topsis),
    ``weights`` (default equal) and ``types`` (default max) may be given.
    """

    scenario: str | None = None
    matrix: Path | None = None
    method: str | None = None
    weights: list[float] | None = None
    types: list[str] | None = None
    variants: list[dict[str, Any]] = []
    samples: int = 10_000
    seed: int | None = None
    spread: float = 0.2
    dirichlet: bool = False
    concentration: float | None = None
    normalizations: list[str] | None = None
    top_k: int = 10
    scheduler: str | None = None
    sobol: bool = False
    sobol_samples: int = 512
    sobol_resamples: int = 100
    conf_level: float = 0.95
    plot: Path | None = None
    assumptions: bool = False
    assumption_names: list[str] | None = None
    assumption_spread: float = 0.2
    assumption_steps: int = 2


class SensitivityResult(Result):
    """The rank robustness.

    ``document`` is JSON-ready (what ``oicplan sensitivity --json`` prints);
    ``labels`` maps an alternative to its name (scenario sites; empty for a
    matrix); ``plots`` lists the charts written. ``robustness`` and ``sobol``
    are the library results behind them (not dumped).
    """

    document: dict[str, Any]
    labels: dict[str, str] = {}
    plots: list[str] = []
    robustness: Any = Field(default=None, exclude=True)
    sobol: Any = Field(default=None, exclude=True)
    matrix: Any = Field(default=None, exclude=True)


def _check_sources(r: SensitivityRequest) -> None:
    if (r.scenario is None) == (r.matrix is None):
        raise InputError("give either scenario or matrix (exactly one)",
                         field="scenario/matrix")
    if r.scenario is not None:
        for name in ("method", "weights", "types"):
            if getattr(r, name) is not None:
                raise InputError(f"{name} comes from the scenario; use it with matrix",
                                 field=name)
    elif r.variants:
        raise InputError("variants need scenario (they rebuild the scenario's index)",
                         field="variants")


def _check_types(types: list[str]) -> list[str]:
    out = [t.lower() for t in types]
    for t in out:
        if t not in ("max", "min"):
            raise InputError(f"criterion type {t!r} must be 'max' or 'min'", field="types")
    return out


def _default_types(path: Path) -> list[str]:
    """``max`` for every criterion of the CSV file's header."""
    if not Path(path).is_file():
        raise InputError("file not found", file=str(path))
    text = read_text(path)  # UTF-8, UTF-16 or GB18030/GBK; errors name the file
    header = text.split("\n", 1)[0]
    return ["max"] * max(0, len(header.split(csv_delimiter(text))) - 1)


def _from_scenario(name: str, variants: list[dict[str, Any]]) -> dict[str, Any]:
    import numpy as np

    from oicplan.ranking import index_variants, rank_sites
    from oicplan.scenario import load_scenario

    ranked: Any = rank_sites(load_scenario(name))
    framework = ranked.scores.framework
    matrix = ranked.scores.pillar_matrix()
    used = [p for p in framework.pillar_ids
            if ranked.weights[p] > 0 and np.ptp(matrix[p].to_numpy()) > 0]
    names = ranked.table.set_index("site_id")["name"]
    builds = index_variants(ranked.scores, used, [dict(v) for v in variants])
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


def _from_matrix(r: SensitivityRequest) -> dict[str, Any]:
    from oicplan.mcda import METHODS
    from oicplan.mcda.files import read_decision_matrix

    assert r.matrix is not None  # checked by _check_sources
    method = r.method or "topsis"
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}",
                         field="method")
    types = _default_types(r.matrix) if r.types is None else _check_types(r.types)
    return {
        "matrix": read_decision_matrix(r.matrix, types),
        "weights": r.weights,
        "types": None,
        "method": method,
        "normalization": None,
        "params": {},
        "labels": {},
        "alternatives": None,
        "criteria": None,
    }


def _check_sampling(r: SensitivityRequest) -> None:
    if r.samples < 1:
        raise InputError(f"samples must be at least 1, got {r.samples}", field="samples")
    if r.sobol_resamples < 0:
        raise InputError(f"sobol_resamples must be >= 0, got {r.sobol_resamples}",
                         field="sobol_resamples")
    if r.sobol and (r.sobol_samples < 2 or r.sobol_samples & (r.sobol_samples - 1)):
        # Checked here too so a bad value fails before the Monte Carlo run.
        raise InputError(
            "sobol_samples must be a power of two for Sobol' sequences (e.g. 512, "
            f"1024), got {r.sobol_samples}", field="sobol_samples",
        )


def _sobol_field_error(exc: InputError) -> InputError:
    """An error of :func:`sobol_analysis` named by the request's field."""
    field = exc.field or ""
    name = _SOBOL_FIELDS.get(field)
    if name is None:
        return exc
    message = exc.message
    if message.startswith(field + " "):
        message = name + message[len(field):]
    return InputError(message, file=exc.file, row=exc.row, field=name)


def _plots(path: Path, res: Any, sobol: Any, matrix: Any) -> list[Path]:
    import pandas as pd

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
    values = matrix.values if hasattr(matrix, "alternatives") else matrix.to_numpy()
    frame = pd.DataFrame(values, columns=list(res.criteria))
    written.append(save_figure(plot_correlation(frame),
                               path.with_name(f"{path.stem}_correlation{path.suffix}")))
    if sobol is not None:
        written.append(save_figure(plot_sobol_indices(sobol),
                                   path.with_name(f"{path.stem}_sobol{path.suffix}")))
    return written


def _assumption_sweep(r: SensitivityRequest, report: Progress) -> SensitivityResult:
    """The one-at-a-time sweep of the plan's assumptions (``assumptions``)."""
    from oicplan.services.assumptions import AssumptionSweepRequest, assumption_sweep

    if r.scenario is None:
        raise InputError("assumptions need scenario (they move the scenario's plan)",
                         field="assumptions")
    if not 0 < r.assumption_spread <= 1:
        raise InputError(f"assumption_spread must be in (0, 1], got {r.assumption_spread:g}",
                         field="assumption_spread")
    if not 1 <= r.assumption_steps <= 10:
        raise InputError(f"assumption_steps must be 1 to 10, got {r.assumption_steps}",
                         field="assumption_steps")
    try:
        sweep = assumption_sweep(
            AssumptionSweepRequest(scenario=r.scenario, names=r.assumption_names,
                                   spread=r.assumption_spread, steps=r.assumption_steps),
            progress=report,
        )
    except InputError as error:
        if error.field != "names":
            raise
        raise InputError(f"assumption_names: {error.message}", field="assumption_names") from None
    return SensitivityResult(document=sweep.document, robustness=sweep)


def sensitivity(request: SensitivityRequest, *,
                progress: Progress | None = None) -> SensitivityResult:
    """Monte Carlo rank intervals (and Sobol' indices, charts) of a ranking.

    Parameters
    ----------
    request : SensitivityRequest
    progress : callable, optional
        ``progress(stage, done, total)`` as the replications run.

    Returns
    -------
    SensitivityResult

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "m.csv")
    >>> _ = open(path, "w").write("city,gdp,cost\\nA,3,1\\nB,1,3\\nC,2,2\\n")
    >>> request = SensitivityRequest(matrix=path, types=["max", "min"], samples=50, seed=1)
    >>> out = sensitivity(request).document
    >>> out["alternatives"], out["base_rank"]
    (['A', 'B', 'C'], [1, 3, 2])
    """
    from oicplan.uncertainty.montecarlo import monte_carlo, prepare

    r = request
    report = progress or (lambda stage, done, total: None)
    _check_sources(r)
    if r.assumptions:
        return _assumption_sweep(r, report)
    spec = _from_scenario(r.scenario, r.variants) if r.scenario is not None else _from_matrix(r)
    norms = r.normalizations
    if norms is None and spec["normalization"]:
        norms = [spec["normalization"]]
    _check_sampling(r)
    setup = prepare(spec["matrix"], spec["weights"], spec["types"], spec["method"],
                    normalizations=norms, alternatives=spec["alternatives"],
                    criteria=spec["criteria"], **spec["params"])
    weight_opts: dict[str, Any] = {"spread": r.spread, "dirichlet": r.dirichlet,
                                   "concentration": r.concentration}
    report("Monte Carlo", 0, r.samples)
    res = monte_carlo(
        setup, samples=r.samples, seed=r.seed, top_k=r.top_k, scheduler=r.scheduler,
        progress=lambda done, total: report("Monte Carlo", done, total), **weight_opts,
    )
    sob = None
    if r.sobol:
        from oicplan.uncertainty.sobol import sobol_analysis  # loads scipy.stats and SALib

        report("Sobol' indices", 0, None)
        try:
            sob = sobol_analysis(setup, samples=r.sobol_samples, seed=res.seed % (2**32),
                                 num_resamples=r.sobol_resamples, conf_level=r.conf_level,
                                 **weight_opts)
        except InputError as exc:
            raise _sobol_field_error(exc) from None
    written = _plots(r.plot, res, sob, spec["matrix"]) if r.plot is not None else []
    out = res.to_dict()
    if spec["labels"]:
        out["names"] = [spec["labels"].get(a, a) for a in res.alternatives]
    if sob is not None:
        out["sobol"] = sob.to_dict()
    if written:
        out["plots"] = [str(p) for p in written]
    return SensitivityResult(document=out, labels=spec["labels"],
                             plots=[str(p) for p in written], robustness=res, sobol=sob,
                             matrix=spec["matrix"])
