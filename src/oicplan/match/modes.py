"""Center modes per site: a score for each mode with its reasons, and a park view.

Scores agree with :func:`oicplan.domain.assign_mode` by construction: both read
the one rule table, :data:`oicplan.domain.MODE_RULES`. For every
site and mode (0.7 and 0.5 below are ``mode_score.rule_weight`` and
``mode_score.preempted_rule`` of :mod:`oicplan.assumptions`),

    score = 0.7 · rule + 0.3 · fit

``rule`` is 1 for the mode that ``assign_mode``'s first applicable rule gives,
0.5 for a mode whose rule also holds at the site but comes later in the order
(e.g. a rail node that also hosts a cooperation zone: ``corridor_hub``), and 0
otherwise. ``fit`` ∈ [0, 1] weighs the site's pillar scores (and its GII cluster
rank) as each mode needs them (:data:`MODE_FIT`: the stated weights
``mode_fit.MODE.PART`` of :mod:`oicplan.assumptions`, used as shares of each
mode's sum, :func:`fit_weights`). The mode of ``assign_mode``
therefore always scores at least 0.7 and every other mode at most
0.35 + 0.3 = 0.65: the rule decides, the fit orders the alternatives.

The third-generation park view (paper 1.1 and 1.3: led by talent, integrated
with the community and the city, built on a knowledge ecology) scores each site
on three dimensions from real indicators (:data:`PARK_INDICATORS`), each the
mean percentile of the site's economy among the ranked economies.

>>> import pandas as pd
>>> table = pd.DataFrame({"site_id": ["A"], "types": ["zone;rail_node"],
...     "gii_cluster_rank": [None], "pillar_innovation": [0.2], "pillar_talent": [0.3],
...     "pillar_market": [0.5], "pillar_cooperation": [0.8], "pillar_connectivity": [0.6],
...     "pillar_services": [0.4], "pillar_policy": [0.5]})
>>> scores = mode_scores(table)
>>> scores.sort_values("score", ascending=False)["mode"].tolist()[:2]
['zone_upgrade', 'corridor_hub']
"""

from __future__ import annotations

import pandas as pd

from oicplan.assumptions import ASSUMPTIONS, default, value
from oicplan.data.dataset import Dataset, load_dataset
from oicplan.domain import CENTER_MODES, MODE_REASONS, assign_mode, holding_rules

__all__ = ["MODE_FIT", "PARK_INDICATORS", "RULE_WEIGHT", "fit_weights", "mode_scores", "park_view"]

#: The rule's share of a mode score, as stated (``mode_score.rule_weight`` of
#: :mod:`oicplan.assumptions`; the scores read the value in force there). The
#: rule credit of a preempted mode is ``mode_score.preempted_rule``.
RULE_WEIGHT = default("mode_score.rule_weight")
_CLUSTER_RANKS = 100  # GII lists the top 100 science and technology clusters

_FIT_PREFIX = "mode_fit."


def _fit_names() -> dict[str, dict[str, str]]:
    """mode -> part -> the name of its weight in :mod:`oicplan.assumptions`."""
    names: dict[str, dict[str, str]] = {mode: {} for mode in CENTER_MODES}
    for name in ASSUMPTIONS:
        if name.startswith(_FIT_PREFIX):
            mode, part = name[len(_FIT_PREFIX):].split(".")
            names[mode][part] = name
    return names


_FIT_NAMES = _fit_names()

#: The stated pillar weights of each mode's fit (``mode_fit.MODE.PART`` of
#: :mod:`oicplan.assumptions`, where each has its reason); "cluster" is
#: 1 − (rank − 1) / 100 for a city in the GII top-100 S&T clusters, else 0. The
#: scores read the weights in force (:func:`fit_weights`).
MODE_FIT: dict[str, dict[str, float]] = {
    mode: {part: default(name) for part, name in parts.items()}
    for mode, parts in _FIT_NAMES.items()
}


def fit_weights() -> dict[str, dict[str, float]]:
    """Each mode's pillar weights in force, as shares of their sum (0 when all are 0).

    A scenario or a sweep may set any weight (``mode_fit.joint_lab.talent: 0.8``);
    the weights of a mode are then renormalised, so raising one lowers the others'
    shares and the fit stays in [0, 1].

    >>> fit_weights()["joint_lab"]
    {'talent': 0.6, 'innovation': 0.4}
    >>> from oicplan.assumptions import applied
    >>> with applied({"mode_fit.joint_lab.talent": 0.4}):
    ...     fit_weights()["joint_lab"]
    {'talent': 0.5, 'innovation': 0.5}
    """
    out: dict[str, dict[str, float]] = {}
    for mode, parts in _FIT_NAMES.items():
        raw = {part: value(name) for part, name in parts.items()}
        total = sum(raw.values())
        out[mode] = {part: (w / total if total > 0 else 0.0) for part, w in raw.items()}
    return out

PARK_INDICATORS: dict[str, list[str]] = {
    "talent": ["SP.POP.SCIE.RD.P6", "SE.TER.ENRR", "GII.HUMAN_CAPITAL_RESEARCH"],
    "community": ["SP.URB.TOTL.IN.ZS", "IT.NET.BBND.P2", "GII.CREATIVE_OUTPUTS"],
    "knowledge_ecology": [
        "GII.KNOWLEDGE_TECHNOLOGY_OUTPUTS",
        "GII.BUSINESS_SOPHISTICATION",
        "GB.XPD.RSDV.GD.ZS",
    ],
}

def _number(value: object) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if number != number else number


def _cluster(site: pd.Series) -> float:
    rank = _number(site.get("gii_cluster_rank"))
    if rank <= 0 or rank > _CLUSTER_RANKS:
        return 0.0
    return 1.0 - (rank - 1.0) / _CLUSTER_RANKS


def mode_scores(ranked_table: pd.DataFrame) -> pd.DataFrame:
    """Score every center mode at every site of a ranked table, with reasons.

    Parameters
    ----------
    ranked_table : DataFrame
        ``rank_sites(scenario).table``: ``site_id``, ``types``, ``gii_cluster_rank``
        and the ``pillar_*`` columns.

    Returns
    -------
    DataFrame
        ``site_id, mode, score, reasons`` (a list of strings) plus ``rule``
        (True for the mode of :func:`oicplan.domain.assign_mode`) and ``fit``;
        five rows per site, in the order of the table and of ``CENTER_MODES``.
    """
    rows = []
    weight, preempted = value("mode_score.rule_weight"), value("mode_score.preempted_rule")
    weights = fit_weights()
    for _, site in ranked_table.iterrows():
        chosen, chosen_rule = assign_mode(site)
        holding: dict[str, list[str]] = {}
        for rule in holding_rules(site):
            holding.setdefault(rule.mode, []).append(rule.key)
        cluster = _cluster(site)
        for mode in CENTER_MODES:
            parts = weights[mode]
            values = {
                name: cluster if name == "cluster" else _number(site.get(f"pillar_{name}"))
                for name in parts
            }
            fit = sum(parts[name] * values[name] for name in parts)
            reasons = []
            if mode == chosen:
                rule = 1.0
                reasons.append(f"rule: {MODE_REASONS[chosen_rule][0]} (plan.assign_mode)")
            elif mode in holding:
                rule = preempted
                for key in holding[mode]:
                    reasons.append(
                        f"also holds: {MODE_REASONS[key][0]}, but an earlier rule gives {chosen}"
                    )
            else:
                rule = 0.0
            for name in parts:
                if parts[name] == 0:
                    continue
                if name == "cluster":
                    if cluster > 0:
                        rank = int(_number(site.get("gii_cluster_rank")))
                        reasons.append(f"GII S&T cluster rank {rank}")
                else:
                    reasons.append(f"{name} pillar {values[name]:.2f}")
            rows.append(
                {
                    "site_id": site["site_id"],
                    "mode": mode,
                    "score": round(weight * rule + (1.0 - weight) * fit, 6),
                    "reasons": reasons,
                    "rule": mode == chosen,
                    "fit": round(fit, 6),
                }
            )
    return pd.DataFrame(rows, columns=["site_id", "mode", "score", "reasons", "rule", "fit"])


def park_view(ranked_table: pd.DataFrame, dataset: Dataset | None = None) -> pd.DataFrame:
    """Third-generation park view: talent, community and knowledge ecology per site.

    Each indicator of :data:`PARK_INDICATORS` becomes the percentile of the site's
    economy among the economies of the table (0 = lowest, 1 = highest); a
    dimension is the mean of its available percentiles (NaN if none), the
    ``park_score`` the mean of the available dimensions. ``evidence`` lists each
    value with its year and source.
    """
    dataset = dataset or load_dataset()
    codes = [code for group in PARK_INDICATORS.values() for code in group]
    values, years = dataset.latest_matrix(codes)
    economies = list(dict.fromkeys(ranked_table["iso3"]))
    values = values.reindex(economies)
    years = years.reindex(economies)
    percentile = values.rank(pct=True, method="average")
    sources = dataset.indicators["source"].to_dict()
    per_economy = {}
    for iso3 in economies:
        dims = {}
        for dimension, group in PARK_INDICATORS.items():
            known = percentile.loc[iso3, group].dropna()
            dims[dimension] = float(known.mean()) if len(known) else float("nan")
        evidence = [
            f"{code} = {values.at[iso3, code]:.4g} ({int(years.at[iso3, code])}, "
            f"{sources.get(code, 'wdi')})"
            for code in codes
            if pd.notna(values.at[iso3, code])
        ]
        available = [v for v in dims.values() if v == v]
        dims["park_score"] = sum(available) / len(available) if available else float("nan")
        dims["evidence"] = evidence
        per_economy[iso3] = dims
    rows = []
    for _, site in ranked_table.iterrows():
        entry = per_economy[site["iso3"]]
        rows.append({"site_id": site["site_id"], **entry})
    return pd.DataFrame(rows)
