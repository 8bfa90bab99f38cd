"""Importers for World Bank WDI indicator files and the WGI dataset.

WDI files come in the long layout ``Country Name, Country Code, Year, Value``
(the layout of the World Bank's bulk downloads and of the mirror in
``shared/data/wdi``), one file per indicator named by its code in lower case.
Regional and income-group aggregates are mixed in with the economies; an
economy is any code that is an ISO 3166-1 alpha-3 code (from ``pycountry``)
or Kosovo's ``XKX``, which the World Bank uses for an economy without an ISO
code. Everything else (``WLD``, ``EUU``, ``HIC``, ``SSF``, ``CHI`` ...) is dropped.

The WGI dataset uses a few older World Bank codes; they are mapped to ISO.

>>> is_economy("DEU"), is_economy("WLD"), is_economy("XKX"), is_economy("HIC")
(True, False, True, False)
>>> WGI_CODE_TO_ISO3["ROM"]
'ROU'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pycountry

from oicplan.data.validation import WDI_FILE_SCHEMA, WGI_FILE_SCHEMA, read_csv_checked
from oicplan.errors import InputError

__all__ = [
    "WGI_CODE_TO_ISO3",
    "WGI_INDICATORS",
    "is_economy",
    "read_wdi_file",
    "read_wdi_dir",
    "read_wdi_index",
    "read_wgi_file",
]

# World Bank codes that are economies but not ISO 3166-1 alpha-3 codes.
_NON_ISO_ECONOMIES = {"XKX": "Kosovo"}

# WGI's older economy codes (shared/data/wgi/README.md) and their ISO 3166 equivalents.
WGI_CODE_TO_ISO3 = {
    "ADO": "AND",
    "ROM": "ROU",
    "TMP": "TLS",
    "ZAR": "COD",
    "WBG": "PSE",
    "KSV": "XKX",
}

WGI_INDICATORS = {
    "va": "Voice and Accountability",
    "pv": "Political Stability and Absence of Violence/Terrorism",
    "ge": "Government Effectiveness",
    "rq": "Regulatory Quality",
    "rl": "Rule of Law",
    "cc": "Control of Corruption",
}

_ISO3_CODES = frozenset(country.alpha_3 for country in pycountry.countries)


def is_economy(code: str) -> bool:
    """True if a World Bank code names an economy rather than an aggregate."""
    return code in _ISO3_CODES or code in _NON_ISO_ECONOMIES


def read_wdi_file(path: str | Path, indicator: str | None = None) -> pd.DataFrame:
    """Read one WDI indicator file into tidy rows ``entity, indicator, year, value``.

    The indicator code defaults to the file name in upper case
    (``ny.gdp.mktp.cd.csv`` → ``NY.GDP.MKTP.CD``). Aggregates are dropped.
    """
    path = Path(path)
    code = (indicator or path.name.removesuffix(".csv")).upper()
    frame = read_csv_checked(path, WDI_FILE_SCHEMA, dtype={"Country Code": str})
    frame = frame[frame["Country Code"].map(is_economy)]
    tidy = pd.DataFrame(
        {
            "entity": frame["Country Code"].astype(str),
            "indicator": code,
            "year": frame["Year"].astype(int),
            "value": frame["Value"].astype(float),
        }
    )
    duplicated = tidy.duplicated(["entity", "year"], keep=False)
    if duplicated.any():
        first = int(duplicated.to_numpy().nonzero()[0][0])
        raise InputError(
            "the same economy and year appear twice", file=str(path), row=first + 2, field="Year"
        )
    return tidy.reset_index(drop=True)


def read_wdi_index(wdi_dir: str | Path) -> pd.DataFrame:
    """Read ``index.csv`` (code, title, license, ...) if present, else an empty table."""
    path = Path(wdi_dir) / "index.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["code", "title", "license"])
    index = pd.read_csv(path)
    index["code"] = index["code"].str.upper()
    return index


def read_wdi_dir(wdi_dir: str | Path, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Read every indicator file of a WDI folder (or only ``codes``) into one tidy table."""
    wdi_dir = Path(wdi_dir)
    if not wdi_dir.is_dir():
        raise InputError("WDI folder not found", file=str(wdi_dir))
    wanted = None if codes is None else {code.lower() for code in codes}
    files = sorted(
        path
        for path in wdi_dir.glob("*.csv")
        if path.name != "index.csv" and (wanted is None or path.stem in wanted)
    )
    if not files:
        raise InputError("no WDI indicator files (*.csv) in this folder", file=str(wdi_dir))
    return pd.concat([read_wdi_file(path) for path in files], ignore_index=True)


def read_wgi_file(path: str | Path) -> pd.DataFrame:
    """Read the WGI long dataset into tidy rows; indicators are named ``WGI.PV`` etc.

    Missing estimates (written ``..``) are dropped: a gap stays a gap.
    """
    path = Path(path)
    frame = read_csv_checked(path, WGI_FILE_SCHEMA, na_values=[".."], keep_default_na=False)
    codes = frame["code"].map(lambda code: WGI_CODE_TO_ISO3.get(code, code))
    tidy = pd.DataFrame(
        {
            "entity": codes,
            "indicator": "WGI." + frame["indicator"].str.upper(),
            "year": frame["year"].astype(int),
            "value": frame["estimate"].astype(float),
        }
    )
    tidy = tidy[tidy["entity"].map(is_economy) & tidy["value"].notna()]
    return tidy.reset_index(drop=True)
