"""Infeasible requests, bad files and runs stopped by the time limit."""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.errors import InfeasibleError, InputError
from oicplan.optimize import (
    LSCP,
    MCLP,
    PCenter,
    PDispersion,
    PMedian,
    read_costs,
    read_weights,
)

COSTS = [[1, 4, 6], [3, 2, 5], [7, 3, 1], [6, 5, 2]]


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


# --- infeasible on purpose -------------------------------------------------


def test_p_larger_than_candidates():
    with pytest.raises(InfeasibleError, match="p=12 is larger than the 3 candidate facilities"):
        PMedian.from_cost_matrix(COSTS, p=12)
    with pytest.raises(InfeasibleError, match="infeasible"):
        MCLP.from_cost_matrix(COSTS, p=4, radius=3)


def test_more_predefined_than_p():
    with pytest.raises(InfeasibleError, match="2 predefined facilities must open but p=1"):
        PCenter.from_cost_matrix(COSTS, p=1, predefined=[0, 2])


def test_lscp_uncoverable_demand_names_it():
    ids = ["d1", "d2", "d3", "d7"]
    model = LSCP.from_cost_matrix(COSTS, radius=1.5, demand_ids=ids)
    with pytest.raises(InfeasibleError, match=r"LSCP infeasible: demand d2 has no facility "
                                              r"within radius 1.5 \(and 1 more\)"):
        model.solve()
    assert model.status == "infeasible"


def test_capacitated_pmedian_too_little_capacity():
    model = PMedian.from_cost_matrix(COSTS, [5, 5, 5, 5], p=2, capacities=[6, 6, 6])
    with pytest.raises(InfeasibleError, match="total demand weight 20 exceeds"):
        model.solve()
    assert model.status == "infeasible"


def test_capacitated_pmedian_infeasible_single_sourcing():
    # Capacity adds up (8 + 8 >= 15) but weights 5, 5, 5 cannot be split 8 / 8.
    model = PMedian.from_cost_matrix(COSTS[:3], [5, 5, 5], p=2, capacities=[8, 8, 8])
    with pytest.raises(InfeasibleError, match="PMedian infeasible: the capacities"):
        model.solve()


# --- bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "message"),
    [("", "missing value"), ("abc", "not a number: 'abc'"), ("-3", "negative value -3")],
)
def test_bad_cost_cell_is_located(tmp_path, cell, message):
    path = _write(tmp_path, "c.csv", f"demand,F1,F2\nd1,1,2\nd2,3,{cell}\n")
    with pytest.raises(InputError) as info:
        read_costs(path)
    err = info.value
    assert (err.row, err.field) == (3, "F2")
    assert err.file == str(path)
    assert message in err.message


def test_bad_matrix_from_python():
    with pytest.raises(InputError, match="row 3, field 1: missing value"):
        PMedian.from_cost_matrix([[1, 2], [3, np.nan]], p=1)
    with pytest.raises(InputError, match="negative"):
        LSCP.from_cost_matrix([[1, -2]], radius=1)


def test_weights_file_ids_must_match(tmp_path):
    costs = read_costs(_write(tmp_path, "c.csv", "demand,F1\nd1,1\nd2,3\n"))
    unknown = _write(tmp_path, "w.csv", "demand,weight\nd1,1\nd9,2\n")
    with pytest.raises(InputError, match="'d9' is not in the cost file") as info:
        read_weights(unknown, costs)
    assert (info.value.row, info.value.field) == (3, "demand")
    missing = _write(tmp_path, "w2.csv", "demand,weight\nd1,1\n")
    with pytest.raises(InputError, match="no weight for demand 'd2'"):
        read_weights(missing, costs)
    bad = _write(tmp_path, "w3.csv", "demand,weight\nd1,1\nd2,-1\n")
    with pytest.raises(InputError, match="negative") as info:
        read_weights(bad, costs)
    assert (info.value.row, info.value.field) == (3, "weight")
    nocol = _write(tmp_path, "w4.csv", "id,weight\nd1,1\n")
    with pytest.raises(InputError, match="missing column 'demand'"):
        read_weights(nocol, costs)


def test_duplicate_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="demand id 'd1' appears more than once"):
        read_costs(_write(tmp_path, "c.csv", "demand,F1\nd1,1\nd1,3\n"))
    with pytest.raises(InputError, match="file not found"):
        read_costs(tmp_path / "nope.csv")


def test_a_facility_id_repeated_in_the_header_is_named(tmp_path):
    # pandas would silently rename the second F3 to "F3.1", a facility not in the file.
    path = _write(tmp_path, "c.csv", "demand,F0,F3,F3\nd1,1,2,3\nd2,4,5,6\n")
    with pytest.raises(InputError, match="facility id 'F3' appears twice") as info:
        read_costs(path)
    assert (info.value.file, info.value.row, info.value.field) == (str(path), 1, "column 4")


def test_cost_file_ids_are_read_as_written(tmp_path):
    costs = read_costs(_write(tmp_path, "c.csv", "site,F 1,007\n a ,1,2\nb,3,4\n"))
    assert list(costs.facility_ids) == ["F 1", "007"]
    assert list(costs.demand_ids) == ["a", "b"]
    assert costs.values.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_radius_that_no_facility_meets():
    with pytest.raises(InputError, match="no facility is within radius 0.5") as info:
        MCLP.from_cost_matrix(COSTS, p=1, radius=0.5)
    assert info.value.field == "radius"
    with pytest.raises(InputError, match="radius must be"):
        LSCP.from_cost_matrix(COSTS, radius=-1)


def test_bad_p_and_predefined():
    with pytest.raises(InputError, match="p must be a whole number"):
        PMedian.from_cost_matrix(COSTS, p=0)
    with pytest.raises(InputError, match="predefined facility 'Z' is not a candidate"):
        PMedian.from_cost_matrix(COSTS, p=1, predefined=["Z"])
    with pytest.raises(InputError, match="not symmetric"):
        PDispersion.from_cost_matrix([[0, 1], [2, 0]], p=2)


def test_weights_length_mismatch():
    with pytest.raises(InputError, match="3 weights given for 4 demands"):
        PMedian.from_cost_matrix(COSTS, [1, 2, 3], p=1)


# --- time limit --------------------------------------------------------------


def _big_instance(seed=3, n=400, m=150):
    rng = np.random.default_rng(seed)
    a, b = rng.random((n, 2)), rng.random((m, 2))
    return np.linalg.norm(a[:, None] - b[None], axis=2)


@pytest.mark.parametrize("model", ["pmedian", "pcenter"])
def test_time_limit_reports_feasible_with_gap(model):
    # HiGHS needs seconds for the root LP of these instances; 0.05 s cannot
    # prove optimality, but the warm start is always an incumbent.
    d = _big_instance()
    if model == "pmedian":
        m = PMedian.from_cost_matrix(d, p=15).solve(time_limit=0.05)
    else:
        m = PCenter.from_cost_matrix(d, p=15).solve(time_limit=0.05)
    assert m.status == "feasible"
    assert m.gap is not None and 0 < m.gap < np.inf
    assert len(m.facilities) == 15
    out = m.to_dict()
    assert out["status"] == "feasible" and out["gap"] == m.gap


def test_loose_mip_gap_is_never_called_optimal_with_a_gap():
    m = PMedian.from_cost_matrix(_big_instance(seed=4), p=15).solve(mip_gap=0.5)
    if m.status == "feasible":
        assert 0 < m.gap <= 0.5
    else:
        assert m.status == "optimal" and m.gap is None


def test_cli_time_limit_reports_gap_in_json(tmp_path):
    import json

    import typer
    from typer.testing import CliRunner

    from oicplan.cli.locate import locate

    d = _big_instance()
    header = "demand," + ",".join(f"F{j}" for j in range(d.shape[1]))
    rows = [f"D{i}," + ",".join(f"{v:.6f}" for v in row) for i, row in enumerate(d)]
    (tmp_path / "c.csv").write_text("\n".join([header, *rows]) + "\n")
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("locate")(locate)
    res = CliRunner().invoke(app, ["locate", "pmedian", "--costs", str(tmp_path / "c.csv"),
                                   "--p", "15", "--time-limit", "0.05", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["status"] == "feasible" and out["gap"] > 0
    table = CliRunner().invoke(app, ["locate", "pmedian", "--costs", str(tmp_path / "c.csv"),
                                     "--p", "15", "--time-limit", "0.05"], terminal_width=200)
    assert table.exit_code == 0, table.output
    flat = " ".join(table.output.split())  # Rich wraps at the console width
    assert "status feasible" in flat and "stopped: time limit reached, gap" in flat


@pytest.mark.parametrize("model", [PMedian, PCenter])
def test_non_positive_time_limit_is_bad_input(model):
    with pytest.raises(InputError, match="time limit must be positive"):
        model.from_cost_matrix(COSTS, p=1).solve(time_limit=0)
