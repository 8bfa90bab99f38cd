"""The vectorized signal table, field strengths and match matrix against the
straightforward computation they replaced (kept here, economy by economy, as the
oracle), on the real dataset for several scenarios, presets and user field data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oicplan.data.candidates import candidate_sites
from oicplan.match import matrix as matrix_module
from oicplan.match.matrix import _MIN_SIGNAL_COVERAGE, field_strengths, match_matrix
from oicplan.match.signals import (
    _signal_row,
    balassa_rca,
    field_data_index,
    load_field_data,
    signal_table,
    strength,
)
from oicplan.match.taxonomy import load_taxonomy
from oicplan.scenario import load_scenario

GUANGDONG = Path(__file__).parents[1] / "geo" / "guangdong.yaml"
SCENARIOS = ["zhejiang", "rail_corridor", str(GUANGDONG)]


# --------------------------------------------------------------------------- the oracle


def _reference_row(values, years, code, iso3):
    if code not in values.columns or iso3 not in values.index:
        return None, None
    value = values.at[iso3, code]
    if pd.isna(value):
        return None, None
    return float(value), int(years.at[iso3, code])


def _reference_signal_table(dataset, economies, reference_economies, taxonomy):
    specs = taxonomy.raw["signals"]
    codes = set()
    for spec in specs.values():
        codes.update(
            spec[key] for key in ("indicator", "denominator", "numerator", "share") if key in spec
        )
    values, years = dataset.latest_matrix(sorted(codes))
    sources = dataset.indicators["source"].to_dict() if "source" in dataset.indicators else {}
    reference = [c for c in dict.fromkeys(reference_economies) if c in values.index]
    rows = []
    for signal_id, spec in specs.items():
        kind = spec["kind"]
        slope = float(spec.get("slope", 1.0))
        if kind == "balassa_rca":
            num, share = spec["numerator"], spec["share"]
            rca, ref_share = balassa_rca(values[num], values[share])
            for iso3 in economies:
                _, x_year = _reference_row(values, years, num, iso3)
                s, s_year = _reference_row(values, years, share, iso3)
                index = None if iso3 not in rca.index or pd.isna(rca.get(iso3)) else rca[iso3]
                note = f"reference share {ref_share * 100:.4g}% (all snapshot economies)"
                rows.append(_signal_row(iso3, signal_id, s, index,
                                        [(num, x_year), (share, s_year)], sources, slope, note))
            continue
        code = spec["indicator"]
        raw = values[code]
        inputs_of = {i: [(code, _reference_row(values, years, code, i)[1])] for i in economies}
        if kind == "ratio":
            denominator = values[spec["denominator"]].replace(0, np.nan)
            raw = raw / denominator * float(spec.get("scale", 1))
            for iso3 in economies:
                inputs_of[iso3].append(
                    (spec["denominator"],
                     _reference_row(values, years, spec["denominator"], iso3)[1])
                )
        median = float(raw.reindex(reference).dropna().median()) if reference else float("nan")
        for iso3 in economies:
            value = raw.get(iso3)
            value = None if value is None or pd.isna(value) else float(value)
            index = None if value is None or not median > 0 else value / median
            rows.append(_signal_row(iso3, signal_id, value, index, inputs_of[iso3], sources,
                                    slope, f"candidate median {median:.4g}"))
    return pd.DataFrame(rows)


def _reference_field_strengths(dataset, economies, reference_economies, taxonomy, user=None):
    signals = _reference_signal_table(dataset, economies, reference_economies, taxonomy)
    by_signal = {
        (iso3, signal): value
        for iso3, signal, value in zip(signals["iso3"], signals["signal"], signals["strength"],
                                       strict=True)
        if value is not None and not pd.isna(value)
    }
    fields = taxonomy.field_ids
    rows = list(dict.fromkeys(economies))
    if user is not None:
        rows += [c for c in dict.fromkeys(user["iso3"]) if c not in rows]
    values = pd.DataFrame(float("nan"), index=rows, columns=fields)
    basis = pd.DataFrame("gap", index=rows, columns=fields)
    for field_id in fields:
        weights = taxonomy.field_signals(field_id)
        for iso3 in economies:
            total = covered = 0.0
            for signal_id, weight in weights.items():
                value = by_signal.get((iso3, signal_id))
                if value is None:
                    continue
                total += weight * float(value)
                covered += weight
            if covered >= _MIN_SIGNAL_COVERAGE - 1e-9:
                values.at[iso3, field_id] = total / covered
                basis.at[iso3, field_id] = "proxy"
    if user is not None:
        for record in user.itertuples(index=False):
            values.at[record.iso3, record.field] = strength(float(record.index))
            basis.at[record.iso3, record.field] = "user"
    return signals, values, basis


def _reference_matrix(result):
    """Matrix and explanations cell by cell from the result's strengths (the old loop)."""
    strengths, taxonomy, sites = result.strengths, result.taxonomy, result.sites
    cells = {
        iso3: {f: (None if pd.isna(v) else float(v)) for f, v in row.items()}
        for iso3, row in strengths.strength.to_dict(orient="index").items()
    }
    basis = strengths.basis.to_dict(orient="index")
    details = matrix_module._signal_details(strengths)
    users = matrix_module._user_details(strengths)
    matrix = pd.DataFrame(float("nan"), index=result.industries, columns=list(sites["site_id"]))
    explanations = {}
    for industry in result.industries:
        explanations[industry] = {}
        for site_id, iso3 in zip(sites["site_id"], sites["iso3"], strict=True):
            tier = result.tiers[iso3]
            if tier["tier"] not in ("proxy", "user"):
                # NCSES field data: recomputed independently in test_field_strength.py.
                matrix.at[industry, site_id] = result.matrix.at[industry, site_id]
                explanations[industry][site_id] = result.explanations[industry][site_id]
                continue
            score, cell = matrix_module._explain(industry, iso3, result.preset, taxonomy, cells,
                                                 basis, result.home, details, users)
            cell["tier"], cell["tier_reason"] = tier["tier"], tier["reason"]
            matrix.at[industry, site_id] = float("nan") if score is None else score
            explanations[industry][site_id] = cell
    return matrix, explanations


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture
def user_index(tmp_path, dataset, taxonomy):
    path = tmp_path / "fields.csv"
    path.write_text(
        "iso3,field,value,year,source\n"
        "DEU,computer_technology,40,2022,t\nDEU,semiconductors,5,2021,t\n"
        "FRA,computer_technology,10,2022,t\nFRA,semiconductors,20,2021,t\n"
        "CN-ZJ,computer_technology,30,2022,t\nCN-ZJ,semiconductors,3,2022,t\n",
        encoding="utf-8",
    )
    return path, field_data_index(load_field_data(path, taxonomy, dataset), "counts")


def _economies(dataset, scenario, taxonomy):
    candidates = candidate_sites(dataset, load_scenario(scenario))
    reference = sorted(set(candidates["iso3"]))
    return list(dict.fromkeys(list(candidates["iso3"]) + [taxonomy.home_iso3])), reference


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_signal_table_and_field_strengths_equal_the_oracle(dataset, taxonomy, scenario):
    economies, reference = _economies(dataset, scenario, taxonomy)
    economies += ["XXX"]  # an economy the snapshot does not know: gaps throughout
    signals, values, basis = _reference_field_strengths(dataset, economies, reference, taxonomy)
    pd.testing.assert_frame_equal(signal_table(dataset, economies, reference, taxonomy), signals,
                                  check_exact=True)
    fast = field_strengths(dataset, economies, reference, taxonomy)
    pd.testing.assert_frame_equal(fast.strength, values, check_exact=True)
    pd.testing.assert_frame_equal(fast.basis, basis, check_exact=True)
    assert {type(v) for v in fast.basis.to_numpy().ravel()} == {str}
    assert (fast.basis == "proxy").any().any() and (fast.basis == "gap").any().any()


def test_field_strengths_with_user_data_equal_the_oracle(dataset, taxonomy, user_index):
    economies, reference = _economies(dataset, "zhejiang", taxonomy)
    _, user = user_index
    _, values, basis = _reference_field_strengths(dataset, economies, reference, taxonomy, user)
    fast = field_strengths(dataset, economies, reference, taxonomy, user)
    pd.testing.assert_frame_equal(fast.strength, values, check_exact=True)
    pd.testing.assert_frame_equal(fast.basis, basis, check_exact=True)
    assert basis.at["CN-ZJ", "semiconductors"] == "user"


@pytest.mark.parametrize("preset", ["near", "balanced", "far"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_match_matrix_equals_the_cell_by_cell_oracle(dataset, scenario, preset):
    result = match_matrix(scenario, preset, dataset=dataset)
    matrix, explanations = _reference_matrix(result)
    pd.testing.assert_frame_equal(result.matrix, matrix, check_exact=True)
    assert result.explanations == explanations
    assert result.matrix.notna().any().any()


def test_match_matrix_with_user_data_equals_the_oracle(dataset, user_index):
    path, _ = user_index
    result = match_matrix("zhejiang", "near", dataset=dataset, field_data=path)
    matrix, explanations = _reference_matrix(result)
    pd.testing.assert_frame_equal(result.matrix, matrix, check_exact=True)
    assert result.explanations == explanations
    assert result.strengths.basis.at["DEU", "semiconductors"] == "user"
