"""Use cases of the embedded dataset: its sources, indicators, one economy's values, export
and rebuild.

What ``oicplan data sources|show|export|build`` do (and ``GET /api/data/indicators``).
Results carry JSON-ready data; ``result.document()`` is what the command's ``--json`` option prints.

>>> result = data_show(DataShowRequest(iso3="kaz"))
>>> result.iso3, result.name_en, result.document()["name_zh"]
('KAZ', 'Kazakhstan', '哈萨克斯坦')
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import Field

from oicplan.services._base import Request, Result

__all__ = [
    "DataBuildRequest",
    "DataBuildResult",
    "DataExportRequest",
    "DataExportResult",
    "DataIndicatorsRequest",
    "DataIndicatorsResult",
    "DataShowRequest",
    "DataShowResult",
    "DataSourcesRequest",
    "DataSourcesResult",
    "EconomyValue",
    "FieldValue",
    "IndicatorRecord",
    "data_build",
    "data_export",
    "data_indicators",
    "data_show",
    "data_sources",
]

EXPORT_COLUMNS = ("entity", "indicator", "year", "value", "source")
"""Columns of the exported tidy table (entity = ISO3, indicator = WDI code for WDI series)."""


# --------------------------------------------------------------------------- sources


class DataSourcesRequest(Request):
    """Every source of the embedded dataset (no parameters)."""


class DataSourcesResult(Result):
    """The sources with their licence and as-of date, as ``sources.json`` lists them."""

    sources: tuple[dict[str, Any], ...]

    def document(self) -> list[dict[str, Any]]:
        """The list ``data sources --json`` prints."""
        return [dict(source) for source in self.sources]


def data_sources(request: DataSourcesRequest) -> DataSourcesResult:
    """The data sources of the embedded snapshot (id, title, licence, as_of, citation ...).

    Parameters
    ----------
    request : DataSourcesRequest

    Returns
    -------
    DataSourcesResult
    """
    from oicplan.data.dataset import load_dataset
    from oicplan.data.fields import field_catalogue_of

    dataset = load_dataset()
    sources = [dict(s) for s in dataset.sources]
    # A snapshot built before the field sources joined sources.json: list them from its
    # field table (the same entries data build writes).
    if not any(str(s.get("id", "")).startswith("ncses/") for s in sources):
        sources += field_catalogue_of(dataset.folder)
    return DataSourcesResult(sources=tuple(sources))


# --------------------------------------------------------------------------- show


class DataShowRequest(Request):
    """One economy, by its ISO 3166 alpha-3 code (letter case is not significant)."""

    iso3: str


class EconomyValue(Result):
    """An indicator's latest value for an economy, with its year and source.

    ``title`` is the source's English title of the series, ``title_zh`` its Chinese
    title (:func:`oicplan.data.indicator_titles_zh.indicator_title`).
    """

    indicator: str
    title: str | None = None
    title_zh: str | None = None
    value: float | None = None
    year: int | None = None
    source: str | None = None
    # Years before the indicator's newest value in the snapshot; the default
    # framework's maximum age for it (None: not in the framework or no limit);
    # stale: older than that, so the index treats it as missing.
    age: int | None = None
    max_age: int | None = None
    stale: bool | None = None


class FieldValue(Result):
    """An economy's latest value of a technology field or discipline (NCSES, SEI).

    ``source`` is the field source (``articles``, ``pct``, ``patent_families`` ...,
    see :data:`oicplan.data.fields.FIELD_SOURCES`), ``source_table`` the SEI table
    and ``edition`` the (inferred) SEI edition it comes from.
    """

    source: str
    field: str
    name_zh: str | None = None
    wipo_area: str | None = None
    value: float | None = None
    year: int | None = None
    unit: str | None = None
    source_table: str | None = None
    edition: str | None = None


class DataShowResult(Result):
    """An economy's names and latest values; ``frame`` is the same table for printing.

    ``fields``: its latest value of every technology field and discipline of the NCSES
    tables, with SEI table, edition and year (empty for an economy they do not cover).
    """

    iso3: str
    name_en: str
    name_zh: str | None = None
    values: tuple[EconomyValue, ...]
    fields: tuple[FieldValue, ...] = ()
    frame: Any = Field(default=None, exclude=True, repr=False)

    def document(self) -> dict[str, Any]:
        """The document ``data show --json`` prints."""
        return self.model_dump(mode="json")


def data_show(request: DataShowRequest) -> DataShowResult:
    """An economy's latest values, each with its year and source.

    Raises
    ------
    InputError
        Field ``iso3``: an unknown economy code.
    """
    from oicplan.data.dataset import load_dataset
    from oicplan.data.indicator_titles_zh import indicator_title

    dataset = load_dataset()
    rows = dataset.economy_table(request.iso3)
    code = request.iso3.strip().upper()
    country = dataset.countries.loc[code]
    # Through pandas' JSON writer, as ever: its numbers are what --json has always printed.
    values = json.loads(rows.to_json(orient="records", force_ascii=False))
    ages = value_ages(dataset.latest)
    for value in values:
        value["title_zh"] = indicator_title(str(value["indicator"]), "zh", value.get("title"))
        value.update(ages(str(value["indicator"]), value.get("year")))
    fields = _field_values(dataset.folder, code)
    return DataShowResult(
        iso3=code,
        name_en=country["name_en"],
        name_zh=country["name_zh"],
        values=tuple(EconomyValue.model_validate(value) for value in values),
        fields=fields,
        frame=rows,
    )


def value_ages(latest: Any, framework: Any = None) -> Any:
    """A function ``(indicator, year) -> {age, max_age, stale}`` for a snapshot's latest values.

    A value's age counts from its indicator's newest value in the snapshot (the
    engine's rule, :mod:`oicplan.indicators.stages`); its limit is the framework's
    (:meth:`oicplan.indicators.framework.Framework.max_age_for`; the default framework
    unless one is given). Indicators outside the framework have no limit.

    >>> import pandas as pd
    >>> latest = pd.DataFrame({"indicator": ["GII.SCORE", "GII.SCORE"], "year": [2025, 2018]})
    >>> value_ages(latest)("GII.SCORE", 2018)
    {'age': 7, 'max_age': 5, 'stale': True}
    """
    from oicplan.indicators.framework import load_framework

    framework = framework or load_framework()
    newest = latest.groupby("indicator")["year"].max().to_dict()
    codes = set(framework.indicator_codes())

    def ages(indicator: str, year: Any) -> dict[str, Any]:
        if year is None or indicator not in newest:
            return {"age": None, "max_age": None, "stale": None}
        age = int(newest[indicator]) - int(year)
        limit = framework.max_age_for(indicator) if indicator in codes else None
        return {"age": age, "max_age": limit, "stale": None if limit is None else age > limit}

    return ages


def _field_values(folder: Path, iso3: str) -> tuple[FieldValue, ...]:
    from oicplan.data.fields import FIELD_SNAPSHOT_FILE, economy_field_values, load_field_values

    if not (Path(folder) / FIELD_SNAPSHOT_FILE).is_file():
        return ()
    rows = economy_field_values(iso3, load_field_values(folder))
    records = json.loads(rows.drop(columns=["flag"]).to_json(orient="records",
                                                             force_ascii=False))
    return tuple(FieldValue.model_validate({k: (v if v != "" else None) for k, v in r.items()})
                 for r in records)


# --------------------------------------------------------------------------- export


class DataExportRequest(Request):
    """Write the tidy table to a CSV file: latest values, or the yearly series."""

    out: Path
    series: bool = False


class DataExportResult(Result):
    """Where the table went and how many rows it has."""

    out: Path
    rows: int

    def document(self) -> dict[str, Any]:
        """``{"out": ..., "rows": ...}``."""
        return self.model_dump(mode="json")


def data_export(request: DataExportRequest) -> DataExportResult:
    """Write ``entity, indicator, year, value, source`` to CSV (its folder is created).

    Raises
    ------
    OSError
        When the file cannot be written (a folder in its place, no permission).
    """
    from oicplan.data.dataset import load_dataset

    dataset = load_dataset()
    frame = dataset.series if request.series else dataset.latest
    request.out.parent.mkdir(parents=True, exist_ok=True)
    from oicplan.wholefile import write_whole

    write_whole(request.out, frame[list(EXPORT_COLUMNS)].to_csv(index=False))
    return DataExportResult(out=request.out, rows=len(frame))


# --------------------------------------------------------------------------- build


class DataBuildRequest(Request):
    """Rebuild the snapshot from World Bank files and fact tables.

    ``wgi_dir`` and ``facts_dir`` default to the ``wgi`` and ``facts`` folders
    beside ``wdi_dir``, else the current snapshot's; ``out_dir`` defaults to the
    package's own snapshot.
    """

    wdi_dir: Path
    wgi_dir: Path | None = None
    facts_dir: Path | None = None
    out_dir: Path | None = None


class DataBuildResult(Result):
    """The new snapshot's manifest (version, counts, gaps)."""

    version: str
    economies: int
    indicators: int
    sites: int
    gaps: tuple[str, ...]
    manifest: dict[str, Any]

    def document(self) -> dict[str, Any]:
        """The manifest, as written to ``manifest.json``."""
        return dict(self.manifest)


def data_build(
    request: DataBuildRequest, *, progress: Callable[[str], None] | None = None
) -> DataBuildResult:
    """Build the snapshot (see :func:`oicplan.data.build.build_snapshot`).

    Parameters
    ----------
    request : DataBuildRequest
    progress : callable, optional
        Called with a short description as each step starts (a spinner's text).

    Raises
    ------
    InputError
        A broken input file, naming file, row and field; ``out`` when ``out_dir``
        is an existing file. The output folder is then left untouched.
    """
    from oicplan.data.build import SNAPSHOT_DIR, build_snapshot
    from oicplan.geo.snapshot import write_site_access

    manifest: dict[str, Any] = build_snapshot(
        request.wdi_dir,
        request.wgi_dir,
        request.facts_dir,
        request.out_dir or SNAPSHOT_DIR,
        progress=progress,
        site_access=write_site_access,
    )
    return DataBuildResult(
        version=manifest["version"],
        economies=manifest["economies"],
        indicators=manifest["indicators"],
        sites=manifest["sites"],
        gaps=tuple(manifest["gaps"]),
        manifest=manifest,
    )


# --------------------------------------------------------------------------- indicators


class DataIndicatorsRequest(Request):
    """The indicators of the default framework (no parameters)."""


class IndicatorRecord(Result):
    """An indicator of the framework: where it sits, how it is read, and its data.

    ``first_year``, ``last_year`` and ``economies`` describe the embedded data of
    an economy-level series (None for site-level indicators, ``SITE.*``, which
    the planner computes from fact tables, the transport graph or the match).
    ``source_title`` is the title of ``source`` in the dataset's sources (None
    when the source is not a file of the dataset). ``title_zh`` is the Chinese
    title: the framework's ``name_zh`` where it has one, else the data's
    (:func:`oicplan.data.indicator_titles_zh.indicator_title`), else ``title``.
    """

    code: str
    title: str
    name_zh: str | None = None
    title_zh: str
    pillar: str
    pillar_en: str
    pillar_zh: str
    direction: str
    unit: str
    transform: str
    denominator: str | None = None
    scale: float
    source: str
    source_title: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    economies: int | None = None


class DataIndicatorsResult(Result):
    """The framework's indicators in framework order (pillar by pillar)."""

    framework: str
    dataset: dict[str, str]
    indicators: tuple[IndicatorRecord, ...]

    def document(self) -> list[dict[str, Any]]:
        """The indicators as JSON-ready dictionaries."""
        return [indicator.model_dump(mode="json") for indicator in self.indicators]


def data_indicators(request: DataIndicatorsRequest) -> DataIndicatorsResult:
    """The default framework's indicators with pillar, direction, unit, source and years.

    >>> result = data_indicators(DataIndicatorsRequest())
    >>> rd = next(i for i in result.indicators if i.code == "GB.XPD.RSDV.GD.ZS")
    >>> rd.pillar, rd.direction, rd.source, rd.first_year <= rd.last_year
    ('innovation', 'max', 'wdi', True)
    """
    from oicplan.data.dataset import load_dataset
    from oicplan.data.indicator_titles_zh import indicator_title
    from oicplan.indicators.framework import SITE_INDICATORS, load_framework

    dataset = load_dataset()
    framework = load_framework("default")
    titles = {str(source["id"]): str(source.get("title", "")) for source in dataset.sources}
    table = dataset.indicators
    spans = dataset.series.groupby("indicator").agg(
        first_year=("year", "min"), last_year=("year", "max"), economies=("entity", "nunique")
    )
    records = []
    for pillar in framework.pillars:
        for spec in pillar.leaves():
            code = spec.code
            span: dict[str, Any] = {}
            if code in SITE_INDICATORS:
                title, source = SITE_INDICATORS[code]
            elif code in table.index:
                title, source = str(table.loc[code, "title"]), str(table.loc[code, "source"])
                if code in spans.index:
                    row = spans.loc[code]
                    span = {key: int(row[key]) for key in ("first_year", "last_year", "economies")}
            else:  # a framework code without data: a gap, said as such
                title, source = spec.name or code, spec.source or ""
            records.append(IndicatorRecord(
                code=code, title=spec.name or title, name_zh=spec.name_zh or None,
                title_zh=indicator_title(code, "zh", spec.name or title, spec.name_zh or None),
                pillar=pillar.id, pillar_en=pillar.name_en or pillar.id,
                pillar_zh=pillar.name_zh or pillar.id, direction=spec.direction, unit=spec.unit,
                transform=spec.transform, denominator=spec.denominator, scale=float(spec.scale),
                source=spec.source or source, source_title=titles.get(spec.source or source),
                **span,
            ))
    return DataIndicatorsResult(
        framework=framework.name, dataset={"version": dataset.version},
        indicators=tuple(records),
    )
