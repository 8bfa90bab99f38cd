"""Host-economy risk over time, from the Worldwide Governance Indicators, for the alerts.

:func:`~oicplan.monitor.alerts.host_risk_alerts` flags a center whose host
economy's risk score is rising; it needs ``iso3 -> [(year, score), ...]`` with
a higher score meaning more risk. This module builds that mapping from the WGI
estimates shipped in the dataset (``load_dataset().series``, source ``wgi``).

Risk score of an economy in a year::

    risk = -(PV + RL + GE + RQ + CC) / 5

with the WGI estimates of Political Stability and Absence of Violence/Terrorism
(``WGI.PV``), Rule of Law (``WGI.RL``), Government Effectiveness (``WGI.GE``),
Regulatory Quality (``WGI.RQ``) and Control of Corruption (``WGI.CC``). The
estimates run from about -2.5 to 2.5 with higher meaning better governance, so
the sign is flipped: the score is on the same scale and higher means riskier.
Voice and Accountability (``WGI.VA``) is left out because it describes
political rights rather than the conditions a center operates in; pass
``indicators=`` to use another set.

A year gets a score only when every chosen estimate is present, so a score
never changes because an indicator drops in or out. Two cautions when reading
a rise: the estimates are standardized across economies, so a rise means worse
*relative* to the others; and each estimate has a standard error of roughly 0.2
(WGI publishes it), so small year-to-year moves are noise. Use ``min_rise``
(for example 0.1) in the alerts to ignore them.

>>> from oicplan.data import load_dataset
>>> series = host_risk_series(load_dataset(), ["DEU"])
>>> years = [year for year, _ in series["DEU"]]
>>> years[0], years[-1], all(-2.5 < s < 2.5 for _, s in series["DEU"])
(2011, 2023, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from oicplan.errors import InputError
from oicplan.monitor.alerts import RISK_WINDOW, Alert, host_risk_alerts

__all__ = [
    "RISK_INDICATORS",
    "host_risk_table",
    "host_risk_series",
    "host_risk_alerts_from_dataset",
]

RISK_INDICATORS = ("WGI.PV", "WGI.RL", "WGI.GE", "WGI.RQ", "WGI.CC")
"""WGI estimates averaged (and negated) into the risk score."""


def _codes(dataset: Any, iso3_codes: Iterable[str] | str | None) -> list[str] | None:
    """Upper-cased, checked economy codes (None means all)."""
    if iso3_codes is None:
        return None
    if isinstance(iso3_codes, str):
        iso3_codes = [iso3_codes]
    check = getattr(dataset, "check_economy", None)
    out = []
    for code in iso3_codes:
        out.append(check(code) if check else str(code).strip().upper())
    return out


def _check_indicators(dataset: Any, indicators: Sequence[str]) -> list[str]:
    chosen = [str(i) for i in indicators]
    if not chosen:
        raise InputError("choose at least one WGI indicator", field="indicators")
    known = getattr(dataset, "indicators", None)
    if isinstance(known, pd.DataFrame):
        unknown = [i for i in chosen if i not in known.index]
        if unknown:
            raise InputError(f"unknown indicator(s) {', '.join(unknown)}", field="indicators")
    return chosen


def host_risk_table(
    dataset: Any,
    iso3_codes: Iterable[str] | str | None = None,
    *,
    indicators: Sequence[str] = RISK_INDICATORS,
) -> pd.DataFrame:
    """Yearly WGI estimates and the risk score, one row per economy and year.

    Parameters
    ----------
    dataset : Dataset
        Anything with a tidy ``series`` table (``entity, indicator, year,
        value, source``).
    iso3_codes : iterable of str, optional
        Economies; all economies with WGI data if omitted.
    indicators : sequence of str, default :data:`RISK_INDICATORS`

    Returns
    -------
    DataFrame
        ``iso3, year``, one column per indicator, ``risk`` (minus their
        mean) and ``source``; only years with every indicator present,
        sorted by economy and year.

    Raises
    ------
    InputError
        Field ``iso3`` for an unknown economy code, ``indicators`` for an
        unknown indicator.

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> t = host_risk_table(load_dataset(), ["CHN"])
    >>> list(t.columns)[:3], int(t["year"].max())
    (['iso3', 'year', 'WGI.PV'], 2023)
    """
    chosen = _check_indicators(dataset, indicators)
    codes = _codes(dataset, iso3_codes)
    series = dataset.series
    rows = series[series["indicator"].isin(chosen)].dropna(subset=["value"])
    if codes is not None:
        rows = rows[rows["entity"].isin(codes)]
    columns = ["iso3", "year", *chosen, "risk", "source"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    wide = rows.pivot_table(
        index=["entity", "year"], columns="indicator", values="value", aggfunc="first"
    )
    wide = wide.reindex(columns=chosen).dropna()
    sources = rows.groupby(["entity", "year"])["source"].agg(
        lambda s: ";".join(sorted(set(map(str, s))))
    )
    table = wide.reset_index().rename(columns={"entity": "iso3"})
    table["risk"] = -wide[chosen].mean(axis=1).to_numpy()
    table["source"] = [sources.loc[key] for key in wide.index]
    table["year"] = table["year"].astype(int)
    table.columns.name = None
    return table[columns].sort_values(["iso3", "year"]).reset_index(drop=True)


def host_risk_series(
    dataset: Any,
    iso3_codes: Iterable[str] | str | None,
    *,
    indicators: Sequence[str] = RISK_INDICATORS,
) -> dict[str, list[tuple[int, float]]]:
    """The ``iso3 -> [(year, risk score), ...]`` mapping the monitoring alerts take.

    Parameters
    ----------
    dataset : Dataset
    iso3_codes : iterable of str, or None for every economy with WGI data
    indicators : sequence of str, default :data:`RISK_INDICATORS`

    Returns
    -------
    dict
        Every requested economy is a key; its list is sorted by year and
        empty when WGI has no complete year for it. Scores are plain floats.

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> from oicplan.monitor.alerts import host_risk_alerts
    >>> risk = host_risk_series(load_dataset(), ["CHN", "DEU"])
    >>> sorted(risk), isinstance(risk["CHN"][0][1], float)
    (['CHN', 'DEU'], True)
    >>> alerts = host_risk_alerts({"c1": "DEU"}, risk, min_rise=5.0)
    >>> alerts
    []
    """
    table = host_risk_table(dataset, iso3_codes, indicators=indicators)
    codes = _codes(dataset, iso3_codes)
    out: dict[str, list[tuple[int, float]]] = {c: [] for c in codes or []}
    for iso3, year, risk in zip(table["iso3"], table["year"], table["risk"], strict=True):
        out.setdefault(str(iso3), []).append((int(year), float(risk)))
    return out


def host_risk_alerts_from_dataset(
    center_iso3: Mapping[str, str],
    dataset: Any,
    *,
    window: int = RISK_WINDOW,
    min_rise: float = 0.0,
    indicators: Sequence[str] = RISK_INDICATORS,
) -> list[Alert]:
    """Rising-risk alerts for centers, with the WGI risk score of their host economies.

    Parameters
    ----------
    center_iso3 : mapping
        ``center_id -> iso3``.
    dataset : Dataset
    window, min_rise
        As in :func:`~oicplan.monitor.alerts.host_risk_alerts`.
    indicators : sequence of str, default :data:`RISK_INDICATORS`

    Returns
    -------
    list of Alert

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> host_risk_alerts_from_dataset({"c1": "DEU"}, load_dataset(), min_rise=5.0)
    []
    """
    risk = host_risk_series(dataset, sorted(set(center_iso3.values())), indicators=indicators)
    return host_risk_alerts(center_iso3, risk, window=window, min_rise=min_rise)
