"""Shared small decision problems for the uncertainty tests."""

import numpy as np
import pytest


@pytest.fixture
def small_problem():
    rng = np.random.default_rng(11)
    matrix = rng.uniform(1.0, 10.0, size=(12, 5))
    weights = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
    types = ["max", "min", "max", "max", "min"]
    return matrix, weights, types
