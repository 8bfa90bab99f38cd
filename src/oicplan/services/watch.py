"""Use cases of the technology watch (``oicplan watch``, issue 12).

* :func:`watch_rising` — the economies rising fastest in a field;
* :func:`watch_site` — one site's economy: its trends in the fields of Zhejiang's
  priority industries;
* :func:`watch_fields` — every field of every source (names, years, economies);
* :func:`watch_changes` — two snapshot builds compared: values, pillar scores and
  ranks, and alerts for chosen sites and hosts of existing centers.

The numbers come from :mod:`oicplan.techwatch` (definitions in docs/watch.md).

>>> result = watch_rising(WatchRisingRequest(field="Semiconductors", source="uspto",
...                                          since=2015, until=2020, top=3))
>>> result.source, len(result.rows), result.rows[0].start_year
('uspto', 3, 2015)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result

__all__ = [
    "EconomyMove",
    "FieldInfo",
    "FieldTrend",
    "RisingRow",
    "SiteMove",
    "WatchAlert",
    "WatchChangesRequest",
    "WatchChangesResult",
    "WatchFieldsRequest",
    "WatchFieldsResult",
    "WatchRisingRequest",
    "WatchRisingResult",
    "WatchSiteRequest",
    "WatchSiteResult",
    "center_site_alerts",
    "site_moves",
    "watch_changes",
    "watch_fields",
    "watch_rising",
    "watch_site",
]


def _values(snapshot: Path | None) -> Any:
    from oicplan.data.fields import load_field_values
    from oicplan.data.paths import SNAPSHOT_DIR

    return load_field_values(snapshot or SNAPSHOT_DIR)


# --------------------------------------------------------------------------- rising


class WatchRisingRequest(Request):
    """A field (English or Chinese name, any case), optionally its source and window."""

    field: str = Field(min_length=1, max_length=200)
    source: str | None = None
    since: int | None = None
    until: int | None = None
    min_size: float | None = Field(None, ge=0)
    top: int | None = Field(10, ge=1)
    snapshot: Path | None = None


class RisingRow(Result):
    """One economy's growth, shares and RTA in the field (None where undefined)."""

    iso3: str
    economy: str
    field: str
    source: str
    start_year: int
    end_year: int
    start_value: float
    end_value: float
    cagr: float | None
    share_start: float | None
    share_end: float | None
    rta_start: float | None
    rta_end: float | None


class WatchRisingResult(Result):
    """``oicplan watch rising --json``: the window, the size filter and the ranked rows."""

    field: str
    field_zh: str
    source: str
    unit: str
    since: int
    until: int
    min_size: float
    eligible: int
    rows: tuple[RisingRow, ...]

    def document(self) -> dict[str, Any]:
        """The JSON object of ``oicplan watch rising --json``."""
        return self.model_dump(mode="json")


def watch_rising(request: WatchRisingRequest) -> WatchRisingResult:
    """The economies whose value in the field grew fastest (compound annual growth).

    Raises
    ------
    InputError
        Field ``field`` (unknown, with close matches; or not in the named source),
        ``source``, ``since``, ``until``, ``min_size`` or ``top``.
    """
    from oicplan.techwatch.trends import rising

    out = rising(
        _values(request.snapshot),
        request.field,
        source=request.source,
        since=request.since,
        until=request.until,
        min_size=request.min_size,
        top=request.top,
    )
    return WatchRisingResult.model_validate(out)


# --------------------------------------------------------------------------- fields


class WatchFieldsRequest(Request):
    """Every field, or those of one source."""

    source: str | None = None
    snapshot: Path | None = None


class FieldInfo(Result):
    """One field of one source with its Chinese name, unit, years and economies."""

    source: str
    field: str
    field_zh: str
    unit: str
    first_year: int
    last_year: int
    economies: int


class WatchFieldsResult(Result):
    """Fields by source (in the order of :data:`oicplan.techwatch.trends.SOURCE_ORDER`)."""

    fields: tuple[FieldInfo, ...]

    def document(self) -> list[dict[str, Any]]:
        """The rows of ``oicplan watch fields --json``."""
        return [row.model_dump(mode="json") for row in self.fields]


def watch_fields(request: WatchFieldsRequest) -> WatchFieldsResult:
    """Every field the watch knows, with names, unit, years and number of economies.

    >>> rows = watch_fields(WatchFieldsRequest(source="pct")).fields
    >>> [row.field for row in rows][:2], rows[0].unit
    (['All technologies', 'Chemistry'], 'applications')
    """
    from oicplan.techwatch.trends import SOURCE_ORDER, field_label

    if request.source is not None and request.source not in SOURCE_ORDER:
        raise InputError(
            f"unknown source {request.source!r}; one of {', '.join(SOURCE_ORDER)}",
            field="source",
        )
    values = _values(request.snapshot)
    if request.source is not None:
        values = values[values["source"] == request.source]
    stats = values.dropna(subset=["value"]).groupby(["source", "field"]).agg(
        unit=("unit", "first"), first_year=("year", "min"), last_year=("year", "max"),
        economies=("iso3", "nunique"))
    rows = [
        FieldInfo(source=str(source), field=str(field),
                  field_zh=field_label(str(field), "zh", str(source)), unit=str(row.unit),
                  first_year=int(row.first_year), last_year=int(row.last_year),
                  economies=int(row.economies))
        for (source, field), row in stats.iterrows()
    ]
    rows.sort(key=lambda r: (SOURCE_ORDER.index(r.source), r.field))
    return WatchFieldsResult(fields=tuple(rows))


# --------------------------------------------------------------------------- site


class WatchSiteRequest(Request):
    """A candidate site (id or name) or an economy (``iso3``); the trend window."""

    site: str | None = Field(None, max_length=200)
    iso3: str | None = Field(None, max_length=3)
    span: int = Field(10, ge=1, le=30)
    until: int | None = None
    snapshot: Path | None = None


class FieldTrend(RisingRow):
    """A trend row with its Chinese field name, series and the industries needing it."""

    field_zh: str
    series: tuple[tuple[int, float], ...]
    industries: tuple[str, ...]


class WatchSiteResult(Result):
    """One economy's trends in the fields of Zhejiang's priority industries."""

    site_id: str | None
    site_name: str | None
    iso3: str
    economy: str | None
    tier: str | None = Field(description="technology source used: patent_families, pct or none")
    tier_reason: str = Field(description="why (oicplan.match.field_strength.economy_tier)")
    industries: dict[str, dict[str, str]] = Field(description="industry id -> en, zh names")
    fields: tuple[FieldTrend, ...]
    notes: tuple[str, ...]

    def document(self) -> dict[str, Any]:
        """The JSON object of ``oicplan watch site --json``."""
        return self.model_dump(mode="json")


def watch_site(request: WatchSiteRequest) -> WatchSiteResult:
    """Trends of the economy of ``site`` (or ``iso3``) in Zhejiang's priority fields.

    The technology fields come from the match's tier for the economy (the 35 WIPO
    fields of the patent families, else the 5 PCT areas except for EPC states), with
    the publication disciplines beside them; an economy without field data gets an
    empty list and a note.

    >>> result = watch_site(WatchSiteRequest(site="KOR-seoul"))
    >>> result.iso3, result.tier, result.fields[0].source
    ('KOR', 'patent_families', 'patent_families')
    """
    from oicplan.data.dataset import load_dataset
    from oicplan.finance.prices import find_site
    from oicplan.techwatch.fieldmap import economy_watch, priority_fields

    if (request.site is None) == (request.iso3 is None):
        raise InputError("give a site or an iso3 code (one of the two)", field="site")
    site_id = site_name = None
    if request.site is not None:
        found = find_site(load_dataset(str(request.snapshot) if request.snapshot else None),
                          request.site)
        site_id, site_name, iso3 = found["site_id"], found["name"], found["iso3"]
    else:
        iso3 = str(request.iso3).strip().upper()
        if len(iso3) != 3 or not iso3.isalpha():
            raise InputError(f"not an ISO3 code: {request.iso3!r}", field="iso3")
    watch = economy_watch(_values(request.snapshot), [iso3], span=request.span,
                          until=request.until)[iso3]
    notes = [f"{iso3}: {watch['tier_reason']} (the match's rule)"]
    if not watch["fields"]:
        notes.append(f"no NCSES field data for {iso3}: a gap, not a zero")
    industries = {row["industry"]: {"en": row["industry_en"], "zh": row["industry_zh"]}
                  for row in priority_fields()}
    return WatchSiteResult(
        site_id=site_id, site_name=site_name, iso3=iso3, economy=watch["economy"],
        tier=watch["tier"], tier_reason=watch["tier_reason"], industries=industries,
        fields=tuple(FieldTrend.model_validate(row) for row in watch["fields"]),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- changes


class WatchChangesRequest(Request):
    """Two snapshot folders (old ``from_dir``, new ``to_dir``) and the thresholds.

    ``plan_file`` (a ``plan.json``) names the chosen sites to watch; without it
    they are the scenario's plan on the old build. ``rank_move``/``score_move``
    default to the assumptions ``watch.rank_move``/``watch.score_move``.
    """

    from_dir: Path
    to_dir: Path
    scenario: str = "zhejiang"
    plan_file: Path | None = None
    rank_move: int | None = Field(None, ge=1)
    score_move: float | None = Field(None, ge=0)


class SiteMove(Result):
    """A site whose score, rank or a pillar score differs between the builds."""

    site_id: str
    iso3: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None
    pillars: dict[str, tuple[float | None, float | None]] = Field(
        description="pillar -> (old score, new score), the pillars that moved")


class EconomyMove(Result):
    """An economy with sites that moved: its best rank and mean pillar scores in each build."""

    iso3: str
    sites: int
    old_best_rank: int | None
    new_best_rank: int | None
    pillars: dict[str, tuple[float | None, float | None]]


class WatchAlert(Result):
    """A watched site (chosen, or host of an existing center) that moved beyond a threshold."""

    site_id: str
    iso3: str
    role: str
    kind: str
    severity: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None


class WatchChangesResult(Result):
    """``oicplan watch changes --json``."""

    from_: dict[str, Any] = Field(alias="from")
    to: dict[str, Any]
    scenario: str
    thresholds: dict[str, float]
    counts: dict[str, dict[str, int]]
    latest: tuple[dict[str, Any], ...]
    fields: tuple[dict[str, Any], ...]
    sites: tuple[SiteMove, ...]
    economies: tuple[EconomyMove, ...]
    watched: dict[str, str] = Field(description="site_id -> chosen or existing_center")
    alerts: tuple[WatchAlert, ...]
    notes: tuple[str, ...]

    def document(self) -> dict[str, Any]:
        """The JSON object of ``oicplan watch changes --json``."""
        return self.model_dump(mode="json", by_alias=True)


def _ranking_rows(table: Any, pillars: list[str]) -> dict[str, dict[str, Any]]:
    return {
        str(row["site_id"]): {
            "iso3": str(row["iso3"]),
            "rank": int(row["rank"]),
            "score": round(float(row["score"]), 6),
            "pillars": {p: round(float(row[f"pillar_{p}"]), 6) for p in pillars},
        }
        for row in table.to_dict("records")
    }


def _site_moves(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    moves = []
    for site_id in sorted(set(old) | set(new)):
        a, b = old.get(site_id), new.get(site_id)
        names = sorted(set(a["pillars"] if a else ()) | set(b["pillars"] if b else ()))
        pillars = {}
        for name in names:
            x = a["pillars"].get(name) if a else None
            y = b["pillars"].get(name) if b else None
            if x != y:
                pillars[name] = (x, y)
        if a and b and a["rank"] == b["rank"] and a["score"] == b["score"] and not pillars:
            continue
        moves.append({
            "site_id": site_id,
            "iso3": (a or b)["iso3"],  # type: ignore[index]
            "old_rank": a["rank"] if a else None,
            "new_rank": b["rank"] if b else None,
            "old_score": a["score"] if a else None,
            "new_score": b["score"] if b else None,
            "pillars": pillars,
        })
    return moves


def _economy_moves(
    moves: list[dict[str, Any]], old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    out = []
    for iso3 in sorted({m["iso3"] for m in moves}):
        def best(rows: dict[str, dict[str, Any]], code: str = iso3) -> int | None:
            ranks = [r["rank"] for r in rows.values() if r["iso3"] == code]
            return min(ranks) if ranks else None

        def means(rows: dict[str, dict[str, Any]], code: str = iso3) -> dict[str, float]:
            own = [r["pillars"] for r in rows.values() if r["iso3"] == code]
            names = sorted({k for p in own for k in p})
            return {k: round(sum(p[k] for p in own if k in p) / len(own), 6) for k in names}

        a, b = means(old), means(new)
        pillars = {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b))
                   if a.get(k) != b.get(k)}
        out.append({"iso3": iso3, "sites": sum(1 for m in moves if m["iso3"] == iso3),
                    "old_best_rank": best(old), "new_best_rank": best(new),
                    "pillars": pillars})
    return out


def _plan_sites(plan_file: Path) -> list[str]:
    import json

    try:
        document = json.loads(plan_file.read_text(encoding="utf-8"))
        return [str(site["site_id"]) for site in document["sites"]]
    except FileNotFoundError:
        raise InputError("file not found", file=str(plan_file), field="plan_file") from None
    except (ValueError, KeyError, TypeError):
        raise InputError("not a plan.json (no sites with site_id)", file=str(plan_file),
                         field="plan_file") from None


def watch_changes(request: WatchChangesRequest) -> WatchChangesResult:
    """Compare two snapshot builds: values, rankings, and alerts for the watched sites.

    Both builds rank the scenario's candidates (without the Monte Carlo draws,
    which do not change ranks). The watched sites are the chosen sites (of
    ``plan_file``, else of the scenario's plan on the old build) and the sites of
    existing centers; a watched site whose rank moved by ``rank_move`` places or
    more, or whose score moved by ``score_move`` or more, raises an alert.

    Raises
    ------
    InputError
        Field ``from`` / ``to``: not a snapshot folder; ``plan_file``; ``scenario``.
    """
    from oicplan.assumptions import value
    from oicplan.data.dataset import Dataset
    from oicplan.plan import make_plan
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario
    from oicplan.techwatch.vintage import move_alerts, snapshot_changes

    changes = snapshot_changes(request.from_dir, request.to_dir)
    scenario = load_scenario(request.scenario)
    scenario = scenario.model_copy(
        update={"uncertainty": scenario.uncertainty.model_copy(update={"samples": 0})})
    old_data, new_data = Dataset(request.from_dir), Dataset(request.to_dir)
    notes = list(changes["notes"])
    plan = make_plan(scenario, old_data, frontiers=False)
    chosen = (_plan_sites(request.plan_file) if request.plan_file
              else [str(s) for s in plan.chosen["site_id"]])
    watched = {site: "chosen" for site in chosen}
    for site in plan.existing["site_id"]:
        watched.setdefault(str(site), "existing_center")
    old_ranked = plan.ranked  # the plan's own ranking (same scenario, no draws)
    new_ranked = rank_sites(scenario, new_data)
    old_rows = _ranking_rows(old_ranked.table, old_ranked.pillar_ids)
    new_rows = _ranking_rows(new_ranked.table, new_ranked.pillar_ids)
    moves = _site_moves(old_rows, new_rows)
    rank_move = request.rank_move or int(value("watch.rank_move"))
    score_move = (request.score_move if request.score_move is not None
                  else float(value("watch.score_move")))
    alerts = move_alerts(moves, watched, rank_move=rank_move, score_move=score_move)
    return WatchChangesResult.model_validate({
        "from": changes["from"], "to": changes["to"], "scenario": scenario.name,
        "thresholds": {"rank_move": rank_move, "score_move": score_move},
        "counts": changes["counts"], "latest": changes["latest"], "fields": changes["fields"],
        "sites": moves, "economies": _economy_moves(moves, old_rows, new_rows),
        "watched": watched, "alerts": alerts, "notes": notes,
    })


def site_moves(
    from_dir: Path, to_dir: Path, scenario: str = "zhejiang", *, every_economy: bool = False
) -> list[dict[str, Any]]:
    """Rows of :class:`SiteMove` (as dicts): the scenario ranked on two snapshot builds.

    ``every_economy`` ranks the candidates of every economy (Belt and Road status
    member, unclear, withdrawn or none) with the scenario's weights, as for
    established centers, which also sit outside the scenario's candidate economies.
    """
    from oicplan.data.dataset import Dataset
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    loaded = load_scenario(scenario)
    update: dict[str, Any] = {
        "uncertainty": loaded.uncertainty.model_copy(update={"samples": 0})}
    if every_economy:
        update["candidates"] = loaded.candidates.model_copy(
            update={"bri_status": ["member", "unclear", "withdrawn", "none"]})
    loaded = loaded.model_copy(update=update)
    rows = []
    for folder in (from_dir, to_dir):
        ranked = rank_sites(loaded, Dataset(folder))
        rows.append(_ranking_rows(ranked.table, ranked.pillar_ids))
    return _site_moves(rows[0], rows[1])


def center_site_alerts(
    center_sites: dict[str, str],
    previous: Path,
    current: Path | None = None,
    *,
    scenario: str = "zhejiang",
) -> list[Any]:
    """Alerts (:class:`oicplan.monitor.alerts.Alert`) for centers whose site moved.

    ``center_sites`` maps a center id to its candidate site; the candidates of
    every economy are ranked with the scenario's weights on the ``previous``
    snapshot build and on ``current`` (default: the shipped one), and a site whose
    rank moved by ``watch.rank_move`` places or more, or its score by
    ``watch.score_move`` or more, gives each of its centers an alert
    (``site_rank_fell`` amber, ``site_rank_rose`` green, ``site_unranked`` amber).
    """
    from oicplan.assumptions import value
    from oicplan.data.paths import SNAPSHOT_DIR
    from oicplan.monitor.alerts import Alert
    from oicplan.notes import note
    from oicplan.techwatch.vintage import move_alerts

    if not center_sites:
        return []
    moves = site_moves(previous, current or SNAPSHOT_DIR, scenario, every_economy=True)
    watched = {site: "existing_center" for site in center_sites.values()}
    found = {
        alert["site_id"]: alert
        for alert in move_alerts(moves, watched, rank_move=int(value("watch.rank_move")),
                                 score_move=float(value("watch.score_move")))
    }
    alerts = []
    for center_id, site_id in sorted(center_sites.items()):
        alert = found.get(site_id)
        if alert is None:
            continue
        alerts.append(Alert(
            center_id, f"site_{alert['kind']}", alert["severity"],
            note("alert_site_moved", site=site_id,
                 old_rank=alert["old_rank"] if alert["old_rank"] is not None else "-",
                 new_rank=alert["new_rank"] if alert["new_rank"] is not None else "-",
                 old_score=f"{alert['old_score']:.3f}" if alert["old_score"] is not None
                 else "-",
                 new_score=f"{alert['new_score']:.3f}" if alert["new_score"] is not None
                 else "-"),
        ))
    return alerts
