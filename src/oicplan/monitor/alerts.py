"""Alerts and a traffic-light overview for established centers.

Three kinds of alert, each a plain function so they can be used without a
database:

* :func:`below_target_alerts`: a KPI below its target in each of the last N
  consecutive reported years (N = 2 by default). Red.
* :func:`cost_overrun_alerts`: actual cost above budget in the latest year
  with both. Amber up to 20 % over, red beyond.
* :func:`host_risk_alerts`: the host economy's risk score rising over recent
  years. Amber. This is the hook for governance data: pass any mapping
  ``iso3 -> [(year, score), ...]`` where a higher score means more risk.

A center with no KPI values at all gets an amber ``no_kpi_data`` alert, so an
unmonitored center never shows green. :func:`traffic_lights` turns alerts into
green, amber or red per center; :func:`overview` does everything for a
:class:`~oicplan.store.Registry`.

An alert's ``message`` is an English note of :mod:`oicplan.notes` (keys
``alert_*``), so :func:`oicplan.notes.note_text` gives it in Chinese (with the
KPI's Chinese name, :data:`oicplan.monitor.kpis.KPIS`, as vocabulary).

>>> values = [{"center_id": "a", "year": y, "kpi": "patents", "value": v}
...           for y, v in [(2021, 9), (2022, 3), (2023, 4)]]
>>> targets = [{"center_id": "a", "kpi": "patents", "year": None, "target": 5}]
>>> [a.kind for a in below_target_alerts(values, targets, years=2)]
['below_target']
>>> traffic_lights(["a", "b"], below_target_alerts(values, targets))
{'a': 'red', 'b': 'green'}
>>> from oicplan.notes import note_text
>>> alert = below_target_alerts(values, targets)[0]
>>> alert.message
'patents below target for 2 consecutive years (latest 2023: 4 < 5)'
>>> note_text(alert.message, "zh", {"patents": "专利"})
'专利连续2年低于目标（最新2023年：4 < 5）'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from oicplan.assumptions import default
from oicplan.errors import InputError
from oicplan.notes import note

__all__ = [
    "RISK_WINDOW",
    "YEARS_BELOW_TARGET",
    "Alert",
    "SEVERITY_ORDER",
    "below_target_alerts",
    "cost_overrun_alerts",
    "host_risk_alerts",
    "no_data_alerts",
    "traffic_lights",
    "overview",
    "read_costs",
    "read_risk",
]

SEVERITY_ORDER = {"green": 0, "amber": 1, "red": 2}

# The stated thresholds (oicplan.assumptions, with their reasons): years below target
# in a row, overrun tolerated and overrun that turns red, host-risk window.
YEARS_BELOW_TARGET = int(default("alerts.below_target_years"))
_TOLERANCE = default("alerts.cost_overrun_tolerance")
_RED_ABOVE = default("alerts.cost_overrun_red")
RISK_WINDOW = int(default("alerts.risk_window"))


@dataclass(frozen=True)
class Alert:
    """One finding about a center."""

    center_id: str
    kind: str
    severity: str
    message: str
    kpi: str | None = None
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary."""
        return asdict(self)


def _target_lookup(targets: Iterable[Mapping]) -> dict:
    # Year-specific targets win over the standing target (year None).
    lookup: dict = defaultdict(dict)
    for t in targets:
        lookup[(t["center_id"], t["kpi"])][t.get("year")] = float(t["target"])
    return lookup


def below_target_alerts(
    values: Iterable[Mapping], targets: Iterable[Mapping], *, years: int = YEARS_BELOW_TARGET
) -> list[Alert]:
    """KPIs below target in each of the latest ``years`` consecutive calendar years.

    Only the run that ends at the latest reported year counts: a KPI that was
    below target earlier but has recovered raises no alert. A gap in the
    reported years ends a run.

    Parameters
    ----------
    values : iterable of mapping
        ``center_id, year, kpi, value``.
    targets : iterable of mapping
        ``center_id, kpi, year (or None), target``.
    years : int, default 2 (``alerts.below_target_years``, :mod:`oicplan.assumptions`)
        N, the number of consecutive years that makes an alert.

    Returns
    -------
    list of Alert

    >>> v = [{"center_id": "a", "year": 2022, "kpi": "patents", "value": 1},
    ...      {"center_id": "a", "year": 2023, "kpi": "patents", "value": 9}]
    >>> below_target_alerts(v, [{"center_id": "a", "kpi": "patents", "target": 5}])
    []
    """
    if int(years) < 1:
        raise InputError(f"must be at least 1, got {years}", field="years")
    lookup = _target_lookup(targets)
    series: dict = defaultdict(dict)
    for v in values:
        series[(v["center_id"], v["kpi"])][int(v["year"])] = float(v["value"])
    alerts = []
    for (center_id, kpi), by_year in sorted(series.items()):
        if (center_id, kpi) not in lookup:
            continue
        wanted = lookup[(center_id, kpi)]
        run, year = 0, max(by_year)
        last = year
        while year in by_year:
            target = wanted.get(year, wanted.get(None))
            if target is None or by_year[year] >= target:
                break
            run += 1
            year -= 1
        if run >= years:
            target = wanted.get(last, wanted.get(None))
            alerts.append(
                Alert(
                    center_id,
                    "below_target",
                    "red",
                    note("alert_below_target", kpi=kpi, run=run, year=last,
                         value=f"{by_year[last]:g}", target=f"{target:g}"),
                    kpi=kpi,
                    year=last,
                )
            )
    return alerts


def cost_overrun_alerts(
    costs: Mapping[str, Sequence[tuple[int, float, float]]],
    *,
    tolerance: float = _TOLERANCE,
    red_above: float = _RED_ABOVE,
) -> list[Alert]:
    """Actual cost above budget in a center's latest year with figures.

    Parameters
    ----------
    costs : mapping
        ``center_id -> [(year, budget, actual), ...]``.
    tolerance : float, default 0.0 (``alerts.cost_overrun_tolerance``)
        Overrun share tolerated without alert (0.05 = 5 %).
    red_above : float, default 0.2 (``alerts.cost_overrun_red``)
        Overrun share above which the alert is red instead of amber.

    >>> [a.severity for a in cost_overrun_alerts({"a": [(2023, 100, 130)]})]
    ['red']
    >>> cost_overrun_alerts({"a": [(2022, 100, 130), (2023, 100, 90)]})
    []
    """
    alerts = []
    for center_id, rows in sorted(costs.items()):
        if not rows:
            continue
        year, budget, actual = max(rows, key=lambda r: r[0])
        if budget <= 0:
            continue
        overrun = actual / budget - 1.0
        # The epsilon keeps 110 vs 100 at a 10 % tolerance from alerting on float noise.
        if overrun > tolerance + 1e-9:
            alerts.append(
                Alert(
                    center_id,
                    "cost_overrun",
                    "red" if overrun > red_above else "amber",
                    note("alert_cost_overrun", actual=f"{actual:g}", budget=f"{budget:g}",
                         overrun=f"{overrun:.0%}", year=year),
                    year=int(year),
                )
            )
    return alerts


def host_risk_alerts(
    center_iso3: Mapping[str, str],
    risk_by_iso3: Mapping[str, Sequence[tuple[int, float]]],
    *,
    window: int = RISK_WINDOW,
    min_rise: float = 0.0,
) -> list[Alert]:
    """Centers whose host economy's risk score rose over the last ``window`` observations.

    This is the hook for governance or country-risk data: any source that can
    produce ``iso3 -> [(year, score), ...]`` (higher = riskier) plugs in here.
    The alert fires when the latest score exceeds the score ``window - 1``
    observations earlier by more than ``min_rise`` and the latest step did not
    go down.

    Parameters
    ----------
    center_iso3 : mapping
        ``center_id -> iso3``.
    risk_by_iso3 : mapping
        ``iso3 -> [(year, risk score), ...]``.
    window : int, default 3 (``alerts.risk_window``)
    min_rise : float, default 0.0

    >>> host_risk_alerts({"a": "XYZ"}, {"XYZ": [(2021, 1.0), (2022, 1.2), (2023, 1.5)]})[0].kind
    'host_risk_rising'
    """
    if int(window) < 2:
        raise InputError(f"must be at least 2, got {window}", field="window")
    alerts = []
    for center_id, iso3 in sorted(center_iso3.items()):
        points = sorted(risk_by_iso3.get(iso3, ()), key=lambda p: p[0])[-int(window) :]
        if len(points) < 2:
            continue
        (first_year, first), (last_year, last) = points[0], points[-1]
        if last - first > min_rise and last >= points[-2][1]:
            alerts.append(
                Alert(
                    center_id,
                    "host_risk_rising",
                    "amber",
                    note("alert_risk_rising", iso3=iso3, first=f"{first:g}",
                         first_year=first_year, last=f"{last:g}", last_year=last_year),
                    year=int(last_year),
                )
            )
    return alerts


def no_data_alerts(center_ids: Iterable[str], values: Iterable[Mapping]) -> list[Alert]:
    """Amber alert for each center without any KPI value.

    >>> [a.center_id for a in no_data_alerts(["a", "b"], [{"center_id": "a"}])]
    ['b']
    """
    reporting = {v["center_id"] for v in values}
    return [
        Alert(c, "no_kpi_data", "amber", note("alert_no_kpi"))
        for c in sorted(center_ids)
        if c not in reporting
    ]


def traffic_lights(center_ids: Iterable[str], alerts: Iterable[Alert]) -> dict[str, str]:
    """Worst severity per center: ``green`` without alerts, else ``amber`` or ``red``."""
    lights = {c: "green" for c in center_ids}
    for alert in alerts:
        current = lights.get(alert.center_id, "green")
        if SEVERITY_ORDER[alert.severity] > SEVERITY_ORDER[current]:
            lights[alert.center_id] = alert.severity
    return lights


def overview(
    registry: Any,
    *,
    years: int = YEARS_BELOW_TARGET,
    costs: Mapping[str, Sequence[tuple[int, float, float]]] | None = None,
    risk_by_iso3: Mapping[str, Sequence[tuple[int, float]]] | None = None,
    risk_window: int = RISK_WINDOW,
    risk_min_rise: float = 0.0,
    extra_alerts: Iterable[Alert] = (),
) -> list[dict]:
    """Traffic light and alerts for every center of a registry.

    ``extra_alerts`` are alerts found elsewhere (the technology watch's moves of a
    center's site between data vintages, :func:`oicplan.services.watch.center_site_alerts`).

    Returns
    -------
    list of dict
        Per center: ``center_id, name, iso3, mode, site_id, light, alerts`` (a list of
        alert dictionaries), sorted red first, then amber, then green.
    """
    centers = registry.list_centers()
    values = registry.kpi_values()
    alerts = below_target_alerts(values, registry.targets(), years=years)
    alerts += no_data_alerts([c["id"] for c in centers], values)
    if costs:
        alerts += cost_overrun_alerts(costs)
    if risk_by_iso3:
        alerts += host_risk_alerts(
            {c["id"]: c["iso3"] for c in centers},
            risk_by_iso3,
            window=risk_window,
            min_rise=risk_min_rise,
        )
    alerts += list(extra_alerts)
    lights = traffic_lights([c["id"] for c in centers], alerts)
    by_center: dict = defaultdict(list)
    for alert in alerts:
        by_center[alert.center_id].append(alert.to_dict())
    rows = [
        {
            "center_id": c["id"],
            "name": c["name"],
            "iso3": c["iso3"],
            "mode": c["mode"],
            "site_id": c.get("site_id"),
            "light": lights[c["id"]],
            "alerts": by_center.get(c["id"], []),
        }
        for c in centers
    ]
    rows.sort(key=lambda r: (-SEVERITY_ORDER[r["light"]], r["center_id"]))
    return rows


def read_costs(path: str | Path) -> dict[str, list[tuple[int, float, float]]]:
    """Budget and actual cost per center and year from a CSV or XLSX file.

    Columns ``center_id, year, budget, actual`` (header in row 1, see
    :func:`oicplan.monitor.kpis.read_rows`); numbers may carry thousands commas.

    Returns
    -------
    dict
        ``center_id -> [(year, budget, actual), ...]``, as :func:`cost_overrun_alerts` takes.

    Raises
    ------
    InputError
        Naming file, row and field: a value that is not a number, or a negative one.
    """
    from oicplan.monitor.kpis import read_rows

    costs: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    for row_no, raw in read_rows(path, ("center_id", "year", "budget", "actual")):
        values = []
        for field in ("year", "budget", "actual"):
            try:
                number = float(str(raw.get(field)).replace(",", ""))
            except ValueError:
                raise InputError(
                    f"not a number: {raw.get(field)!r}", file=str(path), row=row_no, field=field
                ) from None
            if number < 0:
                raise InputError("must not be negative", file=str(path), row=row_no, field=field)
            values.append(number)
        costs[str(raw["center_id"]).strip()].append((int(values[0]), values[1], values[2]))
    return dict(costs)


def read_risk(path: str | Path) -> dict[str, list[tuple[int, float]]]:
    """A host-risk series per economy from a CSV or XLSX file with ``iso3, year, score``.

    A higher score means more risk. Returns ``iso3 -> [(year, score), ...]``, as
    :func:`host_risk_alerts` takes.

    Raises
    ------
    InputError
        Naming file, row and field ``score`` when year or score is not a number.
    """
    from oicplan.monitor.kpis import read_rows

    risk: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row_no, raw in read_rows(path, ("iso3", "year", "score")):
        try:
            year, score = int(float(raw["year"])), float(raw["score"])
        except (TypeError, ValueError):
            raise InputError(
                "year and score must be numbers", file=str(path), row=row_no, field="score"
            ) from None
        risk[str(raw["iso3"]).strip().upper()].append((year, score))
    return dict(risk)


def message_vocabulary() -> dict[str, str]:
    """Chinese names of the terms alert messages name, for :func:`oicplan.notes.note_text`.

    KPI ids (:data:`oicplan.monitor.kpis.KPIS`' ``name_zh``) and the ISO3 codes of
    the snapshot's economies (their ``name_zh`` in ``countries.csv``).

    >>> vocabulary = message_vocabulary()
    >>> vocabulary["patents"], vocabulary["RUS"]
    ('专利数', '俄罗斯')
    """
    from oicplan.data import load_dataset
    from oicplan.monitor.kpis import KPIS

    terms = {name: kpi.name_zh for name, kpi in KPIS.items() if kpi.name_zh}
    countries = load_dataset().countries
    if "name_zh" in countries:
        rows = countries.dropna(subset=["name_zh"])
        terms.update(zip(rows["iso3"].astype(str), rows["name_zh"].astype(str), strict=True))
    return terms
