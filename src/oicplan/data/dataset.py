"""The embedded dataset: every value with its year and source, loaded offline.

>>> dataset = load_dataset()
>>> value = dataset.value("DEU", "GB.XPD.RSDV.GD.ZS")
>>> value.source, value.year >= 2020
('wdi', True)
>>> dataset.indicator_title("SP.POP.TOTL")
'Population, total'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.errors import InputError

__all__ = ["Dataset", "Observation", "load_dataset"]


@dataclass(frozen=True)
class Observation:
    """One value with its provenance."""

    entity: str
    indicator: str
    year: int
    value: float
    source: str


class Dataset:
    """Read-only view of a snapshot folder (the package's own by default)."""

    def __init__(self, folder: str | Path = SNAPSHOT_DIR) -> None:
        self.folder = Path(folder)
        manifest = self.folder / "manifest.json"
        if not manifest.is_file():
            raise InputError(
                "no snapshot here; run 'oicplan data build' first", file=str(self.folder)
            )
        self.manifest: dict = json.loads(manifest.read_text(encoding="utf-8"))

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @cached_property
    def latest(self) -> pd.DataFrame:
        """Tidy table ``entity, indicator, year, value, source`` (latest value per pair)."""
        return pd.read_csv(self.folder / "latest.csv", keep_default_na=False, na_values=[""])

    @cached_property
    def series(self) -> pd.DataFrame:
        """Tidy yearly values of the last 15 years."""
        return pd.read_csv(self.folder / "series.csv.gz", keep_default_na=False, na_values=[""])

    @cached_property
    def indicators(self) -> pd.DataFrame:
        return pd.read_csv(self.folder / "indicators.csv").set_index("code")

    @cached_property
    def countries(self) -> pd.DataFrame:
        # keep_default_na=False: Namibia's ISO2 code is "NA".
        frame = pd.read_csv(self.folder / "countries.csv", keep_default_na=False, na_values=[""])
        return frame.set_index("iso3", drop=False)

    @cached_property
    def sites(self) -> pd.DataFrame:
        """Candidate sites, without the types only unconfirmed facts support.

        A scenario that opts in (``facts: {include_unconfirmed: true}``) reads
        :attr:`sites_with_unconfirmed` instead (:func:`oicplan.ranking.scenario_dataset`).
        """
        from oicplan.data.sites import without_unconfirmed

        return without_unconfirmed(self.sites_with_unconfirmed)

    @cached_property
    def sites_with_unconfirmed(self) -> pd.DataFrame:
        """Candidate sites; with each site's best route from the home hubs where computed.

        ``name_zh`` and ``name_zh_source`` are the site's Chinese name and where it
        comes from (``site_names_zh.csv``, :mod:`oicplan.data.names_zh`); a site
        the table lacks keeps its original name, source ``none``.
        """
        sites = pd.read_csv(self.folder / "sites.csv", keep_default_na=False, na_values=[""])
        names = self.folder / "site_names_zh.csv"
        if names.is_file():
            zh = pd.read_csv(names, keep_default_na=False, na_values=[""])
            zh = zh[["site_id", "name_zh", "name_zh_source"]]
            sites = sites.merge(zh, on="site_id", how="left")
        else:
            sites["name_zh"], sites["name_zh_source"] = None, None
        sites["name_zh"] = sites["name_zh"].fillna(sites["name"])
        sites["name_zh_source"] = sites["name_zh_source"].fillna("none")
        access = self.folder / "site_access.csv"
        if access.is_file():
            routes = pd.read_csv(access, keep_default_na=False, na_values=[""])
            sites = sites.merge(routes, on="site_id", how="left")
        return sites

    @cached_property
    def sources(self) -> list[dict]:
        return json.loads((self.folder / "sources.json").read_text(encoding="utf-8"))

    def fact_table(self, name: str) -> pd.DataFrame:
        """A fact table as shipped, each row with its ``source`` and ``as_of``."""
        path = self.folder / "facts" / f"{name}.csv"
        if not path.is_file():
            raise InputError(f"unknown fact table {name!r}", field="table")
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])

    def check_economy(self, iso3: str) -> str:
        """Return ``iso3`` upper-cased, or raise an error naming the unknown code."""
        code = iso3.strip().upper()
        if code not in self.countries.index:
            raise InputError(f"unknown economy code {iso3!r} (use ISO 3166 alpha-3)", field="iso3")
        return code

    def check_indicator(self, code: str) -> str:
        if code not in self.indicators.index:
            raise InputError(f"unknown indicator {code!r}", field="indicator")
        return code

    def indicator_title(self, code: str) -> str:
        return str(self.indicators.loc[self.check_indicator(code), "title"])

    def value(self, iso3: str, indicator: str) -> Observation | None:
        """The latest value of ``indicator`` for ``iso3`` with its year and source, or None."""
        rows = self.latest[
            (self.latest["entity"] == iso3) & (self.latest["indicator"] == indicator)
        ]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return Observation(
            iso3, indicator, int(row["year"]), float(row["value"]), str(row["source"])
        )

    def latest_matrix(self, indicators: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Economies × indicators: latest values and their years (NaN where there is none)."""
        subset = self.latest[self.latest["indicator"].isin(indicators)]
        values = subset.pivot(index="entity", columns="indicator", values="value")
        years = subset.pivot(index="entity", columns="indicator", values="year")
        return values.reindex(columns=indicators), years.reindex(columns=indicators)

    def economy_table(self, iso3: str) -> pd.DataFrame:
        """All latest values of one economy with title, year and source."""
        code = self.check_economy(iso3)
        rows = self.latest[self.latest["entity"] == code].copy()
        rows["title"] = rows["indicator"].map(self.indicators["title"])
        return rows[["indicator", "title", "value", "year", "source"]].reset_index(drop=True)


@lru_cache(maxsize=4)
def load_dataset(folder: str | None = None) -> Dataset:
    """The snapshot at ``folder`` (default: the one shipped inside the package), cached."""
    return Dataset(folder or SNAPSHOT_DIR)
