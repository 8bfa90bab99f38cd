"""How much of the site scores' variance lies between economies, before and after local evidence.

Issue 13: with national indicators only, a site is its country. This script ranks the
candidates of a scenario (default ``zhejiang``) twice - with the default framework as
shipped ("after": with the city-level indicators ``SITE.ROR_EDUCATION``,
``SITE.ROR_FACILITY`` and ``SITE.LARGE_AIRPORTS``) and with the same framework without
them ("before") - and prints, for the composite score of each:

* the between-economy share of variance: sum over economies of n_e (mean_e - mean)^2
  over the total sum of squares (one-way ANOVA decomposition, population variances);
* the median spread (max - min) and standard deviation of scores among the sites of one
  economy, over the economies with 3 or more sites, against those of all scores;
* the sites of a few economies (the pairs issue 13 names), with score and rank.

Run: ``python benchmarks/local_variance.py [--scenario zhejiang] [--json]``.
The numbers are in docs/indicators.md ("Local evidence").
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from oicplan.data.cities import LOCAL_INDICATORS
from oicplan.indicators.framework import _FRAMEWORK_DIR
from oicplan.ranking import rank_sites
from oicplan.scenario import load_scenario

PAIRS = ["AUT", "SVN", "EST", "NZL", "KOR"]


def _without_local(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def prune(node: dict) -> None:
        if "indicators" in node:
            node["indicators"] = [
                i for i in node["indicators"] if i["code"] not in LOCAL_INDICATORS
            ]
        for child in node.get("children", []):
            prune(child)

    for pillar in data["pillars"]:
        prune(pillar)
    return data


def variance_summary(table: pd.DataFrame) -> dict:
    """Between-economy share of variance and within-economy spreads of ``table.score``."""
    scores = table["score"].astype(float)
    mean = scores.mean()
    groups = table.groupby("iso3")["score"]
    between = float((groups.size() * (groups.mean() - mean) ** 2).sum())
    total = float(((scores - mean) ** 2).sum())
    sizes = groups.size()
    spread = (groups.max() - groups.min())[sizes >= 3]
    std = groups.std(ddof=0)[sizes >= 3]
    return {
        "sites": int(len(table)),
        "economies": int(sizes.size),
        "between_share": between / total if total else float("nan"),
        "economies_3plus": int(spread.size),
        "median_spread_within": float(spread.median()),
        "median_std_within": float(std.median()),
        "spread_all": float(scores.max() - scores.min()),
        "std_all": float(scores.std(ddof=0)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="zhejiang")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    scenario = scenario.model_copy(
        update={"uncertainty": scenario.uncertainty.model_copy(update={"samples": 0})}
    )
    source = Path(scenario.framework)
    if not source.is_file():
        source = _FRAMEWORK_DIR / f"{scenario.framework}_framework.yaml"
    with tempfile.TemporaryDirectory() as folder:
        before_path = Path(folder) / "before.yaml"
        before_path.write_text(yaml.safe_dump(_without_local(source), allow_unicode=True),
                               encoding="utf-8")
        before = rank_sites(scenario.model_copy(update={"framework": str(before_path)})).table
    after = rank_sites(scenario).table
    result = {"scenario": args.scenario, "before": variance_summary(before),
              "after": variance_summary(after), "sites": {}}
    for label, table in (("before", before), ("after", after)):
        rows = table[table["iso3"].isin(PAIRS)].sort_values(["iso3", "rank"])
        result["sites"][label] = [
            {"site_id": r.site_id, "score": round(float(r.score), 4), "rank": int(r.rank)}
            for r in rows.itertuples()
        ]
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for label in ("before", "after"):
        s = result[label]
        print(f"{label:6}: {s['sites']} sites in {s['economies']} economies; between-economy "
              f"share of variance {100 * s['between_share']:.1f} %; median within-economy "
              f"spread {s['median_spread_within']:.4f} ({s['economies_3plus']} economies with "
              f"3+ sites) against {s['spread_all']:.3f} overall; median within-economy "
              f"standard deviation {s['median_std_within']:.4f} against {s['std_all']:.3f}")
    before_rows = {r["site_id"]: r for r in result["sites"]["before"]}
    print("\nsite                 before (score, rank)   after (score, rank)")
    for row in result["sites"]["after"]:
        old = before_rows.get(row["site_id"], {})
        print(f"{row['site_id']:20} {old.get('score', ''):>8} {old.get('rank', ''):>5}"
              f"        {row['score']:>8} {row['rank']:>5}")


if __name__ == "__main__":
    main()
