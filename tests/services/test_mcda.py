"""services.mcda: ranking a decision matrix and deriving weights, against the library."""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.errors import InputError
from oicplan.services.mcda import (
    AhpWeightsRequest,
    McdaRequest,
    ObjectiveWeightsRequest,
    ahp_weights,
    mcda,
    objective_weights,
)


@pytest.fixture
def matrix_file(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("city,gdp,cost,talent\nA,3,1,2\nB,1,3,2\nC,2,2,3\nD,4,4,1\n")
    return path


@pytest.mark.parametrize("method", ["topsis", "vikor", "promethee2"])
def test_ranking_matches_the_library(matrix_file, method):
    from oicplan.mcda import rank
    from oicplan.mcda.files import read_decision_matrix

    types = ["max", "min", "max"]
    result = mcda(McdaRequest(matrix=matrix_file, method=method, weights=[2, 1, 1],
                              types=types))
    direct = rank(read_decision_matrix(matrix_file, types), [2, 1, 1], method=method)
    assert result.document == direct.to_dict()
    assert "ranking" not in result.model_dump()


def test_method_parameters_belong_to_their_method(matrix_file):
    with pytest.raises(InputError, match="v applies only to method vikor") as info:
        mcda(McdaRequest(matrix=matrix_file, v=0.3))
    assert info.value.field == "v"
    with pytest.raises(InputError) as info:
        mcda(McdaRequest(matrix=matrix_file, method="electre"))
    assert info.value.field == "method"


@pytest.mark.parametrize("method", ["entropy", "critic", "std"])
def test_objective_weights_match_the_library(matrix_file, method):
    from oicplan import mcda as library
    from oicplan.mcda.files import read_decision_matrix

    result = objective_weights(ObjectiveWeightsRequest(matrix=matrix_file, method=method))
    func = getattr(library, f"{method}_weights")
    direct = func(read_decision_matrix(matrix_file, ["max"] * 3))
    np.testing.assert_allclose(result.weights, direct)
    assert result.document == {"criteria": ["gdp", "cost", "talent"],
                               "weights": direct.tolist()}


def test_ahp_one_and_several_experts(tmp_path):
    from oicplan.mcda import ahp_weights as library_ahp
    from oicplan.mcda import group_ahp_weights

    one = tmp_path / "e1.csv"
    one.write_text(",a,b,c\na,1,3,5\nb,1/3,1,2\nc,1/5,1/2,1\n")
    two = tmp_path / "e2.csv"
    two.write_text(",a,b,c\na,1,2,4\nb,1/2,1,3\nc,1/4,1/3,1\n")
    single = ahp_weights(AhpWeightsRequest(pairwise=[one]))
    m1 = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    m2 = np.array([[1, 2, 4], [1 / 2, 1, 3], [1 / 4, 1 / 3, 1]])
    np.testing.assert_allclose(single.weights, library_ahp(m1, ["a", "b", "c"]).weights)
    group = ahp_weights(AhpWeightsRequest(pairwise=[one, two]))
    np.testing.assert_allclose(group.weights,
                               group_ahp_weights([m1, m2], ["a", "b", "c"]).weights)
    assert len(group.document["expert_cr"]) == 2
    other = tmp_path / "e3.csv"
    other.write_text(",a,x\na,1,2\nx,1/2,1\n")
    with pytest.raises(InputError, match="differ"):
        ahp_weights(AhpWeightsRequest(pairwise=[one, other]))
