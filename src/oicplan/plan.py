"""Scenario → Plan: choose the sites, give each a strategy and a center mode.

By default the choice is exact: the layout model (:class:`oicplan.optimize.Layout`,
a MILP solved with HiGHS) picks sites, modes and (with a horizon) opening years
that maximize the match of Zhejiang's priority industries and the sites' quality,
under the number of centers, the per-country cap, at least one center per layout
strategy, and the scenario's budget and risk cap (``selection`` in the scenario).
Sites that already host a Zhejiang center stay open and are not chosen again.

``selection.method: greedy`` keeps the simple rule-based choice, stated so a
reader can check it:

1. For each layout strategy of the scenario, the best ranked eligible site is
   chosen (respecting the per-country cap, which counts existing centers too);
   strategies with the fewest eligible
   sites go first, so a site that could serve several is not used up early.
2. The remaining places are filled in rank order, respecting the cap.

Strategy eligibility and the center-mode rules (first that applies; the greedy uses
them, and the optimizer may choose another admissible mode where it serves the
industries better, which the plan then says) are stated once, in :mod:`oicplan.domain`.
"""

from __future__ import annotations

import functools
import json
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from oicplan import __version__
from oicplan.assumptions import applied, records, value
from oicplan.data.cities import local_objects
from oicplan.data.dataset import Dataset, load_dataset
from oicplan.domain import (
    CENTER_MODES,
    MODE_REASONS,
    STRATEGIES,
    assign_mode,
    eligible_strategies,
)
from oicplan.errors import InfeasibleError
from oicplan.notes import note, note_text, notes_text
from oicplan.pipeline_cache import StageCache, dataset_key, frame_key
from oicplan.plan_document import PlanDocument
from oicplan.plan_selection import (
    check_selection,
    robustness_qualities,
    served_enterprises,
    synthetic_inputs,
)
from oicplan.ranking import RankedSites, rank_sites
from oicplan.scenario import Scenario
from oicplan.techwatch.section import plan_technology_watch

__all__ = [
    "CENTER_MODES",
    "MODE_REASONS",
    "Plan",
    "assign_mode",
    "check_selection",
    "served_enterprises",
    "eligible_strategies",
    "make_plan",
]

@dataclass
class Plan:
    """A layout of centers with everything needed to report and reproduce it."""

    scenario: Scenario
    ranked: RankedSites
    chosen: pd.DataFrame
    existing: pd.DataFrame
    dataset: Dataset
    created: str
    notes: list[str] = field(default_factory=list)
    layout: object | None = None  # the solved oicplan.optimize.Layout (selection: optimize)
    pareto: pd.DataFrame | None = None  # benefit against cost (ε-constraint), if asked
    robustness: pd.DataFrame | None = None  # how often each site is chosen under weight draws
    pareto_risk: pd.DataFrame | None = None  # benefit against total risk (ε-constraint)
    _mode_profiles: dict | None = field(default=None, init=False, repr=False, compare=False)
    _vocabulary: dict | None = field(default=None, init=False, repr=False, compare=False)
    _watch: dict | None = field(default=None, init=False, repr=False, compare=False)
    # The frontier and robustness solves still running (make_plan(background=True)).
    _pending: Future | None = field(default=None, init=False, repr=False, compare=False)

    def complete(self) -> Plan:
        """Wait for the frontier and robustness solves still running, and keep their tables.

        A plan made with ``make_plan(background=True)`` returns after the main solve
        while the Pareto frontiers and the robustness re-solves go on in worker
        threads; the caller does other work (the network, the map) and calls this
        before reading ``pareto``, ``pareto_risk`` or ``robustness``. A no-op for a
        plan made without ``background``. Returns the plan.
        """
        if self._pending is not None:
            done = self._pending.result()
            self._pending = None
            self.pareto = done.get("pareto")
            self.pareto_risk = done.get("pareto_risk")
            self.robustness = done.get("robustness")
        return self

    def solving(self) -> bool:
        """True while frontier or robustness solves of ``make_plan(background=True)`` run."""
        return self._pending is not None and not self._pending.done()

    def note_vocabulary(self) -> dict[str, str]:
        """Chinese names of the terms the plan's notes name (:func:`oicplan.notes.note_text`).

        The dataset's sites, zones and centers (:func:`oicplan.data.names_zh.note_vocabulary`),
        the taxonomy's industries and the framework's pillars. Computed once per plan
        (the document asks for it several times); the caller gets its own copy.
        """
        if self._vocabulary is None:
            from oicplan.data.names_zh import note_vocabulary
            from oicplan.match.taxonomy import load_taxonomy

            terms = note_vocabulary(self.dataset)
            terms.update({item["id"]: item["name_zh"] for item in load_taxonomy().industries})
            framework = self.ranked.scores.framework
            terms.update({p.id: p.name_zh for p in framework.pillars if p.name_zh})
            self._vocabulary = terms
        return dict(self._vocabulary)

    def mode_profiles(self) -> dict[str, dict]:
        """For each chosen site: every center mode's score with reasons, and the park view.

        ``{site_id: {"mode_scores": [...], "park_view": {...}}}``. The mode scores are
        :func:`oicplan.match.modes.mode_scores` of the site's ranked row (``mode``,
        ``score``, ``reasons``, ``rule`` - True for the mode the stated rules give -
        and ``fit``), in the order of :data:`CENTER_MODES`; the park view is
        :func:`oicplan.match.modes.park_view` among all ranked economies (``talent``,
        ``community``, ``knowledge_ecology``, ``park_score`` in [0, 1] or None for a
        gap, and ``evidence``). Computed once per plan.
        """
        if self._mode_profiles is None:
            from oicplan.match.modes import mode_scores

            with applied(self.scenario.assumptions):
                scores = mode_scores(self.chosen)
            park = _park_view(self.ranked.table, self.dataset)
            profiles: dict[str, dict] = {}
            for site_id in self.chosen["site_id"]:
                rows = scores[scores["site_id"] == site_id]
                entry = park.loc[site_id]
                profiles[site_id] = {
                    "mode_scores": [
                        {
                            "mode": r.mode,
                            "score": _native_or_none(r.score),
                            "reasons": list(r.reasons),
                            "rule": bool(r.rule),
                            "fit": _native_or_none(r.fit),
                        }
                        for r in rows.itertuples(index=False)
                    ],
                    "park_view": {
                        key: _native_or_none(float(entry[key]))
                        for key in ("talent", "community", "knowledge_ecology", "park_score")
                    }
                    | {"evidence": list(entry["evidence"])},
                }
            self._mode_profiles = profiles
        return self._mode_profiles

    def technology_watch(self) -> dict:
        """The technology watch of the chosen sites and existing centers, computed once.

        :func:`oicplan.techwatch.section.plan_technology_watch` under the scenario's
        assumptions; the document's ``technology_watch``.
        """
        if self._watch is None:
            with applied(self.scenario.assumptions):
                self._watch = plan_technology_watch(self)
        return self._watch

    def to_dict(self) -> dict:
        """The ``plan.json`` document (native Python types only), checked by its model.

        The document is validated by :class:`oicplan.plan_document.PlanDocument`
        (its JSON Schema is ``docs/plan.schema.json``) and returned as its JSON dump.
        """
        return self.document().model_dump(mode="json")

    def document(self) -> PlanDocument:
        """The plan as its typed, immutable document (:class:`PlanDocument`)."""
        with applied(self.scenario.assumptions):  # its reasons state the values it used
            return PlanDocument.model_validate(self.complete()._raw_document())

    def _raw_document(self) -> dict:
        from oicplan.optimize.layout_pairs import plan_pairs  # pairs in one economy

        pillars = self.ranked.pillar_ids
        vocabulary = self.note_vocabulary()  # Chinese of the terms the notes name
        optimizer = self._optimizer_summary()  # the solved model's summary, once
        profiles = self.mode_profiles()
        local = local_objects(self.chosen, snapshot_dir=getattr(self.dataset, "folder", None))
        sites = []
        for row in self.chosen.itertuples(index=False):
            record = row._asdict()
            sites.append(
                {
                    "site_id": record["site_id"],
                    "name": record["name"],
                    "name_zh": record.get("name_zh") or record["name"],
                    "name_zh_source": record.get("name_zh_source") or "none",
                    "iso3": record["iso3"],
                    "country_en": record["country_en"],
                    "country_zh": record["country_zh"],
                    "lat": float(record["lat"]),
                    "lon": float(record["lon"]),
                    "site_type": record["site_type"],
                    "types": record["types"].split(";"),
                    "mode": record["mode"],
                    "strategy": record["strategy"],
                    "strategies_eligible": list(record["eligible"]),
                    "score": round(float(record["score"]), 6),
                    "rank": int(record["rank"]),
                    "pillars": {p: round(float(record[f"pillar_{p}"]), 6) for p in pillars},
                    "rank_interval": _rank_interval(record),
                    "robustness_share": self._robustness_share(record["site_id"]),
                    "mode_reason": MODE_REASONS[record["mode_reason"]][0],
                    "mode_reason_zh": MODE_REASONS[record["mode_reason"]][1],
                    "year": _native_or_none(record.get("year")),
                    "setup_cost": _native_or_none(record.get("setup_cost")),
                    "annual_cost": _native_or_none(record.get("annual_cost")),
                    "mode_scores": profiles[record["site_id"]]["mode_scores"],
                    "park_view": profiles[record["site_id"]]["park_view"],
                    "local": local[record["site_id"]],
                }
            )
        return {
            "synthetic_inputs": synthetic_inputs(self.scenario),
            "scenario": self.scenario.name,
            "scenario_title": {"en": self.scenario.title_en, "zh": self.scenario.title_zh},
            "created": self.created,
            "oicplan_version": __version__,
            "dataset": {
                "version": self.dataset.version,
                "built": self.dataset.manifest.get("built"),
                "sources": [source["id"] for source in self.dataset.sources],
            },
            "method": {
                "ranking": self.ranked.method,
                "normalization": self.ranked.normalization,
                "weights": {k: round(v, 6) for k, v in self.ranked.weights.items()},
                "selection": self._selection_summary(),
                "per_country_cap": self.scenario.per_country_cap,
                "uncertainty": self.scenario.uncertainty.model_dump(),
                "transport": self.scenario.transport.model_dump(),
            },
            "assumptions": records(self.scenario.assumptions, plan_only=True),
            "candidates": int(len(self.ranked.table)),
            "screened_out": self.ranked.scores.screened_out,
            "sites": sites,
            "existing_centers": [
                {
                    "site_id": r.site_id,
                    "name": r.name,
                    "name_zh": getattr(r, "name_zh", None) or r.name,
                    "iso3": r.iso3,
                    "center": r.center_name,
                }
                for r in self.existing.itertuples(index=False)
            ],
            "notes": self.ranked.notes + self.notes,
            "notes_zh": notes_text(self.ranked.notes + self.notes, "zh", vocabulary),
            "screened_out_zh": {
                site: note_text(why, "zh", vocabulary)
                for site, why in self.ranked.scores.screened_out.items()
            },
            "optimizer": optimizer,
            "pareto": None
            if self.pareto is None
            else json.loads(self.pareto.to_json(orient="records", force_ascii=False)),
            "pareto_risk": None
            if self.pareto_risk is None
            else json.loads(self.pareto_risk.to_json(orient="records", force_ascii=False)),
            "robustness": None
            if self.robustness is None
            else {
                "samples": int(self.robustness.attrs.get("samples", 0)),
                "sites": json.loads(self.robustness.to_json(orient="records", force_ascii=False)),
                "statuses": dict(self.robustness.attrs.get("statuses", {})),
                "draw_statuses": list(self.robustness.attrs.get("draw_statuses", [])),
                "max_gap": _native_or_none(self.robustness.attrs.get("max_gap")),
            },
            "solves": self._solve_statuses(optimizer),
            "technology_watch": self.technology_watch(),
            "same_economy_pairs": plan_pairs(self, vocabulary),
        }

    def _solve_statuses(self, optimizer: dict | None = None) -> dict | None:
        """The status of every solve behind the plan: the main one, each frontier's, the draws'.

        ``optimizer``: the plan's :meth:`_optimizer_summary` if the caller has it.
        """
        if self.layout is None:
            return None
        optimizer = optimizer or self._optimizer_summary()
        solves: dict = {"main": optimizer["status"]}
        for key, table in (("pareto", self.pareto), ("pareto_risk", self.pareto_risk)):
            if table is not None:
                solves[key] = {
                    "solves": int(table.attrs.get("solves", 0)),
                    "statuses": dict(table.attrs.get("statuses", {})),
                }
        if self.robustness is not None:
            solves["robustness"] = {
                "solves": int(self.robustness.attrs.get("samples", 0)),
                "statuses": dict(self.robustness.attrs.get("statuses", {})),
            }
        return solves

    def _robustness_share(self, site_id: str) -> float | None:
        if self.robustness is None:
            return None
        shares = self.robustness.set_index("site_id")["share"]
        return round(float(shares.get(site_id, 0.0)), 6)

    def _selection_summary(self) -> str:
        if self.layout is None:
            return "greedy: one site per strategy, then by rank; per-country cap"
        return (
            "optimize: layout MILP (HiGHS) maximizing industry match and site quality under "
            "the number of centers, per-country cap, strategy minimums, budget and risk cap"
        )

    def _optimizer_summary(self) -> dict | None:
        if self.layout is None:
            return None
        result = self.layout.to_dict()
        keys = (
            "status",
            "objective",
            "gap",
            "solve_seconds",
            "benefit",
            "cost",
            "total_risk",
            "horizon",
            "assumptions",
        )
        summary = {key: result[key] for key in keys if key in result}
        # The constraints held and the assumptions in Chinese too (oicplan.notes).
        summary["constraints"] = result.get("constraints", [])
        vocabulary = self.note_vocabulary()
        for key in ("assumptions", "constraints"):
            summary[f"{key}_zh"] = notes_text(summary.get(key, []), "zh", vocabulary)
        return summary


def _park_view(table: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """:func:`oicplan.match.modes.park_view` of ``table``'s sites, indexed by site_id.

    The park view ranks each site's economy among the economies of the table (a
    percentile, which does not depend on their order) and reads the dataset: the
    weights change none of it, so it is computed once per dataset view and set of
    sites (in site order) and kept (:mod:`oicplan.pipeline_cache`).
    """
    from oicplan.match.modes import park_view

    rows = table[["site_id", "iso3"]].sort_values("site_id").reset_index(drop=True)
    data = dataset_key(dataset)

    def compute() -> pd.DataFrame:
        return park_view(rows, dataset).drop_duplicates("site_id").set_index("site_id")

    if data is None:
        return compute()
    return _PARK_CACHE.get((data, frame_key(rows)), compute).copy(deep=False)


def _native_or_none(value: object) -> object:
    """A plain Python number or string for JSON, or None for a gap."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if pd.isna(value) else round(value, 6)
    return value


def _rank_interval(record: dict) -> dict | None:
    """Median rank, 5–95% interval and top-K frequency from the Monte Carlo, if run."""
    if "median_rank" not in record or pd.isna(record["median_rank"]):
        return None
    return {
        "median": float(record["median_rank"]),
        "p5": float(record["rank_p5"]),
        "p95": float(record["rank_p95"]),
        "top_k_frequency": round(float(record["top_k_frequency"]), 6),
    }


def _choose(
    table: pd.DataFrame, scenario: Scenario, existing: pd.DataFrame
) -> tuple[list[int], dict[int, str], list[str]]:
    # Existing centers count toward the per-country cap, as in the layout model.
    per_country: dict[str, int] = existing["iso3"].value_counts().to_dict()
    chosen: list[int] = []
    strategy_of: dict[int, str] = {}
    notes = []

    def can_take(i: int) -> bool:
        return (
            i not in chosen and per_country.get(table.at[i, "iso3"], 0) < scenario.per_country_cap
        )

    def take(i: int, strategy: str) -> None:
        chosen.append(i)
        strategy_of[i] = strategy
        iso3 = table.at[i, "iso3"]
        per_country[iso3] = per_country.get(iso3, 0) + 1

    # Scarce strategies first, so a site that could serve several is not used up
    # by a strategy with plenty of other candidates.
    supply = {
        s: int(table["eligible"].map(lambda found, s=s: s in found).sum())
        for s in scenario.strategies
    }
    for strategy in sorted(
        scenario.strategies, key=lambda s: (supply[s], list(STRATEGIES).index(s))
    ):
        if len(chosen) >= scenario.centers:
            notes.append(note("strategy_full", strategy=strategy))
            continue
        for i in table.index:
            if strategy in table.at[i, "eligible"] and can_take(i):
                take(i, strategy)
                break
        else:
            notes.append(note("strategy_empty", strategy=strategy))
    for i in table.index:
        if len(chosen) >= scenario.centers:
            break
        if can_take(i):
            eligible = table.at[i, "eligible"]
            take(i, eligible[0] if eligible else "general")
    return chosen, strategy_of, notes


def _label_strategies(chosen: pd.DataFrame, scenario: Scenario) -> list[str]:
    """Which layout strategy each chosen site serves (scarce strategies first)."""
    labels: dict[int, str] = {}
    supply = {
        s: int(chosen["eligible"].map(lambda found, s=s: s in found).sum())
        for s in scenario.strategies
    }
    # The zone upgrade is defined by the mode itself, so it is labelled first; then the
    # scarcest strategies, so a site that could serve several is not used up early.
    order = sorted(
        scenario.strategies,
        key=lambda s: (s != "zone_upgrade", supply[s], list(STRATEGIES).index(s)),
    )
    for strategy in order:
        for i in chosen.sort_values("rank").index:
            if i in labels or strategy not in chosen.at[i, "eligible"]:
                continue
            if strategy == "zone_upgrade" and chosen.at[i, "mode"] != "zone_upgrade":
                continue
            labels[i] = strategy
            break
    return [
        labels.get(i, chosen.at[i, "eligible"][0] if chosen.at[i, "eligible"] else "general")
        for i in chosen.index
    ]


# Weight-free stages of the plan kept between runs of a process and on disk
# (oicplan.pipeline_cache).
_ELIGIBLE_CACHE = StageCache("eligible strategies", maxsize=8, disk=True)
_COSTS_CACHE = StageCache("cost model table", maxsize=4, disk=True)
_PARK_CACHE = StageCache("park view", maxsize=4, disk=True)
#: Worker threads for the solves that follow the main one (the two Pareto frontiers and
#: the robustness re-solves, independent of each other). HiGHS releases the GIL while it
#: solves; each worker runs HiGHS with one thread. 0 runs them one after the other in
#: the caller's thread (HiGHS's default threads).
SOLVE_WORKERS = 2
#: Chains side by side in each frontier and the robustness (``layout_tradeoffs.in_chains``),
#: so that the longest point does not leave a core idle at its end (1 when
#: ``SOLVE_WORKERS`` is 0). 2 workers x 2 chains gave the shortest plan (docs/optimize.md).
SOLVE_CHAINS = 2


def _eligible(table: pd.DataFrame, dataset: Dataset) -> pd.Series:
    """:func:`oicplan.domain.eligible_strategies` of ``table``, aligned with its rows.

    The strategies read the sites' economy, types and market and innovation pillars (the
    pillars' upper quartiles over the table), none of which the weights change; they are
    computed once per dataset view and set of sites, in site order.
    """
    columns = ["site_id", "iso3", "types", "pillar_market", "pillar_innovation"]
    data = dataset_key(dataset)
    if data is None or not set(columns) <= set(table.columns):
        return eligible_strategies(table, dataset)
    rows = table[columns].sort_values("site_id").reset_index(drop=True)
    by_site = _ELIGIBLE_CACHE.get(
        (data, frame_key(rows), value("strategy.top_quarter")),
        lambda: eligible_strategies(rows, dataset).set_axis(rows["site_id"]),
    )
    return pd.Series(by_site.reindex(table["site_id"]).to_list(), index=table.index, dtype=object)


def _site_costs(table: pd.DataFrame, dataset: Dataset) -> pd.DataFrame | None:
    """The cost model's table for ``table``'s sites in every center mode, in their order.

    :func:`oicplan.finance.cost.site_mode_costs` costs each site on its own, so it is
    computed once per dataset view and set of sites (in site order) and put in the
    order of ``table`` (sites, then modes), as a direct call gives it. None for a
    dataset that cannot be keyed (the layout model then computes it).
    """
    import numpy as np

    from oicplan.finance.cost import site_mode_costs

    data = dataset_key(dataset)
    if data is None:
        return None
    rows = table[["site_id", "iso3", "name"]].sort_values("site_id").reset_index(drop=True)
    costs = _COSTS_CACHE.get(
        (data, frame_key(rows), tuple(CENTER_MODES)),
        lambda: site_mode_costs(dataset, rows, list(CENTER_MODES)),
    )
    position = pd.Series(np.arange(len(table)), index=table["site_id"].to_numpy())
    order = np.argsort(costs["site_id"].map(position).to_numpy(), kind="stable")
    return costs.iloc[order].reset_index(drop=True)


#: Columns of a ranked table that the weights change (the rest are the sites' own).
_WEIGHTED_COLUMNS = ("score", "rank", "median_rank", "rank_p5", "rank_p95", "top_k_frequency")
_FIT_CACHE = StageCache("mode fit", maxsize=4, disk=True)


def _mode_fit(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`oicplan.optimize.layout_scenario.mode_fit_table` of ``table``, kept per sites.

    The fit reads each site's own row and the fit weights in force, so it is computed
    once per set of site rows (the columns the weights do not change) and weights.
    """
    from oicplan.optimize.layout_scenario import mode_fit_key, mode_fit_table

    rows = table.drop(columns=[c for c in _WEIGHTED_COLUMNS if c in table])
    rows = rows.sort_values("site_id").reset_index(drop=True)
    fit = _FIT_CACHE.get((frame_key(rows), mode_fit_key()), lambda: mode_fit_table(rows))
    return fit.copy(deep=False)


def _side_by_side(jobs: dict[str, object]) -> dict[str, object]:
    """Run the independent solve groups ``jobs`` (name -> callable); their results by name."""
    if SOLVE_WORKERS <= 0 or len(jobs) < 2:
        return {name: job() for name, job in jobs.items()}
    from concurrent.futures import ThreadPoolExecutor

    from oicplan.optimize.layout_tradeoffs import single_thread_solver

    with ThreadPoolExecutor(
        max_workers=min(SOLVE_WORKERS, len(jobs)), initializer=single_thread_solver
    ) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def _optimize(
    ranked: RankedSites,
    table: pd.DataFrame,
    scenario: Scenario,
    dataset: Dataset,
    frontiers: bool = True,
    background: bool = False,
) -> tuple[pd.DataFrame, object, tuple, pd.DataFrame | None, Future | None]:
    """Choose sites, modes and years with the layout model.

    Returns the chosen sites, the solved model, the Pareto frontiers against cost
    and against total risk (each None unless ``selection.pareto``) and the robustness.
    Without ``frontiers`` the frontiers and the robustness re-solves are skipped (None).
    The frontiers and the robustness re-solves run side by side (:data:`SOLVE_WORKERS`);
    with ``background`` they are left running and the last item returned is their
    future (``{"pareto": ..., "pareto_risk": ..., "robustness": ...}``), else None.
    """
    from oicplan.optimize.layout import Layout

    selection = scenario.selection
    annual = None
    if selection.annual_budget is not None and selection.horizon is not None:
        annual = [selection.annual_budget] * selection.horizon

    served = served_enterprises(selection.enterprises)

    model = Layout.from_ranking(
        ranked,
        dataset=dataset,
        max_centers=scenario.centers,
        budget=selection.budget,
        horizon=selection.horizon,
        annual_budget=annual,
        first_year=selection.first_year if selection.horizon else None,
        min_per_strategy=selection.min_per_strategy or None,
        min_per_region=selection.min_per_region or None,
        max_total_risk=selection.max_total_risk,
        enterprises=served,
        capacity=False if selection.capacity is None else selection.capacity,
        max_mean_risk=selection.max_mean_risk,
        eligible=_eligible(ranked.table, dataset).set_axis(ranked.table["site_id"]),
        site_costs=_site_costs(ranked.table, dataset),
        mode_fit=_mode_fit(ranked.table),
    )

    def fresh() -> Layout:
        """An unsolved copy of the model (its checked inputs are built once, ~0.8 s)."""
        return model.unsolved_copy()

    layout = fresh().solve(time_limit=selection.time_limit)
    solution = layout.chosen[~layout.chosen["existing"].astype(bool)]
    picked = solution.set_index("site_id")
    chosen = table[table["site_id"].isin(picked.index)].copy()
    chosen["mode"] = chosen["site_id"].map(picked["mode"])
    for column in ("year", "setup_cost", "annual_cost"):
        chosen[column] = chosen["site_id"].map(picked[column])
    chains = SOLVE_CHAINS if SOLVE_WORKERS > 0 else 1
    jobs, kw = {}, {"time_limit": selection.frontier_time_limit, "chains": chains}
    if frontiers and selection.pareto:
        for name, against in (("pareto", "cost"), ("pareto_risk", "risk")):
            if against == "cost" or model.inputs.risk is not None:
                jobs[name] = functools.partial(fresh().pareto, against, 6, **kw)
    if frontiers and selection.robustness_samples:
        qualities = robustness_qualities(ranked, layout, scenario, selection.robustness_samples)
        jobs["robustness"] = functools.partial(fresh().robustness, qualities,
                                               start=layout.solution_values, **kw)
    if background and jobs:
        return chosen, layout, (None, None), None, _in_background(_side_by_side, jobs)
    done = _side_by_side(jobs)
    frontier = (done.get("pareto"), done.get("pareto_risk"))
    return chosen, layout, frontier, done.get("robustness"), None


def _in_background(function, *args) -> Future:
    """Run ``function(*args)`` in a daemon thread of its own; its future."""
    import threading

    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as error:  # handed to whoever waits, as the solve raised it
            future.set_exception(error)

    threading.Thread(target=run, name="oicplan-frontiers", daemon=True).start()
    return future


def _skipped_frontiers(scenario: Scenario, frontiers: bool) -> str | None:
    """What ``frontiers=False`` left out of an optimized plan, in words (None: nothing)."""
    if frontiers:
        return None
    draws = scenario.selection.robustness_samples
    if scenario.selection.pareto:
        return note("skipped_both", n=draws) if draws else note("skipped_pareto")
    return note("skipped_robustness", n=draws) if draws else None


def make_plan(
    scenario: Scenario,
    dataset: Dataset | None = None,
    *,
    centers: int | None = None,
    center_performance: pd.DataFrame | None = None,
    frontiers: bool = True,
    background: bool = False,
) -> Plan:
    """Rank the scenario's candidates and choose its centers.

    ``center_performance`` feeds established centers' KPI performance back into the
    scores (see :func:`oicplan.ranking.rank_sites`). ``frontiers=False`` skips the
    Pareto frontiers and the robustness re-solves of an optimized plan (a quick
    re-plan; the plan's notes say so); by default they follow ``selection``. With
    ``background`` they run in worker threads after the main solve while the caller
    goes on; :meth:`Plan.complete` waits for them (``to_dict`` and ``document`` do).

    Stages that the pillar weights do not change (match matrix, indicator build,
    eligible strategies, cost model table) are kept between calls in a process
    (:mod:`oicplan.pipeline_cache`), so a re-plan after a weight change recomputes
    only the ranking and the solves.

    Raises :class:`~oicplan.errors.InfeasibleError` when fewer candidates than
    centers can be chosen (after the per-country cap), or when the layout
    model's constraints conflict (the message names them). The scenario's ``assumptions``
    (:mod:`oicplan.assumptions`) are in force while the plan is made.
    """
    with applied(scenario.assumptions):
        return _make_plan(scenario, dataset, centers, center_performance, frontiers, background)


def _make_plan(scenario, dataset, centers, center_performance, frontiers, background) -> Plan:
    from oicplan.ranking import scenario_dataset  # its hubs' access; home facts if named

    dataset = scenario_dataset(dataset or load_dataset(), scenario)
    check_selection(scenario, dataset)
    if centers is not None:
        scenario = scenario.model_copy(update={"centers": centers})
    ranked = rank_sites(scenario, dataset, center_performance=center_performance)
    table = ranked.table.copy()
    is_existing = table["types"].str.contains("existing_center")
    existing = table[is_existing]
    table = table[~is_existing].reset_index(drop=True)
    table["eligible"] = _eligible(table, dataset)
    room = scenario.per_country_cap - table["iso3"].map(existing["iso3"].value_counts()).fillna(0)
    reachable = (
        table.assign(room=room.clip(lower=0))
        .groupby("iso3")
        .agg(n=("site_id", "size"), room=("room", "first"))
        .min(axis=1)
        .sum()
    )
    if scenario.centers > reachable:
        raise InfeasibleError(
            f"centers: {scenario.centers} centers requested but only {int(reachable)} can be "
            f"chosen from {len(table)} candidate sites with at most {scenario.per_country_cap} "
            "per country; lower 'centers' or raise 'per_country_cap'"
        )
    layout = robustness = pending = None
    pareto = (None, None)
    notes: list[str] = []
    if scenario.selection.method == "optimize":
        chosen, layout, pareto, robustness, pending = _optimize(
            ranked, table, scenario, dataset, frontiers, background
        )
        skipped = _skipped_frontiers(scenario, frontiers)
        if skipped:
            notes.append(note("not_computed", what=skipped))
        rule = [assign_mode(row) for _, row in chosen.iterrows()]
        chosen["mode_reason"] = [
            key if mode == chosen_mode else "optimizer"
            for (mode, key), chosen_mode in zip(rule, chosen["mode"], strict=True)
        ]
        chosen["strategy"] = _label_strategies(chosen, scenario)
    else:
        chosen_index, strategy_of, notes = _choose(table, scenario, existing)
        chosen = table.loc[chosen_index].copy()
        chosen["strategy"] = [strategy_of[i] for i in chosen_index]
        modes = [assign_mode(row) for _, row in chosen.iterrows()]
        chosen["mode"] = [mode for mode, _ in modes]
        chosen["mode_reason"] = [reason for _, reason in modes]
    chosen = chosen.sort_values("rank").reset_index(drop=True)
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    plan = Plan(
        scenario,
        ranked,
        chosen,
        existing,
        dataset,
        created,
        notes,
        layout,
        pareto[0],
        robustness,
        pareto_risk=pareto[1],
    )
    plan._pending = pending
    return plan
