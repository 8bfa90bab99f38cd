"""CSV tables read by the analysis commands: MCDA matrices, tax policy, location costs.

Readers: :func:`oicplan.mcda.files.read_decision_matrix`,
:func:`oicplan.mcda.files.read_pairwise`, the ``mcda`` use case
(:func:`oicplan.services.mcda.mcda`, types guessed from the header),
:func:`oicplan.finance.tax.load_policy_table`,
:func:`oicplan.optimize._inputs.read_costs` and ``read_weights`` (location models)
and :func:`oicplan.optimize.layout_inputs.read_layout_costs` (the layout model).
"""

from __future__ import annotations

from hypothesis import given

from tests.properties._files import SETTINGS, any_bytes, check_reader, table_bytes

CITIES = [["city", "talent_pool", "office_cost", "flight_links"],
          ["Budapest", "70", "30", "5"], ["Warsaw", "80", "35", "6"],
          ["Belgrade", "55", "20", "3"], ["Tashkent", "40", "15", "2"]]
PAIRWISE = [["", "talent_pool", "office_cost", "flight_links"],
            ["talent_pool", "1", "3", "5"], ["office_cost", "1/3", "1", "3"],
            ["flight_links", "1/5", "1/3", "1"]]
POLICY = [["year", "additional_rate", "manufacturing_additional_rate", "overseas_share",
           "overseas_cap_share", "tax_rate", "document"],
          ["2030", "1.2", "1.2", "0.8", "2/3", "0.25", "Announcement 2023 No. 7"]]
COSTS = [["demand", "Hangzhou", "Singapore", "Munich"], ["Jakarta", "4690", "880", "11080"],
         ["Bangkok", "2850", "1430", "8800"], ["Milan", "9160", "10260", "350"]]
WEIGHTS = [["demand", "weight"], ["Jakarta", "3"], ["Bangkok", "2"], ["Milan", "1"]]
LAYOUT = [["site_id", "mode", "setup_cost", "annual_cost"],
          ["SGP-singapore", "offshore_rd_center", "80", "25"],
          ["KOR-seoul", "joint_lab", "15", "6"]]


@SETTINGS
@given(raw=any_bytes(table_bytes(CITIES)))
def test_decision_matrix(raw, tmp_path):
    from oicplan.mcda.files import read_decision_matrix

    check_reader(lambda p: read_decision_matrix(p, ["max", "min", "max"]),
                 tmp_path / "cities.csv", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(CITIES)))
def test_mcda_use_case(raw, tmp_path):
    from oicplan.services.mcda import McdaRequest, mcda

    check_reader(lambda p: mcda(McdaRequest(matrix=p, method="topsis")),
                 tmp_path / "cities.csv", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(PAIRWISE)))
def test_pairwise(raw, tmp_path):
    from oicplan.mcda.files import read_pairwise

    check_reader(read_pairwise, tmp_path / "expert1.csv", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(POLICY)))
def test_tax_policy(raw, tmp_path):
    from oicplan.finance.tax import load_policy_table

    check_reader(load_policy_table, tmp_path / "policy.csv", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(COSTS)))
def test_location_costs(raw, tmp_path):
    from oicplan.optimize._inputs import read_costs

    check_reader(read_costs, tmp_path / "costs.csv", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(WEIGHTS)))
def test_location_weights(raw, tmp_path):
    from oicplan.optimize._inputs import CostMatrix, read_weights

    costs = CostMatrix.build([[1.0], [2.0], [3.0]], ["Jakarta", "Bangkok", "Milan"])
    check_reader(lambda p: read_weights(p, costs), tmp_path / "w.csv", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(LAYOUT)))
def test_layout_costs(raw, tmp_path):
    from oicplan.optimize.layout_inputs import read_layout_costs

    check_reader(lambda p: read_layout_costs(p, ["SGP-singapore", "KOR-seoul"]),
                 tmp_path / "my_costs.csv", raw)
