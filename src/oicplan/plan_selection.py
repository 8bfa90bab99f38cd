"""A scenario's ``selection`` checked before any solve, and the enterprises a plan serves.

:func:`check_selection` finds what the layout model would reject later (unknown
modes in ``selection.capacity``, a missing ``selection.enterprises`` file, unknown
regions in ``selection.min_per_region``) and names the scenario file and field;
:func:`served_enterprises` reads ``selection.enterprises``. Both are re-exported by
:mod:`oicplan.plan`. :func:`network_enterprises` names the enterprises the report's
innovation network shows and :func:`synthetic_inputs` lists which of a plan's inputs
are synthetic (``synthetic_inputs`` at the top of ``plan.json``).
:func:`robustness_qualities` draws the site qualities the plan's robustness re-solves use.
"""

from __future__ import annotations

from typing import Any

from oicplan.data.dataset import Dataset, load_dataset
from oicplan.domain import CENTER_MODES
from oicplan.scenario import Scenario

__all__ = [
    "check_selection",
    "network_enterprises",
    "robustness_qualities",
    "served_enterprises",
    "synthetic_inputs",
]


def served_enterprises(source: str | None):
    """The enterprises a plan serves (``selection.enterprises``), or None for industries.

    ``source`` is ``"sample"`` (the labelled synthetic sample), ``"stored"`` (the last
    ``oicplan enterprises import``) or a CSV/XLSX path.

    >>> served_enterprises(None) is None, len(served_enterprises("sample"))
    (True, 4119)
    """
    if source is None:
        return None
    from oicplan.match.enterprises import load_enterprises

    frame = load_enterprises(None if source == "stored" else source)
    if frame.empty:
        from oicplan.errors import InputError

        raise InputError(
            "no stored enterprises: run 'oicplan enterprises import FILE' first, or use "
            "'sample'", field="selection.enterprises"
        )
    return frame


def network_enterprises(scenario: Scenario) -> str:
    """The enterprises the innovation network of a plan's report shows.

    The scenario's own (``selection.enterprises``: ``stored`` or a file) when it names
    them, else the labelled synthetic ``sample`` (real enterprise lists are not public).

    >>> from oicplan.scenario import load_scenario
    >>> network_enterprises(load_scenario("zhejiang"))
    'sample'
    """
    return scenario.selection.enterprises or "sample"


def synthetic_inputs(scenario: Scenario) -> list[dict[str, str]]:
    """Which inputs of the scenario's plan are synthetic, each with a one-line description.

    ``input`` names the setting (``selection.enterprises``: the enterprises the plan
    serves; ``network.enterprises``: those the report's innovation network shows),
    ``description`` and ``description_zh`` say what is synthetic. Empty when nothing is.

    >>> from oicplan.scenario import load_scenario
    >>> [item["input"] for item in synthetic_inputs(load_scenario("zhejiang"))]
    ['network.enterprises']
    """
    from oicplan.notes import note, note_text

    def item(name: str, text: str) -> dict[str, str]:
        return {"input": name, "description": text, "description_zh": note_text(text, "zh")}

    out = []
    source = scenario.selection.enterprises
    if source == "sample":
        out.append(item("selection.enterprises", note("synthetic_served")))
    elif source is not None:
        frame = served_enterprises(source)
        flags = frame.get("synthetic")
        count = 0 if flags is None else int(flags.fillna(False).astype(bool).sum())
        if count:
            text = note("synthetic_served_rows", n=count, total=len(frame))
            out.append(item("selection.enterprises", text))
    if network_enterprises(scenario) == "sample":
        out.append(item("network.enterprises", note("synthetic_network")))
    return out


def check_selection(
    scenario: Scenario,
    dataset: Dataset | None = None,
    file: str | None = None,
    *,
    read_enterprises: bool = False,
) -> None:
    """Check the scenario's ``selection`` settings that need data or files, before any solve.

    Checks that every mode in ``selection.capacity`` is a center mode, that
    ``selection.enterprises`` is ``sample``, ``stored`` or an existing file, and
    that every region of ``selection.min_per_region`` is a continent or World Bank
    region of the dataset. With ``read_enterprises`` the enterprises are also
    read (the file validated, the stored import not empty). Errors are
    :class:`~oicplan.errors.InputError` naming the scenario file (``file``, else
    the file the scenario was loaded from) and the field, e.g. ``my.yaml, field
    selection.min_per_region: unknown region 'Atlantis'; ...``.
    """
    from pathlib import Path

    from oicplan.errors import InputError

    file = file or scenario.source_file
    selection = scenario.selection
    if isinstance(selection.capacity, dict):
        unknown = [mode for mode in selection.capacity if mode not in CENTER_MODES]
        if unknown:
            raise InputError(
                f"capacity for unknown center mode {unknown[0]!r}; "
                f"use one of {', '.join(CENTER_MODES)}",
                file=file,
                field="selection.capacity",
            )
    source = selection.enterprises
    if source is not None and source not in ("sample", "stored") and not Path(source).is_file():
        raise InputError(
            f"enterprises file {source!r} not found (give 'sample', 'stored' or the path "
            "of a CSV or XLSX file)",
            file=file,
            field="selection.enterprises",
        )
    if read_enterprises and source is not None:
        try:
            served_enterprises(source)
        except InputError as error:
            # The stored import is empty, or the enterprises file has a bad row or
            # column (its own file, row and field stay in the message).
            message = error.message if error.file is None else str(error)
            raise InputError(message, file=file, field="selection.enterprises") from None
    if selection.min_per_region:
        from oicplan.optimize.layout import region_members

        dataset = dataset or load_dataset()
        for region in selection.min_per_region:
            try:
                region_members([], region, dataset)
            except InputError as error:
                raise InputError(
                    error.message, file=file, field="selection.min_per_region"
                ) from None


def robustness_qualities(ranked: Any, layout: Any, scenario: Scenario, samples: int) -> Any:
    """Site qualities (draws × sites × modes) under Monte Carlo draws of the pillar weights.

    The weights are drawn as in the ranking's uncertainty analysis (each multiplied by
    1 + U(-spread, spread), then rescaled, seeded by the scenario), the sites re-scored
    with the ranking method, and each mode keeps its quality factor from the layout model.
    ``ranked`` is the scenario's :class:`oicplan.ranking.RankedSites` and ``layout`` its
    :class:`oicplan.optimize.Layout`; the plan re-solves the layout for each draw (its
    ``robustness``).
    """
    import numpy as np

    from oicplan.mcda import rank as mcda_rank

    settings = scenario.uncertainty
    pillars = [p for p in ranked.pillar_ids if ranked.weights[p] > 0]
    matrix = ranked.table[[f"pillar_{p}" for p in pillars]].to_numpy(float)
    usable = [i for i in range(len(pillars)) if np.ptp(matrix[:, i]) > 0]
    matrix = matrix[:, usable]
    types = [ranked.scores.framework.pillar(pillars[i]).direction for i in usable]
    base = np.array([ranked.weights[pillars[i]] for i in usable])
    rng = np.random.default_rng(settings.seed)
    draws = base * (1 + rng.uniform(-settings.spread, settings.spread, (samples, base.size)))
    draws /= draws.sum(axis=1, keepdims=True)
    result = mcda_rank(
        matrix,
        draws,
        types,
        method=ranked.method,
        normalization=ranked.normalization,
        **scenario.ranking.params,
    )
    scores = np.asarray(result.scores, dtype=float)
    if ranked.method not in ("topsis", "wsm", "wpm"):
        # VIKOR's Q (lower is better) and PROMETHEE's net flow (signed) become a
        # quality in [0, 1] per draw, higher = better.
        scores = scores if result.higher_is_better else -scores
        low, high = scores.min(axis=1, keepdims=True), scores.max(axis=1, keepdims=True)
        scores = (scores - low) / np.where(high > low, high - low, 1.0)
    base_scores = ranked.table["score"].to_numpy(float)
    inputs = layout.inputs
    factor = np.zeros((len(inputs.site_ids), len(inputs.modes)))
    factor[inputs.opt_site, inputs.opt_mode] = inputs.quality / np.where(
        base_scores[inputs.opt_site] > 0, base_scores[inputs.opt_site], 1.0
    )
    return scores[:, :, None] * factor[None, :, :]
