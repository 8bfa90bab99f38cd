"""Price data of the cost model: price levels, economy factors, candidate sites.

What the cost of a center borrows from the dataset (each value with its year and
source): GDP per person employed, the PPP conversion factor and the official
exchange rate, and the GDP per capita pair that cross-checks the price level.
:func:`economy_factors` turns them into the salary and price-level factors of
:func:`oicplan.finance.estimate.estimate_cost` (method: :mod:`oicplan.finance.cost`).

>>> from oicplan.data import load_dataset
>>> economy_factors(load_dataset(), "USA").salary_factor
1.0
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from oicplan.data.dataset import Observation
from oicplan.errors import InputError
from oicplan.finance.assumptions import CostAssumptions, default_assumptions

__all__ = [
    "CURRENCY",
    "EXCHANGE_RATE",
    "GDP_PC_PPP",
    "GDP_PC_USD",
    "PPP_FACTOR",
    "PRICE_LEVEL_TOLERANCE",
    "PRODUCTIVITY",
    "EconomyFactors",
    "InputValue",
    "PriceLevel",
    "economy_factors",
    "find_site",
    "price_level",
]

CURRENCY = "USD"
"""Currency of every amount; the price year comes from the assumptions."""

PRODUCTIVITY = "SL.GDP.PCAP.EM.KD"
"""WDI: GDP per person employed, constant 2021 PPP $."""

PPP_FACTOR = "PA.NUS.PPP"
"""WDI: PPP conversion factor, GDP, LCU per international $."""

EXCHANGE_RATE = "PA.NUS.FCRF"
"""WDI: official exchange rate, LCU per US$, period average."""

GDP_PC_USD = "NY.GDP.PCAP.CD"
"""WDI: GDP per capita, current US$ (cross-check of the price level)."""

GDP_PC_PPP = "NY.GDP.PCAP.PP.CD"
"""WDI: GDP per capita, current PPP $ (cross-check of the price level)."""

PRICE_LEVEL_TOLERANCE = 1.5
"""Largest factor by which the two measures of a price level may differ.

``PA.NUS.PPP / PA.NUS.FCRF`` and ``NY.GDP.PCAP.CD / NY.GDP.PCAP.PP.CD`` of the
same year measure the same thing (US$ per international $). In the shipped
snapshot they agree within 10 % for 187 of the 200 economies that have both;
the large differences (Bulgaria, Burundi, Iran, Lebanon, Liberia, Venezuela,
Zimbabwe) come from a PPP factor and an exchange rate in different currency
units or an official rate far from the one behind GDP in US$. Beyond this
factor the price level is a gap. The threshold is a choice of this tool, not a
published figure.
"""


def _fold(text: str) -> str:
    """Lower-case ``text`` without accents and with single spaces, for matching names."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True)
class _Obs:
    """Minimal observation (same fields as :class:`oicplan.data.dataset.Observation`)."""

    entity: str
    indicator: str
    year: int
    value: float
    source: str


_PRICE_CODES = (PPP_FACTOR, EXCHANGE_RATE, GDP_PC_USD, GDP_PC_PPP)


def _price_inputs(dataset: Any, iso3_codes: Iterable[str] | None = None) -> dict[str, dict]:
    """Per economy, the PPP factor, exchange rate and cross-check values of one year.

    Returns ``iso3 -> {code: observation}``. The year is the latest with all
    four indicators, or else the latest with PPP factor and exchange rate (the
    cross-check is then missing). Uses ``dataset.series``; without one
    it falls back to the latest values, kept only when their years agree.
    """
    series = getattr(dataset, "series", None)
    if not isinstance(series, pd.DataFrame):
        out = {}
        for iso3 in iso3_codes or ():
            found = {c: dataset.value(iso3, c) for c in _PRICE_CODES}
            ppp, xr = found[PPP_FACTOR], found[EXCHANGE_RATE]
            if ppp is None or xr is None or ppp.year != xr.year:
                continue
            out[iso3] = {c: o for c, o in found.items() if o is not None and o.year == ppp.year}
        return out
    rows = series[series["indicator"].isin(_PRICE_CODES)]
    if iso3_codes is not None:
        rows = rows[rows["entity"].isin(list(iso3_codes))]
    rows = rows.dropna(subset=["value"]).drop_duplicates(["entity", "indicator", "year"])
    if rows.empty:
        return {}
    wide = rows.pivot(index=["entity", "year"], columns="indicator", values=["value", "source"])
    values = wide["value"].reindex(columns=list(_PRICE_CODES))
    present = values.notna()
    pair = present[PPP_FACTOR] & present[EXCHANGE_RATE]
    # Prefer the latest year that also has the cross-check, else the latest pair.
    checked = pair & present[GDP_PC_USD] & present[GDP_PC_PPP]
    candidates = checked[pair].rename("checked").reset_index()
    candidates = candidates.sort_values(["checked", "year"], kind="stable")
    chosen = candidates.drop_duplicates("entity", keep="last")[["entity", "year"]]
    keys = pd.MultiIndex.from_frame(chosen)
    chosen_values = values.loc[keys].to_numpy()
    chosen_sources = wide["source"].reindex(columns=list(_PRICE_CODES)).loc[keys].to_numpy()
    order = sorted(range(len(_PRICE_CODES)), key=lambda i: _PRICE_CODES[i])
    found: dict[str, dict] = {}
    for (iso3, year), vals, srcs in zip(keys, chosen_values, chosen_sources, strict=True):
        iso3, year = str(iso3), int(year)
        found[iso3] = {
            _PRICE_CODES[i]: _Obs(iso3, _PRICE_CODES[i], year, float(vals[i]), str(srcs[i]))
            for i in order
            if not pd.isna(vals[i])
        }
    return found


def _site_record(row: Mapping[str, Any]) -> dict[str, str]:
    return {
        "site_id": str(row["site_id"]),
        "name": str(row.get("name", row["site_id"])),
        "iso3": str(row["iso3"]),
    }


def _latest_values(dataset: Any, code: str, iso3_codes: Iterable[str]) -> dict[str, Any] | None:
    """``iso3 -> dataset.value(iso3, code)`` for many economies in one pass, or None.

    Reads ``dataset.latest`` (the table behind :meth:`~oicplan.data.Dataset.value`,
    first row per economy and indicator, as ``value`` takes it); None when the
    dataset has no such table or its ``value`` is replaced on the instance, so
    the caller asks ``value`` one economy at a time.
    """
    latest = getattr(dataset, "latest", None)
    if not isinstance(latest, pd.DataFrame) or "value" in vars(dataset):
        return None
    wanted = set(iso3_codes)
    rows = latest[(latest["indicator"] == code) & latest["entity"].isin(wanted)]
    rows = rows.drop_duplicates("entity", keep="first")
    return {
        str(r.entity): Observation(str(r.entity), code, int(r.year), float(r.value), str(r.source))
        for r in rows.itertuples(index=False)
    }


@dataclass(frozen=True)
class PriceLevel:
    """US$ per international $ in one economy (see :func:`price_level`).

    ``inputs`` holds the observations used (PPP factor, exchange rate and, when
    present, the two GDP per capita values of the cross-check); ``check`` is
    the cross-check ratio; ``problem`` says why ``value`` is None.
    """

    iso3: str
    value: float | None
    year: int | None
    inputs: tuple
    check: float | None
    problem: str | None


@dataclass(frozen=True)
class InputValue:
    """One input of a cost with its provenance.

    ``kind`` is ``data`` (from the dataset: ``year`` and ``source`` set),
    ``assumption`` (from :class:`CostAssumptions`), ``user`` (given on the
    call) or ``derived`` (computed from the others).
    """

    name: str
    value: float | str | None
    unit: str
    kind: str
    year: int | None = None
    source: str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class EconomyFactors:
    """Salary and price-level factors of one economy against the reference.

    ``salary_factor`` and ``price_level_factor`` are None when an indicator is
    missing; ``gaps`` then says which.
    """

    iso3: str
    reference_iso3: str
    salary_factor: float | None
    price_level_factor: float | None
    price_level: float | None
    market_productivity: float | None
    inputs: list[InputValue]
    gaps: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary."""
        return asdict(self)


def find_site(dataset: Any, site: str) -> dict[str, str]:
    """The candidate site named by a site_id (``ESP-madrid``) or a site name.

    Matching ignores case and accents (``mazar-e sharif`` finds Mazār-e Sharīf).

    Parameters
    ----------
    dataset : Dataset
        Anything with a ``sites`` table (``site_id, name, iso3``).
    site : str
        Site id or name.

    Returns
    -------
    dict
        ``site_id``, ``name``, ``iso3``.

    Raises
    ------
    InputError
        Field ``site``: unknown (with close matches) or a name shared by
        several sites (with their ids).

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> find_site(load_dataset(), "esp-MADRID")["name"]
    'Madrid'
    >>> find_site(load_dataset(), "Mazar-e Sharif")["site_id"]
    'AFG-mazar-e-sharif'
    """
    sites = dataset.sites
    wanted = _fold(site)
    if not wanted:
        raise InputError("give a site id such as ESP-madrid or a site name", field="site")
    ids = sites["site_id"].astype(str)
    hit = sites[ids.map(_fold) == wanted]
    if hit.empty:
        hit = sites[sites["name"].astype(str).map(_fold) == wanted]
    if len(hit) == 1:
        return _site_record(hit.iloc[0])
    if len(hit) > 1:
        choices = ", ".join(hit["site_id"].astype(str))
        raise InputError(f"{site!r} names several sites; use one of {choices}", field="site")
    pool = list(ids) + list(sites["name"].astype(str))
    close = difflib.get_close_matches(site, pool, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"unknown site {site!r}{hint}", field="site")


def price_level(dataset: Any, iso3: str, *, _inputs: Mapping | None = None) -> PriceLevel:
    """Price level of one economy: PPP conversion factor over exchange rate, same year.

    Both indicators are taken from the same year: the latest that also has GDP
    per capita in current US$ and in current PPP $, whose ratio cross-checks the
    result, or else the latest with both; a difference beyond :data:`PRICE_LEVEL_TOLERANCE`
    makes the price level a gap.

    Parameters
    ----------
    dataset : Dataset
        With ``series`` (or, for small stand-ins, only ``value()``).
    iso3 : str

    Returns
    -------
    PriceLevel
        ``value`` None and ``problem`` set when the price level cannot be used.

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> usa = price_level(load_dataset(), "USA")
    >>> usa.value, usa.problem, [o.source for o in usa.inputs][:2]
    (1.0, None, ['wdi', 'wdi'])
    >>> price_level(load_dataset(), "LBR").problem.startswith("PA.NUS.PPP / PA.NUS.FCRF")
    True
    """
    iso3 = str(iso3).strip().upper()
    table = _inputs if _inputs is not None else _price_inputs(dataset, [iso3])
    obs = table.get(iso3)
    if not obs:
        return PriceLevel(
            iso3,
            None,
            None,
            (),
            None,
            f"no year with both {PPP_FACTOR} and {EXCHANGE_RATE} for {iso3} in the dataset",
        )
    ppp, xr = obs[PPP_FACTOR], obs[EXCHANGE_RATE]
    used = (ppp, xr)
    if not xr.value or not ppp.value:
        return PriceLevel(iso3, None, ppp.year, used, None, f"zero {PPP_FACTOR} or rate")
    value = float(ppp.value / xr.value)
    check = None
    usd, intl = obs.get(GDP_PC_USD), obs.get(GDP_PC_PPP)
    if usd is not None and intl is not None and intl.value:
        check = float(usd.value / intl.value)
        used = (ppp, xr, usd, intl)
        if check > 0 and max(value / check, check / value) > PRICE_LEVEL_TOLERANCE:
            return PriceLevel(
                iso3,
                None,
                ppp.year,
                used,
                check,
                f"{PPP_FACTOR} / {EXCHANGE_RATE} = {value:.3g} for {iso3} in {ppp.year} "
                f"disagrees with {GDP_PC_USD} / {GDP_PC_PPP} = {check:.3g} by more than a "
                f"factor {PRICE_LEVEL_TOLERANCE:g} (different currency units or an "
                "official rate far from the market)",
            )
    return PriceLevel(iso3, value, ppp.year, used, check, None)


_UNITS = {
    PRODUCTIVITY: "constant 2021 PPP $ per person employed",
    PPP_FACTOR: "LCU per international $",
    EXCHANGE_RATE: "LCU per US$",
    GDP_PC_USD: "current US$ per person (cross-check)",
    GDP_PC_PPP: "current PPP $ per person (cross-check)",
}


def _data_input(obs: Any, code: str, iso3: str) -> InputValue:
    if obs is None:
        return InputValue(f"{code} {iso3}", None, _UNITS[code], "data", note="missing")
    return InputValue(
        f"{code} {iso3}", float(obs.value), _UNITS[code], "data", int(obs.year), str(obs.source)
    )


def _economy_inputs(
    dataset: Any, iso3: str, table: Mapping | None, productivity: Mapping | None = None
) -> tuple[float | None, float | None, list[InputValue], list[str]]:
    """Price level, market productivity, their inputs and gaps for one economy."""
    gaps: list[str] = []
    lookup = productivity.get if productivity is not None else None
    prod = dataset.value(iso3, PRODUCTIVITY) if lookup is None else lookup(iso3)
    if prod is None:
        gaps.append(f"no {PRODUCTIVITY} for {iso3} in the dataset")
    inputs = [_data_input(prod, PRODUCTIVITY, iso3)]
    level = price_level(dataset, iso3, _inputs=table)
    inputs += [_data_input(o, o.indicator, iso3) for o in level.inputs]
    if level.problem:
        gaps.append(level.problem)
    market = None if level.value is None or prod is None else float(prod.value) * level.value
    if level.value is not None:
        inputs.append(
            InputValue(
                f"price level {iso3}",
                level.value,
                "US$ per international $",
                "derived",
                level.year,
                note=f"{PPP_FACTOR} / {EXCHANGE_RATE}, same year",
            )
        )
    return level.value, market, inputs, gaps


def economy_factors(
    dataset: Any,
    iso3: str,
    assumptions: CostAssumptions | None = None,
    *,
    _inputs: Mapping | None = None,
    _productivity: Mapping | None = None,
) -> EconomyFactors:
    """Salary and price-level factors of ``iso3`` against the reference economy.

    ``salary_factor = ((prod_h * p_h) / (prod_ref * p_ref)) ** elasticity`` and
    ``price_level_factor = p_h / p_ref`` with ``prod`` GDP per person employed
    (constant 2021 PPP $) and ``p`` the price level ``PPP factor / exchange
    rate`` (see the module docstring).

    Parameters
    ----------
    dataset : Dataset
    iso3 : str
        Host economy.
    assumptions : CostAssumptions, optional
        For the reference economy and the elasticity.

    Returns
    -------
    EconomyFactors
        Factors are None, and ``gaps`` lists the missing indicators, when the
        host or the reference lacks one.

    Examples
    --------
    >>> from oicplan.data import load_dataset
    >>> f = economy_factors(load_dataset(), "USA")
    >>> f.salary_factor, f.price_level_factor, f.gaps
    (1.0, 1.0, [])
    """
    a = assumptions or default_assumptions()
    iso3 = str(iso3).strip().upper()
    ref = a.reference_iso3
    table = _inputs if _inputs is not None else _price_inputs(dataset, {iso3, ref})
    p_h, m_h, inputs, gaps = _economy_inputs(dataset, iso3, table, _productivity)
    if ref != iso3:
        p_r, m_r, ref_inputs, ref_gaps = _economy_inputs(dataset, ref, table, _productivity)
        inputs += ref_inputs
        gaps += [f"{g} (reference economy)" for g in ref_gaps]
    else:
        p_r, m_r = p_h, m_h
    salary = None
    if m_h is not None and m_r:
        salary = float((m_h / m_r) ** a.salary_elasticity)
    level = None if p_h is None or not p_r else float(p_h / p_r)
    return EconomyFactors(iso3, ref, salary, level, p_h, m_h, inputs, gaps)
