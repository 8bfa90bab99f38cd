"""Capacitated assignment: capacities respected, optimal against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from oicplan.errors import InputError
from oicplan.match.assign import assign_enterprises, utility_matrix
from oicplan.match.enterprises import load_sample


def _brute_force(utility: np.ndarray, caps: list[int]) -> float:
    n, k = utility.shape
    best = -np.inf
    choices = [*range(k), None]
    for combo in itertools.product(choices, repeat=n):
        load = [sum(1 for c in combo if c == j) for j in range(k)]
        if any(load[j] > caps[j] for j in range(k)):
            continue
        assigned = sum(1 for c in combo if c is not None)
        if assigned < min(n, sum(caps)):
            continue  # the model fills every seat while enterprises remain
        best = max(best, sum(utility[i, c] for i, c in enumerate(combo) if c is not None))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("caps", [[2, 2, 1], [1, 1, 1]])
def test_optimal_against_brute_force(seed, caps):
    rng = np.random.default_rng(seed)
    industries = ["a", "b", "c"]
    matrix = pd.DataFrame(rng.random((3, 3)), index=industries, columns=["S1", "S2", "S3"])
    enterprises = pd.DataFrame(
        {"name": [f"e{i}" for i in range(5)], "industry": rng.choice(industries, 5)}
    )
    access = pd.DataFrame({"site_id": ["S1", "S2", "S3"], "days": rng.uniform(5, 30, 3)})
    capacities = dict(zip(["S1", "S2", "S3"], caps, strict=True))
    result = assign_enterprises(enterprises, matrix, access=access, capacities=capacities)
    utility = utility_matrix(enterprises, matrix, access=access).to_numpy()
    assert result.objective == pytest.approx(_brute_force(utility, caps), abs=1e-9)
    for site, names in result.by_site.items():
        assert len(names) <= capacities[site]
    assert len(result.unassigned) == max(0, 5 - sum(caps))


def test_sample_respects_capacities_and_is_flagged_synthetic(balanced):
    sample = load_sample().head(600)
    sites = balanced.site_ids[:6]
    caps = {s: 70 + 10 * i for i, s in enumerate(sites)}
    result = assign_enterprises(sample, balanced, sites, capacities=caps)
    assert {s: len(v) for s, v in result.by_site.items()} == caps  # 570 seats, all filled
    assert len(result.unassigned) == 600 - sum(caps.values())
    assert result.synthetic and result.to_dict()["synthetic"] is True
    assert "SYNTHETIC" in result.to_dict()["synthetic_note"]


def test_presence_and_needs_raise_utility(balanced):
    site = balanced.site_ids[0]
    iso3 = balanced.sites.set_index("site_id").at[site, "iso3"]
    frame = pd.DataFrame(
        {
            "name": ["p", "q"],
            "industry": ["new_materials"] * 2,
            "tech_needs": ["", ""],
            "overseas_presence": [iso3, ""],
        }
    )
    utility = utility_matrix(frame, balanced, [site])
    assert utility.at["p", site] - utility.at["q", site] == pytest.approx(0.1)


def test_bad_inputs_are_errors():
    matrix = pd.DataFrame({"S1": [0.5]}, index=["a"])
    frame = pd.DataFrame({"name": ["e"], "industry": ["a"]})
    with pytest.raises(InputError, match="access"):
        assign_enterprises(frame, matrix, access=pd.DataFrame({"site_id": ["S2"], "days": [3]}))
    with pytest.raises(InputError, match="capacity"):
        assign_enterprises(frame, matrix, capacities={"S1": -1})
    with pytest.raises(InputError, match="industry"):
        assign_enterprises(pd.DataFrame({"name": ["e"], "industry": ["z"]}), matrix)


def test_enterprise_classes_share_their_members_utility():
    from oicplan.match.assign import enterprise_demands, utility_matrix
    from oicplan.match.enterprises import load_sample
    from oicplan.match.matrix import match_matrix

    firms = load_sample()
    match = match_matrix("zhejiang", "balanced")
    sites = list(match.matrix.columns[:30])
    demands = enterprise_demands(firms, match, sites)
    each = utility_matrix(firms, match, sites)
    assert demands.classes["enterprises"].sum() == len(firms)
    assert len(demands.classes) < len(firms) / 10
    assert demands.synthetic
    # Every enterprise's utility row equals the row of its class.
    keys = ["industry", "tech_needs", "overseas_presence"]
    label = firms[keys].fillna("").astype(str).agg("|".join, axis=1)
    distinct = each.groupby(label.to_numpy()).nunique().max().max()
    assert distinct == 1
    for row in demands.classes.itertuples():
        member = row.names.split("; ")[0]
        assert demands.utility.loc[row.demand].tolist() == each.loc[member].tolist()
