"""services.sensitivity: rank robustness of a matrix file against the library."""

from __future__ import annotations

import pytest

from oicplan.errors import InputError
from oicplan.services.sensitivity import SensitivityRequest, sensitivity


@pytest.fixture
def matrix_file(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("city,gdp,cost,talent\nA,3,1,2\nB,1,3,2\nC,2,2,3\nD,4,4,1\n")
    return path


def test_matrix_analysis_matches_monte_carlo_directly(matrix_file):
    from oicplan.mcda.files import read_decision_matrix
    from oicplan.uncertainty.montecarlo import monte_carlo, prepare

    request = SensitivityRequest(matrix=matrix_file, weights=[0.5, 0.3, 0.2],
                                 types=["max", "min", "max"], samples=200, seed=4)
    result = sensitivity(request)
    setup = prepare(read_decision_matrix(matrix_file, ["max", "min", "max"]),
                    [0.5, 0.3, 0.2], None, "topsis")
    direct = monte_carlo(setup, samples=200, seed=4)
    assert result.document == direct.to_dict()
    assert result.labels == {} and result.plots == []
    assert result.robustness.seed == 4 and "robustness" not in result.model_dump()


def test_progress_reports_the_stages(matrix_file):
    seen = []
    sensitivity(SensitivityRequest(matrix=matrix_file, samples=20, seed=1, sobol=True,
                                   sobol_samples=8, sobol_resamples=0),
                progress=lambda stage, done, total: seen.append((stage, total)))
    assert ("Monte Carlo", 20) in seen and ("Sobol' indices", None) in seen


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "scenario/matrix"),
        ({"scenario": "zhejiang", "method": "vikor"}, "method"),
        ({"samples": 0}, "samples"),
        ({"sobol": True, "sobol_samples": 100}, "sobol_samples"),
        ({"sobol_resamples": -1}, "sobol_resamples"),
        ({"types": ["max", "big", "max"]}, "types"),
        ({"variants": [{"imputation": "group_mean"}]}, "variants"),
    ],
)
def test_errors_name_request_fields(matrix_file, fields, field):
    if "scenario" not in fields and fields:
        fields = {"matrix": matrix_file, **fields}
    with pytest.raises(InputError) as info:
        sensitivity(SensitivityRequest(**fields))
    assert info.value.field == field
    assert "--" not in info.value.message
