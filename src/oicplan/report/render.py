"""Write a plan: ``plan.json`` (for other tools), ``report.html`` and ``report.md`` (for people).

The HTML report is one self-contained file: styles inline, charts as inline
SVG, no scripts, fonts or tiles fetched, so it opens offline and can be mailed.
The output folder is written whole into a temporary folder and moved into
place at the end, so a failure never leaves a half-written folder behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from oicplan.data.indicator_titles_zh import indicator_title
from oicplan.data.sources_zh import sources_in
from oicplan.domain import MODE_REASONS
from oicplan.notes import note_text, notes_text
from oicplan.plan import Plan
from oicplan.report import charts
from oicplan.report.assumption_rows import (
    assumption_rows,
    synthetic_lines,
    with_plan_assumptions,
)
from oicplan.report.local_rows import local_section
from oicplan.report.messages import (
    mode_name,
    mode_reason_text,
    pillar_name,
    site_type_name,
    status_name,
    strategy_name,
    text,
)
from oicplan.report.pair_rows import pair_section
from oicplan.report.watch_rows import watch_section

__all__ = [
    "PreparedReport",
    "ReportAhead",
    "note_vocabulary",
    "prepare_report",
    "render_html",
    "render_markdown",
    "report_context",
    "write_plan",
]

_RANKED_ROWS = 30


def _site_names(table: pd.DataFrame, lang: str, *, original: bool = False) -> dict[str, str]:
    """site_id → the name a reader of ``lang`` sees.

    In Chinese the site's ``name_zh`` (the standard Chinese name, from the CLDR or
    GeoNames: :mod:`oicplan.data.names_zh`), with the original name in brackets
    when ``original`` and the two differ: 维也纳（Vienna）. A site without a
    Chinese name keeps its original.

    >>> table = pd.DataFrame({"site_id": ["a", "b"], "name": ["Vienna", "Tartu"],
    ...                       "name_zh": ["维也纳", "Tartu"]})
    >>> _site_names(table, "zh", original=True)
    {'a': '维也纳（Vienna）', 'b': 'Tartu'}
    >>> _site_names(table, "en")
    {'a': 'Vienna', 'b': 'Tartu'}
    """
    names = dict(zip(table["site_id"], table["name"].astype(str), strict=True))
    if lang != "zh" or "name_zh" not in table:
        return names
    out = {}
    for site_id, zh in zip(table["site_id"], table["name_zh"], strict=True):
        name = names[site_id]
        zh = name if zh is None or (isinstance(zh, float) and pd.isna(zh)) else str(zh)
        out[site_id] = f"{zh}（{name}）" if original and zh != name else zh
    return out


def note_vocabulary(plan: Plan, lang: str) -> dict[str, str]:
    """The terms notes name, in ``lang``, for :func:`oicplan.notes.note_text` in the report.

    The plan's (:meth:`oicplan.plan.Plan.note_vocabulary`: sites, zones, centers,
    industries) with the report's pillar names; empty in English.
    """
    if lang != "zh":
        return {}
    vocabulary = dict(plan.note_vocabulary())  # a copy: the plan keeps its own
    vocabulary.update({p: pillar_name(p, lang) for p in plan.ranked.pillar_ids})
    return vocabulary


def _robust_share(plan: Plan, site_id: str) -> str:
    """Share of the weight draws in which the layout model also chooses the site."""
    if plan.robustness is None:
        return "—"
    shares = plan.robustness.set_index("site_id")["share"]
    return f"{float(shares.get(site_id, 0.0)):.0%}"


def _plain_number(value: object, digits: int) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{float(value):,.{digits}f}"


def _portfolio(plan: Plan, lang: str, vocabulary: dict[str, str] | None = None) -> dict | None:
    """Totals of the optimized portfolio and the Pareto chart, when the optimizer chose.

    The assumptions and constraints are the layout model's notes, in ``lang``
    (:func:`oicplan.notes.note_text`, with the plan's ``vocabulary``).
    """
    if plan.layout is None:
        return None
    result = plan.layout.to_dict()
    names = _site_names(plan.chosen, lang)
    chosen = plan.chosen
    frontiers = [
        _frontier(table, against, lang)
        for table, against in ((plan.pareto, "cost"), (plan.pareto_risk, "risk"))
        if table is not None and len(table)
    ]
    years = sorted({int(y) for y in chosen.get("year", pd.Series(dtype=float)).dropna()})
    timeline = [
        {
            "year": year,
            "sites": ("、" if lang == "zh" else ", ").join(
                names[s] for s in chosen.loc[chosen["year"] == year, "site_id"]
            ),
        }
        for year in years
    ]
    return {
        "status": status_name(result["status"], lang),
        "gap": result.get("gap"),
        "setup": f"{chosen['setup_cost'].sum():,.2f}",
        "annual": f"{chosen['annual_cost'].sum():,.2f}",
        "assumptions": notes_text(result.get("assumptions", []), lang, vocabulary),
        "constraints": notes_text(result.get("constraints", []), lang, vocabulary),
        "frontiers": frontiers,
        "timeline": timeline,
        "robustness_samples": None
        if plan.robustness is None
        else int(plan.robustness.attrs.get("samples", 0)),
    }


def _frontier(table: pd.DataFrame, against: str, lang: str) -> dict:
    """One Pareto frontier (benefit against cost or risk): its chart and its points."""
    from oicplan.optimize.layout import pareto_figure

    figure = pareto_figure(
        table,
        title=text(f"pareto_{against}_title", lang),
        xlabel=text(f"pareto_{against}_axis", lang),
        ylabel=text("pareto_benefit_axis", lang),
        fixed_margins=True,
    )
    rows = [
        {
            "cap": _plain_number(row["epsilon"], 2),
            "cost": _plain_number(row["cost"], 2),
            "risk": _plain_number(row["risk"], 3) if "risk" in row else "",
            "benefit": _plain_number(row["benefit"], 3),
            "centers": int(row["centers"]),
            "status": status_name(str(row["status"]), lang),
        }
        for _, row in table.iterrows()
    ]
    return {
        "against": against,
        "title": text(f"pareto_{against}_title", lang),
        "cap": text(f"pareto_{against}_cap", lang),
        "note": text(f"pareto_{against}_note", lang),
        "svg": charts.figure_svg(figure),
        "rows": rows,
    }


def _mode_profiles(plan: Plan, lang: str) -> list[dict]:
    """For each chosen site: the five modes' scores with reasons, and the park view."""
    profiles = plan.mode_profiles()
    names = _site_names(plan.chosen, lang, original=True)
    rows = []
    for site in plan.chosen.itertuples():
        entry = profiles[site.site_id]
        park = entry["park_view"]
        rows.append(
            {
                "site": names[site.site_id],
                "modes": [
                    {
                        "mode": mode_name(item["mode"], lang),
                        "score": f"{item['score']:.3f}",
                        "planned": item["mode"] == site.mode,
                        "reasons": "; ".join(mode_reason_text(r, lang) for r in item["reasons"]),
                    }
                    for item in sorted(entry["mode_scores"], key=lambda m: -m["score"])
                ],
                "park": [
                    (text(f"park_{key}", lang), _plain_number(park[key], 2))
                    for key in ("talent", "community", "knowledge_ecology")
                ]
                + [(text("park_score", lang), _plain_number(park["park_score"], 2))],
            }
        )
    return rows


def _network_section(
    plan: Plan, lang: str, network=None, vocabulary: dict[str, str] | None = None
) -> dict | None:
    """The innovation network section: its picture, measures, brokers and data gaps.

    ``network`` is an :class:`~oicplan.network.InnovationNetwork` (from
    :func:`oicplan.plan_network.plan_network`, which the plan service computes);
    without one the pipeline's function is asked for it.
    """
    from oicplan.network import network_svg

    if network is None:
        from oicplan.plan_network import plan_network

        network = plan_network(plan)
    if network is None:
        return None
    measures = network.measures()
    return {
        "svg": network_svg(network, lang=lang, names=vocabulary if lang == "zh" else None),
        "synthetic": network.synthetic,
        "density": f"{measures['density']:.4f}",
        "components": measures["components"]["count"],
        "nodes": measures["nodes"],
        "edges": measures["edges"],
        "brokers": ("、" if lang == "zh" else ", ").join(
            (vocabulary or {}).get(broker["name"], broker["name"])
            if lang == "zh"
            else broker["name"]
            for broker in network.brokers(5)
        ),
        "gaps": notes_text(network.gaps, lang, vocabulary),
    }


def _interval_text(row: pd.Series) -> str:
    if "median_rank" not in row or pd.isna(row["median_rank"]):
        return "—"
    return f"{row['median_rank']:.0f} [{row['rank_p5']:.0f}–{row['rank_p95']:.0f}]"


def _rank_interval_svg(plan: Plan, lang: str) -> str | None:
    result = plan.ranked.uncertainty
    if result is None:
        return None
    from oicplan.uncertainty.plots import plot_rank_intervals

    title = text("rank_interval_title", lang)
    names = _site_names(plan.ranked.table, lang)
    figure = plot_rank_intervals(result, top=30, title=title, lang=lang, names=names)
    return charts.figure_svg(figure)


def _sensitivity_svgs(plan: Plan, lang: str) -> tuple[str | None, str]:
    """Sobol indices of the scores to each pillar weight, and the pillar correlations."""
    from oicplan.uncertainty.plots import plot_correlation, plot_sobol_indices

    pillars = plan.ranked.pillar_ids
    matrix = plan.ranked.table[[f"pillar_{p}" for p in pillars]]
    names = [pillar_name(p, lang) for p in pillars]
    correlation = charts.figure_svg(
        plot_correlation(matrix.to_numpy(), criteria=names, title=text("correlation_title", lang))
    )
    sobol = plan.ranked.sobol
    if sobol is None:
        return None, correlation
    figure = plot_sobol_indices(
        sobol,
        output="rank",
        title=text("sobol_title", lang),
        lang=lang,
        input_names={p: pillar_name(p, lang) for p in pillars},
    )
    return charts.figure_svg(figure), correlation


def _evidence_item(
    name: str, info: dict, lang: str, signals: dict[str, str], sources: dict[str, str]
) -> str:
    """One signal of the match evidence: its name, year and source, in ``lang``.

    >>> _evidence_item("htx_rca", {"year": 2022, "source": "wdi"}, "en", {}, {})
    'htx_rca 2022 (wdi)'
    >>> _evidence_item("htx_rca", {"year": 2022, "source": "wdi"}, "zh",
    ...                {"htx_rca": "高技术产品出口的显示性比较优势"}, {"wdi": "世界发展指标"})
    '高技术产品出口的显示性比较优势（2022年，世界发展指标）'
    """
    if lang != "zh":
        return f"{name} {info['year']} ({info['source']})"
    source = sources.get(str(info.get("source")), str(info.get("source")))
    return f"{signals.get(name, name)}（{info['year']}年，{source}）"


def _field_evidence_item(entry: dict, tier: str, lang: str) -> str:
    """One NCSES field of the match evidence: name, RTA, years, tier, SEI edition and table.

    >>> entry = {"field": "Semiconductors", "field_zh": "半导体", "rta": 1.8512,
    ...          "years": [2018, 2020], "edition": "SEI 2022", "source_table": "SINV-12"}
    >>> print(_field_evidence_item(entry, "patent_families", "en"))
    Semiconductors: RTA 1.85, 2018–2020 (patent families, 35 WIPO fields; NCSES SEI 2022, ...
    >>> _field_evidence_item(entry, "pct", "zh").startswith("半导体：显示性技术优势 1.85")
    True
    """
    name = entry.get("field_zh") if lang == "zh" else None
    first, last = entry["years"]
    rta = entry.get("rta")
    return text("match_field_item", lang, field=name or entry["field"],
                rta="–" if rta is None else f"{rta:.2f}", first=first, last=last,
                tier=text(f"match_tier_{tier}", lang), edition=entry.get("edition", ""),
                table=entry.get("source_table", ""))


def _match_rows(plan: Plan, lang: str) -> list[dict]:
    """For each chosen site: its best-matched industries and the evidence behind the best."""
    match = plan.ranked.match
    if match is None:
        return []
    industries = {item["id"]: item for item in match.taxonomy.industries}
    name_key = "name_zh" if lang == "zh" else "name_en"
    names = _site_names(plan.chosen, lang)
    # The taxonomy's Chinese signal names and the sources' Chinese titles (zh only).
    signals = {key: str(entry["name_zh"])
               for key, entry in (match.taxonomy.raw.get("signals") or {}).items()
               if isinstance(entry, dict) and entry.get("name_zh")}
    sources = {str(s["id"]): s["title"] for s in sources_in(plan.dataset.sources, lang)}
    rows = []
    for site in plan.chosen.itertuples():
        if site.site_id not in match.matrix.columns:
            continue
        scores = match.matrix[site.site_id].dropna().sort_values(ascending=False)
        if scores.empty:
            continue
        best = scores.index[0]
        cell = match.explanations[best][site.site_id]
        evidence = cell.get("signals", {})
        items = [_evidence_item(name, info, lang, signals, sources)
                 for name, info in sorted(evidence.items()) if info.get("year") is not None]
        if cell.get("tier") not in (None, "proxy", "user"):  # NCSES field data
            items = [_field_evidence_item(entry, cell["tier"], lang)
                     for entry in cell.get("fields", []) if entry.get("basis") == "field_data"]
        rows.append(
            {
                "site": names[site.site_id],
                "industries": "; ".join(
                    f"{industries[i][name_key]} {v:.2f}" for i, v in scores.head(3).items()
                ),
                "evidence": ("；" if lang == "zh" else ", ").join(items),
            }
        )
    return rows


def _indicator_rows(plan: Plan, lang: str = "en") -> list[dict]:
    scores = plan.ranked.scores
    rows = []
    for pillar in scores.framework.pillars:
        for spec in pillar.leaves():
            years = scores.years[spec.code].dropna() if spec.code in scores.years else pd.Series()
            span = (
                ""
                if years.empty
                else (
                    f"{int(years.min())}–{int(years.max())}"
                    if years.min() != years.max()
                    else f"{int(years.min())}"
                )
            )
            title = (
                plan.dataset.indicators.loc[spec.code, "title"]
                if spec.code in plan.dataset.indicators.index
                else charts_site_title(spec.code)
            )
            # zh: the framework's name_zh, else the data's Chinese title (one table).
            title = indicator_title(spec.code, lang, str(title), spec.name_zh or None)
            limit = scores.framework.max_age_for(spec.code)
            past = _past_limit(scores, spec.code)
            rows.append(
                {
                    "pillar": pillar_name(pillar.id, lang),
                    "code": spec.code,
                    "title": title,
                    "direction": spec.direction,
                    "source": scores.sources.get(spec.code, ""),
                    "years": span or "—",
                    "max_age": "—" if limit is None or spec.code not in scores.years else limit,
                    "stale": past,
                }
            )
    return rows


def _past_limit(scores, code: str) -> int:
    """How many ranked sites have a value of ``code`` too old for the index (treated missing)."""
    index = scores.index
    if index is None or code not in scores.years:
        return 0
    given = scores.raw[code].notna() & scores.years[code].notna()
    used = index.raw[code].reindex(given.index).notna() if code in index.raw else given & False
    return int((given & ~used).sum())


def charts_site_title(code: str) -> str:
    from oicplan.indicators.framework import SITE_INDICATORS

    return SITE_INDICATORS.get(code, (code, ""))[0]


@dataclass(frozen=True)
class PreparedReport:
    """What the report draws that the frontier and robustness solves do not change.

    Made by :func:`prepare_report` for one plan and language; ``drawings`` holds the
    map, the pillar profiles, the rank intervals, the Sobol and correlation charts
    (SVG) and the innovation network section, under the keys of
    :func:`report_context`, plus ``sea_sites`` (chosen sites with a sea lane).
    """

    plan: Plan = field(repr=False, compare=False)
    lang: str
    drawings: dict[str, Any] = field(repr=False)


@with_plan_assumptions
def prepare_report(plan: Plan, lang: str, *, network=None, layers=None) -> PreparedReport:
    """Draw now the report's charts that the frontier and robustness solves do not change.

    Meant for the time a plan made with ``make_plan(background=True)`` waits for its
    frontier and robustness solves (the plan service calls it then through its
    ``while_solving`` hook; see ``oicplan plan``): the charts are drawn, and
    rasterized for the Word and PDF files (:func:`oicplan.report.images.rasterize_ahead`),
    while HiGHS runs in its worker threads, instead of after them. Hand the result to
    :func:`write_plan` (``prepared=``); the report is the same as without it.
    ``network`` and ``layers``: as for :func:`report_context`.
    """
    from oicplan.report.images import rasterize_ahead, report_charts

    drawings = _drawings(plan, lang, network, layers)
    rasterize_ahead(
        [svg for _, _, svg in report_charts(drawings | {"t": lambda key: key})]
    )
    return PreparedReport(plan, lang, drawings)


class ReportAhead:
    """A plan service's ``while_solving`` hook that prepares the report in ``lang``.

    ``oicplan plan`` and the web app's plan runs pass it to
    :func:`oicplan.services.planning.plan` and then hand ``prepared`` (the
    :func:`prepare_report` it made, None if it was not called) to :func:`write_plan`.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.prepared: PreparedReport | None = None

    def __call__(self, plan: Plan, layers: Any, network: Any) -> None:
        self.prepared = prepare_report(plan, self.lang, network=network, layers=layers)


def _drawings(plan: Plan, lang: str, network, layers) -> dict[str, Any]:
    """The charts and network section of :class:`PreparedReport`, drawn."""
    table = plan.ranked.table
    pillars = plan.ranked.pillar_ids
    names = _site_names(table, lang)
    if layers is None:
        from oicplan.plan_map import map_layers

        layers = map_layers(plan)
    map_svg = charts.map_svg(
        candidates=list(zip(table["lat"], table["lon"], strict=True)),
        chosen=list(
            zip(
                plan.chosen["lat"],
                plan.chosen["lon"],
                [names.get(s, s) for s in plan.chosen["site_id"]],
                strict=True,
            )
        ),
        existing=list(zip(plan.existing["lat"], plan.existing["lon"], strict=True)),
        hubs=[(hub.lat, hub.lon, hub.name) for hub in plan.scenario.hubs],
        routes=layers.rail_lines,
        lang=lang,
        sea_lanes=layers.sea_lanes,
    )
    profiles_svg = charts.pillar_profiles_svg(
        [
            (
                names.get(row["site_id"], row["name"]),
                {p: float(row[f"pillar_{p}"]) for p in pillars},
            )
            for _, row in plan.chosen.iterrows()
        ],
        pillars,
        lang,
    )
    sobol_svg, correlation_svg = _sensitivity_svgs(plan, lang)
    return {
        "map_svg": map_svg,
        "sea_sites": len({lane["site_id"] for lane in layers.sea_lanes}),
        "profiles_svg": profiles_svg,
        "intervals_svg": _rank_interval_svg(plan, lang),
        "sobol_svg": sobol_svg,
        "correlation_svg": correlation_svg,
        "network": _network_section(plan, lang, network, note_vocabulary(plan, lang)),
    }


@with_plan_assumptions
def report_context(
    plan: Plan,
    lang: str,
    *,
    network=None,
    layers=None,
    prepared: PreparedReport | None = None,
    document: dict | None = None,
) -> dict:
    """Everything the templates show, already translated into ``lang``.

    ``network`` (:func:`oicplan.plan_network.plan_network`) and ``layers``
    (:func:`oicplan.plan_map.map_layers`) are what the pipeline computed for the
    plan (the plan service does, while the frontier solves run); the report
    draws them and computes neither itself: when one is not given (a caller of
    :func:`write_plan` without the service) it asks the pipeline's function.
    ``prepared``: the drawings :func:`prepare_report` made for this plan and
    language (drawn here when not given, or given for another plan or language);
    ``document``: the plan's ``plan.json`` document (:meth:`Plan.to_dict`) when the
    caller has it.
    """
    pillars = plan.ranked.pillar_ids
    table = plan.ranked.table
    chosen_ids = set(plan.chosen["site_id"])
    document = plan.to_dict() if document is None else document
    country_col = "country_zh" if lang == "zh" else "country_en"
    vocabulary = note_vocabulary(plan, lang)
    names = _site_names(table, lang)
    chosen_names = _site_names(plan.chosen, lang, original=True)
    screened_names = _site_names(plan.dataset.sites, lang)  # screened sites are not ranked

    chosen_rows = [
        {
            "rank": int(row["rank"]),
            "name": chosen_names[row["site_id"]],
            "country": row[country_col] or row["country_en"],
            "iso3": row["iso3"],
            "site_type": site_type_name(row["site_type"], lang),
            "strategy": strategy_name(row["strategy"], lang),
            "mode": mode_name(row["mode"], lang),
            "mode_reason": MODE_REASONS[row["mode_reason"]][0 if lang == "en" else 1],
            "score": f"{row['score']:.3f}",
            "interval": _interval_text(row),
            "pillars": [f"{row[f'pillar_{p}']:.2f}" for p in pillars],
            "year": _plain_number(row.get("year"), 0),
            "robust": _robust_share(plan, row["site_id"]),
            "setup_cost": _plain_number(row.get("setup_cost"), 2),
            "annual_cost": _plain_number(row.get("annual_cost"), 2),
        }
        for _, row in plan.chosen.iterrows()
    ]
    ranked_rows = [
        {
            "rank": int(row["rank"]),
            "name": names[row["site_id"]],
            "country": row[country_col] or row["country_en"],
            "site_type": site_type_name(row["site_type"], lang),
            "score": f"{row['score']:.3f}",
            "interval": _interval_text(row),
            "pillars": [f"{row[f'pillar_{p}']:.2f}" for p in pillars],
            "chosen": row["site_id"] in chosen_ids,
            "existing": "existing_center" in str(row["types"]),
        }
        for _, row in table.head(_RANKED_ROWS).iterrows()
    ]
    drawn = (
        prepared.drawings
        if prepared is not None and prepared.plan is plan and prepared.lang == lang
        else _drawings(plan, lang, network, layers)
    )
    economies = table["iso3"].nunique()
    return {
        "lang": lang,
        "t": lambda key, **values: text(key, lang, **values),
        "title": plan.scenario.title_zh if lang == "zh" else plan.scenario.title_en,
        "scenario": plan.scenario.name,
        "created": plan.created,
        "dataset_version": plan.dataset.version,
        "summary": text(
            "summary_text",
            lang,
            k=len(plan.chosen),
            n=len(table),
            e=economies,
            method=plan.ranked.method.upper(),
            p=len(pillars),
            existing=len(plan.existing),
        ),
        "selection_rule": text(
            "selection_rule" if plan.layout is None else "selection_rule_optimizer",
            lang,
            cap=plan.scenario.per_country_cap,
        ),
        "pillar_names": [pillar_name(p, lang) for p in pillars],
        "weights": [(pillar_name(p, lang), f"{plan.ranked.weights[p]:.3f}") for p in pillars],
        "method": f"{plan.ranked.method.upper()} ({plan.ranked.normalization})",
        "chosen": chosen_rows,
        "ranked": ranked_rows,
        "map_svg": drawn["map_svg"],
        "map_note": text(
            "map_note",
            lang,
            sea=drawn["sea_sites"],
            k=len(plan.chosen),
        ),
        "mode_profiles": _mode_profiles(plan, lang),
        "local": local_section(document, lang, chosen_names),
        "technology_watch": watch_section(
            document, lang, dict(zip(table["iso3"], table[country_col], strict=True))
        ),
        "profiles_svg": drawn["profiles_svg"],
        "intervals_svg": drawn["intervals_svg"],
        "sobol_svg": drawn["sobol_svg"],
        "match_rows": _match_rows(plan, lang),
        "portfolio": _portfolio(plan, lang, vocabulary),
        "network": drawn["network"],
        "match_preset": plan.scenario.match.preset,
        "correlation_svg": drawn["correlation_svg"],
        "uncertainty_note": text(
            "uncertainty_note",
            lang,
            samples=plan.scenario.uncertainty.samples,
            spread=round(plan.scenario.uncertainty.spread * 100),
        ),
        "sources": sources_in(plan.dataset.sources, lang),
        "indicators": _indicator_rows(plan, lang),
        "screened": {
            screened_names.get(site, site): note_text(why, lang, vocabulary)
            for site, why in document["screened_out"].items()
        },
        "notes": notes_text(document["notes"], lang, vocabulary),
        "gaps": notes_text(plan.dataset.manifest.get("gaps", []), lang, vocabulary),
        "synthetic_inputs": synthetic_lines(document, lang),
        "assumption_rows": assumption_rows(document, lang),
        "pairs": pair_section(document, lang),
    }


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("oicplan.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@with_plan_assumptions
def render_html(plan: Plan, lang: str = "zh", context: dict | None = None) -> str:
    """The self-contained HTML report."""
    context = context or report_context(plan, lang)
    return _environment().get_template("report.html").render(**context)


@with_plan_assumptions
def render_markdown(plan: Plan, lang: str = "zh", context: dict | None = None) -> str:
    """The Markdown report (same content as the HTML, without charts)."""
    context = context or report_context(plan, lang)
    return _environment().get_template("report.md").render(**context)


@with_plan_assumptions
def write_plan(
    plan: Plan,
    out_dir: str | Path,
    lang: str = "zh",
    *,
    network=None,
    layers=None,
    pdf: bool = False,
    prepared: PreparedReport | None = None,
    document: dict | None = None,
) -> Path:
    """Write the plan and its reports into ``out_dir``.

    ``plan.json`` (for other tools), ``report.html`` and ``report.md`` (for
    people), ``plan.xlsx`` (every table of the report, a sheet each;
    :mod:`oicplan.report.xlsx`), ``plan.docx`` (the report as an editable Word
    document; :mod:`oicplan.report.word`) and, with ``pdf=True``, ``plan.pdf``
    (:mod:`oicplan.report.pdf`). All are made from one report context.

    ``network``, ``layers``, ``prepared`` (:func:`prepare_report`) and ``document``
    (the ``plan.json`` document, :meth:`Plan.to_dict`): see :func:`report_context`;
    each is computed here when not given.

    Everything is rendered first and written into a temporary folder beside
    ``out_dir`` (flushed to disk); then each file is moved into ``out_dir`` with
    :func:`os.replace` (:func:`oicplan.report.outfiles.replace_files`), so each is
    either the old or the new one, never half-written, even if the process is
    killed. Anything else in ``out_dir`` (the user's own files and
    folders) is left alone; the folder is created if it does not exist.

    Raises
    ------
    InputError
        If ``out_dir`` is an existing file, not a folder (field ``out``); then
        nothing is written.
    """
    from oicplan.errors import InputError
    from oicplan.report.images import chart_pictures
    from oicplan.report.outfiles import replace_files
    from oicplan.report.word import render_docx
    from oicplan.report.xlsx import render_xlsx

    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} is a file, not a folder", field="out")
    document = plan.to_dict() if document is None else document
    context = report_context(
        plan, lang, network=network, layers=layers, prepared=prepared, document=document
    )
    pictures = chart_pictures(context)
    documents: dict[str, str | bytes] = {
        "plan.json": json.dumps(document, ensure_ascii=False, indent=2),
        "report.html": render_html(plan, lang, context),
        "report.md": render_markdown(plan, lang, context),
        "plan.xlsx": render_xlsx(context, document),
        "plan.docx": render_docx(context, pictures),
    }
    if pdf:
        from oicplan.report.pdf import render_pdf

        documents["plan.pdf"] = render_pdf(context, pictures)
    return replace_files(out_dir, documents)
