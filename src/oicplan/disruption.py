"""What a corridor disruption does to access, to the ranking and to the plan (paper 3.2, 2.4).

Close sea passages (Suez, Bab-el-Mandeb, Hormuz, Malacca, Panama), border
crossings (Alashankou, Khorgos, Manzhouli) or rail segments, and compare with the
undisturbed case: which candidate sites lose a mode or get slower, how the ranks
move, and which sites enter or leave the plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from oicplan.data.dataset import Dataset, load_dataset
from oicplan.plan import Plan, make_plan
from oicplan.scenario import Scenario

__all__ = ["DisruptionImpact", "disruption_impact"]


@dataclass
class DisruptionImpact:
    """Access, rank and plan changes under closures (``before`` = undisturbed)."""

    avoid: list[str]
    access: pd.DataFrame
    ranks: pd.DataFrame
    before: Plan
    after: Plan

    @property
    def entering(self) -> list[str]:
        return sorted(set(self.after.chosen["site_id"]) - set(self.before.chosen["site_id"]))

    @property
    def leaving(self) -> list[str]:
        return sorted(set(self.before.chosen["site_id"]) - set(self.after.chosen["site_id"]))

    def to_dict(self, top: int = 20) -> dict:
        hit = self.access[self.access["change"] != "unchanged"]
        moved = self.ranks[self.ranks["rank_change"] != 0]
        return {
            "avoid": self.avoid,
            "access_changes": {k: int(v) for k, v in hit["change"].value_counts().items()},
            "sites_hit": [
                {
                    "site_id": row.site_id,
                    "change": row.change,
                    "days_before": _number(row.days_before),
                    "days_after": _number(row.days_after),
                    "corridor_before": _text(row.corridor_before),
                    "corridor_after": _text(row.corridor_after),
                }
                for row in hit.head(top).itertuples(index=False)
            ],
            "rank_changes": [
                {
                    "site_id": site,
                    "rank_before": int(row.rank_before),
                    "rank_after": int(row.rank_after),
                    "rank_change": int(row.rank_change),
                }
                for site, row in moved.head(top).iterrows()
            ],
            "plan_entering": self.entering,
            "plan_leaving": self.leaving,
        }


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


def disruption_impact(
    scenario: Scenario, avoid: list[str], dataset: Dataset | None = None
) -> DisruptionImpact:
    """Plan the scenario with and without the closures and compare.

    >>> from oicplan.scenario import load_scenario
    >>> impact = disruption_impact(load_scenario("zhejiang"), ["alashankou"])
    >>> impact.access.set_index("site_id").at["IRN-tehran", "change"]  # rail via Alashankou
    'lost'
    """
    from oicplan.geo import closure_plan, disruption_table, scenario_graph

    dataset = dataset or load_dataset()
    closures = closure_plan(avoid, field="avoid")
    # The Pareto frontier is not compared, so it is not traced twice.
    selection = scenario.selection.model_copy(update={"pareto": False})

    def with_closures(names: list[str]) -> Scenario:
        transport = scenario.transport.model_copy(update={"avoid": names})
        return scenario.model_copy(update={"transport": transport, "selection": selection})

    quiet, hit = with_closures([]), with_closures(list(avoid))
    before, after = make_plan(quiet, dataset), make_plan(hit, dataset)
    candidates = set(before.ranked.table["site_id"])
    graph = scenario_graph(scenario)  # the scenario's own hubs and cost index
    access = disruption_table(graph, mode="rail", **closures)
    best = disruption_table(graph, mode="best", **closures)
    access = pd.concat(
        [
            access[access["change"] == "lost"],
            best[best["change"] != "unchanged"],
            best[best["change"] == "unchanged"],
        ]
    )
    access = access.drop_duplicates("site_id")
    access = access[access["site_id"].isin(candidates)].reset_index(drop=True)
    ranks = pd.DataFrame(
        {
            "rank_before": before.ranked.table.set_index("site_id")["rank"],
            "rank_after": after.ranked.table.set_index("site_id")["rank"],
        }
    )
    ranks["rank_change"] = ranks["rank_before"] - ranks["rank_after"]
    ranks = ranks.reindex(ranks["rank_change"].abs().sort_values(ascending=False).index)
    return DisruptionImpact(list(avoid), access, ranks, before, after)
