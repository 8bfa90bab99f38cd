"""A scenario's candidate sites: the dataset's sites its candidate filter admits.

The filter (``candidates`` in a scenario) admits economies by Belt and Road
status, ``include`` and ``exclude``, and sites by type. It lives in the data
layer so that the match, the ranking and the plan read the same candidates.
"""

from __future__ import annotations

import pandas as pd

from oicplan.data.dataset import Dataset
from oicplan.errors import InputError
from oicplan.scenario import Scenario

__all__ = ["candidate_sites"]


def _status_key(status: object) -> str:
    if not isinstance(status, str):
        return "none"
    text = status.lower()
    for key in ("withdrawn", "unclear"):
        if text.startswith(key):
            return key
    return "member"


def candidate_sites(dataset: Dataset, scenario: Scenario) -> pd.DataFrame:
    """The dataset's sites that the scenario's candidate filter admits."""
    countries = dataset.countries
    for code in scenario.candidates.include + scenario.candidates.exclude:
        if code not in countries.index:
            raise InputError(
                f"unknown economy code {code!r} (use ISO 3166 alpha-3)",
                field="candidates.include/exclude",
            )
    status = countries["bri_status"].map(_status_key)
    admitted = set(countries.index[status.isin(scenario.candidates.bri_status)])
    admitted |= set(scenario.candidates.include)
    admitted -= set(scenario.candidates.exclude)
    admitted &= set(countries.index[countries["candidate"].astype(bool)])
    sites = dataset.sites
    types = sites["types"].str.split(";")
    wanted = set(scenario.candidates.site_types)
    mask = sites["iso3"].isin(admitted) & types.map(lambda found: bool(wanted & set(found)))
    return sites[mask].reset_index(drop=True)
