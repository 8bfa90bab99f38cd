"""Shared fixtures of the match tests: the dataset, candidates and a ranked table."""

from __future__ import annotations

import pytest

from oicplan.data.dataset import load_dataset
from oicplan.match.matrix import match_matrix
from oicplan.ranking import candidate_sites, rank_sites
from oicplan.scenario import load_scenario


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


@pytest.fixture(scope="session")
def candidates(dataset):
    return candidate_sites(dataset, load_scenario("zhejiang"))


@pytest.fixture(scope="session")
def balanced(dataset):
    return match_matrix("zhejiang", "balanced", dataset=dataset)


@pytest.fixture(scope="session")
def ranked():
    return rank_sites(load_scenario("zhejiang"))
