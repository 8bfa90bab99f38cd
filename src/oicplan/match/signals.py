"""Specialization signals from the snapshot, and users' own field-level data.

Every signal is an index ``r ≥ 0`` where 1 means "as strong as the reference":

* ``balassa_rca`` — revealed comparative advantage of high-technology exports,
  ``(HTX_c / MX_c) / (Σ HTX / Σ MX)`` with manufactured exports
  ``MX_c = HTX_c / (share_c / 100)``; the sums run over every economy of the
  snapshot that has both values (the snapshot holds no "World" aggregate).
* ``relative`` — an indicator divided by its median over the reference
  economies (the scenario's candidate economies).
* ``ratio`` — an indicator divided by a denominator (population, GDP), times a
  scale, then divided by the candidates' median of that ratio.

An index becomes a strength in [0, 1] with ``s = r^a / (1 + r^a)``: the
reference level gives 0.5; with slope ``a = 1`` twice it gives 0.67 and half of
it 0.33. Heavy-tailed signals (counts per person, receipts per GDP, servers per
person: the strongest hosts are 100 times the median) use ``a = 0.5`` so that
strong hosts still differ (the ``slope`` of each signal in the taxonomy).

Users' own field data (CSV ``iso3, field, value, year, source``) replace the
proxy where given. Counts (e.g. patent publications by WIPO field) become a
Balassa RCA over the file's own economies and fields; ``kind="index"`` takes
the values as indices directly (1 = reference).

>>> strength(1.0), strength(3.0), strength(0.0)
(0.5, 0.75, 0.0)
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from oicplan.data.dataset import Dataset
from oicplan.data.validation import validate_table
from oicplan.errors import InputError, spreadsheet_row
from oicplan.match.taxonomy import Taxonomy
from oicplan.textfile import csv_source

__all__ = [
    "FIELD_DATA_COLUMNS",
    "FIELD_DATA_KINDS",
    "balassa_rca",
    "field_data_index",
    "load_field_data",
    "signal_table",
    "strength",
]

FIELD_DATA_COLUMNS = ["iso3", "field", "value", "year", "source"]
FIELD_DATA_KINDS = ("counts", "index")

_FIELD_DATA_SCHEMA = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, nullable=False),
        "field": pa.Column(str, nullable=False),
        "value": pa.Column(float, pa.Check.ge(0), coerce=True, nullable=False),
        "year": pa.Column(
            int,
            pa.Check.in_range(1900, 2100, error="a year between 1900 and 2100"),
            coerce=True,
            nullable=False,
        ),
        "source": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
    },
    strict=False,
)


def strength(index: float | None, slope: float = 1.0) -> float | None:
    """Map an index ``r ≥ 0`` (1 = reference) to [0, 1] by ``r^a / (1 + r^a)``; None stays None.

    >>> round(strength(4.0, slope=0.5), 4)
    0.6667
    """
    if index is None or (isinstance(index, float) and math.isnan(index)):
        return None
    value = max(float(index), 0.0) ** float(slope)
    return value / (1.0 + value)


def balassa_rca(exports: pd.Series, share_percent: pd.Series) -> tuple[pd.Series, float]:
    """RCA of high-tech exports within manufactured exports, and the reference share.

    ``exports`` are high-technology exports (US$) and ``share_percent`` their share
    of manufactured exports (%), both indexed by economy. Economies lacking either
    value, or with a zero share, are left out of the reference and get NaN.

    >>> x = pd.Series({"A": 30.0, "B": 10.0})
    >>> s = pd.Series({"A": 30.0, "B": 10.0})
    >>> rca, reference = balassa_rca(x, s)
    >>> round(reference, 4), round(float(rca["A"]), 4), round(float(rca["B"]), 4)
    (0.2, 1.5, 0.5)
    """
    frame = pd.DataFrame({"x": exports, "s": share_percent}).dropna()
    frame = frame[frame["s"] > 0]
    manufactured = frame["x"] / (frame["s"] / 100.0)
    reference = float(frame["x"].sum() / manufactured.sum())
    rca = (frame["s"] / 100.0) / reference
    return rca.reindex(exports.index), reference


def _known(values: pd.DataFrame, years: pd.DataFrame, code: str) -> tuple[dict, dict]:
    """Each economy's value of ``code`` and its year, for the economies that have one."""
    if code not in values.columns:
        return {}, {}
    column = values[code].dropna()
    found = {iso3: float(value) for iso3, value in column.items()}
    year_of = years[code].reindex(column.index)
    return found, {iso3: int(year) for iso3, year in year_of.items()}


def signal_table(
    dataset: Dataset,
    economies: list[str],
    reference_economies: list[str],
    taxonomy: Taxonomy,
) -> pd.DataFrame:
    """Every signal of the taxonomy for ``economies``, with values, years and sources.

    Returns a tidy table ``iso3, signal, value, index, strength, year, inputs,
    source`` where ``value`` is the raw signal (share, ratio or RCA input share),
    ``index`` the specialization index (1 = reference), ``year`` the oldest year
    of the inputs and ``inputs`` each input code with its year. Missing inputs
    give NaN (a gap, never a zero).
    """
    specs = taxonomy.raw["signals"]
    codes = set()
    for spec in specs.values():
        codes.update(
            spec[key] for key in ("indicator", "denominator", "numerator", "share") if key in spec
        )
    values, years = dataset.latest_matrix(sorted(codes))
    sources = dataset.indicators["source"].to_dict() if "source" in dataset.indicators else {}
    reference = [c for c in dict.fromkeys(reference_economies) if c in values.index]
    known = {code: _known(values, years, code) for code in sorted(codes)}
    rows = []
    for signal_id, spec in specs.items():
        kind = spec["kind"]
        slope = float(spec.get("slope", 1.0))
        if kind == "balassa_rca":
            num, share = spec["numerator"], spec["share"]
            rca, ref_share = balassa_rca(values[num], values[share])
            rca_of = rca.dropna().to_dict()
            (_, num_year), (share_of, share_year) = known[num], known[share]
            note = f"reference share {ref_share * 100:.4g}% (all snapshot economies)"
            for iso3 in economies:
                inputs = [(num, num_year.get(iso3)), (share, share_year.get(iso3))]
                rows.append(
                    _signal_row(
                        iso3, signal_id, share_of.get(iso3), rca_of.get(iso3), inputs, sources,
                        slope=slope, note=note,
                    )
                )
            continue
        code = spec["indicator"]
        raw = values[code]
        input_codes = [code]
        if kind == "ratio":
            denominator = values[spec["denominator"]].replace(0, np.nan)
            raw = raw / denominator * float(spec.get("scale", 1))
            input_codes.append(spec["denominator"])
        elif kind != "relative":
            raise InputError(f"unknown signal kind {kind!r}", field=f"signals.{signal_id}")
        median = float(raw.reindex(reference).dropna().median()) if reference else float("nan")
        raw_of = {iso3: float(value) for iso3, value in raw.dropna().items()}
        note = f"candidate median {median:.4g}"
        for iso3 in economies:
            value = raw_of.get(iso3)
            index = None if value is None or not median > 0 else value / median
            inputs = [(c, known[c][1].get(iso3)) for c in input_codes]
            rows.append(
                _signal_row(
                    iso3, signal_id, value, index, inputs, sources, slope=slope, note=note
                )
            )
    return pd.DataFrame(rows)


def _signal_row(iso3, signal_id, value, index, inputs, sources, slope, note) -> dict:
    known = [(code, year) for code, year in inputs if year is not None]
    complete = index is not None and len(known) == len(inputs)
    return {
        "iso3": iso3,
        "signal": signal_id,
        "value": value,
        "index": float(index) if complete else None,
        "strength": strength(float(index), slope) if complete else None,
        "year": min(year for _, year in known) if complete else None,
        "inputs": "; ".join(f"{code} {year}" for code, year in known),
        "source": ", ".join(sorted({str(sources.get(code, "wdi")) for code, _ in inputs})),
        "reference": note,
    }


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return pd.read_excel(path, dtype=str, keep_default_na=False, na_values=[""])
        except Exception as error:  # a broken workbook: zipfile, openpyxl and XML errors
            message = " ".join(str(error).split()) or type(error).__name__
            raise InputError(f"not a readable XLSX file ({message})", file=str(path)) from None
    try:
        source, delimiter = csv_source(path)  # UTF-8, UTF-16 or GB18030/GBK
        return pd.read_csv(source, sep=delimiter, dtype=str, keep_default_na=False,
                           na_values=[""])
    except (
        pd.errors.ParserError,
        UnicodeDecodeError,
        pd.errors.EmptyDataError,
        ValueError,
    ) as error:
        message = " ".join(str(error).split())  # pandas ends some messages with a newline
        raise InputError(f"not a readable table ({message})", file=str(path)) from None


def load_field_data(path: str | Path, taxonomy: Taxonomy, dataset: Dataset) -> pd.DataFrame:
    """Read and validate a field-data file; errors name the file, row and field.

    Columns ``iso3, field, value, year, source``. ``iso3`` is an economy of the
    snapshot or ``CN-ZJ`` (Zhejiang's own values, for the home side); ``field`` a
    field id, WIPO field number or WIPO field name; ``value`` a number ≥ 0; one
    row per economy and field. The returned frame has canonical ids and a
    ``row`` column (spreadsheet numbering, header = row 1).
    """
    path = Path(path)
    frame = _read_table(path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame = validate_table(frame, _FIELD_DATA_SCHEMA, path)
    frame = frame[FIELD_DATA_COLUMNS].copy()
    seen: dict[tuple[str, str], int] = {}
    iso_out, field_out = [], []
    for i, record in enumerate(frame.itertuples(index=False)):
        row = spreadsheet_row(i)
        code = str(record.iso3).strip().upper()
        if code != taxonomy.home_region and code not in dataset.countries.index:
            raise InputError(
                f"unknown economy {record.iso3!r} (ISO 3166 alpha-3, or {taxonomy.home_region} "
                "for Zhejiang)",
                file=str(path),
                row=row,
                field="iso3",
            )
        field_id = taxonomy.resolve_field(record.field)
        if field_id is None:
            raise InputError(
                f"unknown technology field {record.field!r} (a field id such as "
                "'computer_technology', a WIPO field number 1-35 or its name)",
                file=str(path),
                row=row,
                field="field",
            )
        key = (code, field_id)
        if key in seen:
            raise InputError(
                f"{code} and {field_id} already given in row {seen[key]}",
                file=str(path),
                row=row,
                field="field",
            )
        seen[key] = row
        iso_out.append(code)
        field_out.append(field_id)
    frame["iso3"] = iso_out
    frame["field"] = field_out
    frame["source"] = frame["source"].astype(str).str.strip()
    frame["row"] = [spreadsheet_row(i) for i in range(len(frame))]
    frame["file"] = str(path)
    return frame.reset_index(drop=True)


def field_data_index(frame: pd.DataFrame, kind: str = "counts") -> pd.DataFrame:
    """Turn validated field data into indices: RCA for counts, as given for indices.

    The RCA of economy ``c`` in field ``f`` is ``(v_cf / Σ_f v_cf) / (Σ_c v_cf / Σ v)``
    over the economies and fields of the file. It needs at least two economies
    and two fields.

    >>> frame = pd.DataFrame({"iso3": ["A", "A", "B", "B"], "field": ["x", "y", "x", "y"],
    ...                       "value": [3.0, 1.0, 1.0, 3.0], "year": 2022, "source": "s",
    ...                       "row": [2, 3, 4, 5], "file": "f.csv"})
    >>> field_data_index(frame)["index"].round(2).tolist()
    [1.5, 0.5, 0.5, 1.5]
    """
    if kind not in FIELD_DATA_KINDS:
        raise InputError(f"kind must be one of {', '.join(FIELD_DATA_KINDS)}", field="kind")
    out = frame.copy()
    if kind == "index":
        out["index"] = out["value"].astype(float)
        return out
    file = str(out["file"].iloc[0]) if "file" in out and len(out) else None
    if out["iso3"].nunique() < 2 or out["field"].nunique() < 2:
        raise InputError(
            "counts need at least two economies and two fields to compute a "
            "specialization (RCA); give more rows, or use kind 'index'",
            file=file,
            field="field",
        )
    totals = out.groupby("iso3")["value"].transform("sum")
    field_totals = out.groupby("field")["value"].transform("sum")
    grand = float(out["value"].sum())
    for i, total in enumerate(totals):
        if total <= 0:
            raise InputError(
                f"all values of {out['iso3'].iloc[i]} are zero: no specialization can be computed",
                file=file,
                row=int(out["row"].iloc[i]),
                field="value",
            )
    with np.errstate(divide="ignore", invalid="ignore"):
        share_field = field_totals / grand
        out["index"] = np.where(share_field > 0, (out["value"] / totals) / share_field, 0.0)
    return out
