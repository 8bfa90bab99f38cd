"""Generate the SYNTHETIC illustrative enterprise sample (enterprises_sample.csv).

Run from the repository root:  python src/oicplan/data/enterprises/make_sample.py

What is real and what is assumed:

* the COUNTS follow the paper (Zuo, section 3.3): 146 backbone enterprises and
  3,973 high-tech enterprises;
* everything else is ASSUMED, not data: names are "Illustrative enterprise NNNN";
  industries are drawn uniformly from the 12 industries of oicplan's taxonomy;
  home cities uniformly from Zhejiang's 11 prefecture-level cities; backbone
  enterprises are "large", high-tech enterprises uniformly "large", "medium" or
  "small"; each enterprise's tech_needs are one or two technology fields of its
  industry, drawn with the taxonomy's field weights; overseas_presence is left
  empty (no assumption is made about where real firms are);
* every row has synthetic = true.

The generator is seeded, so the file is the same on every run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

SEED = 20190415
BACKBONE = 146  # paper, section 3.3
HIGH_TECH = 3973  # paper, section 3.3
HIGH_TECH_SIZES = ["large", "medium", "small"]  # assumed, drawn uniformly

HERE = Path(__file__).resolve().parent
TAXONOMY = HERE.parents[1] / "match" / "taxonomy.yaml"
OUT = HERE / "enterprises_sample.csv"


def make_sample(seed: int = SEED) -> pd.DataFrame:
    """The sample as a DataFrame (same seed, same rows)."""
    taxonomy = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    industries = taxonomy["industries"]
    cities = list(taxonomy["cities"]["prefecture"])
    rng = np.random.default_rng(seed)
    rows = []
    total = BACKBONE + HIGH_TECH
    for number in range(1, total + 1):
        backbone = number <= BACKBONE
        industry = industries[int(rng.integers(len(industries)))]
        fields = list(industry["fields"])
        weights = np.array([industry["fields"][f] for f in fields], dtype=float)
        count = int(rng.integers(1, 3))
        needs = rng.choice(
            fields, size=min(count, len(fields)), replace=False, p=weights / weights.sum()
        )
        rows.append(
            {
                "name": f"Illustrative enterprise {number:04d}",
                "industry": industry["id"],
                "size": "large" if backbone else HIGH_TECH_SIZES[int(rng.integers(3))],
                "home_city": cities[int(rng.integers(len(cities)))],
                "category": "backbone" if backbone else "high_tech",
                "tech_needs": ";".join(str(f) for f in needs),
                "overseas_presence": "",
                "synthetic": "true",
            }
        )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    make_sample().to_csv(OUT, index=False)
    print(f"wrote {OUT}")
