"""Layout model: Pareto frontier, robustness counts, time limits, chart."""

from __future__ import annotations

import dataclasses
import itertools
import json

import numpy as np
import pytest

from oicplan.optimize.layout import Layout, pareto_figure, save_svg


def _instance(seed: int = 0, n_s: int = 6, n_m: int = 2, n_d: int = 4):
    rng = np.random.default_rng(seed)
    match = rng.integers(0, 10, (n_d, n_s, n_m)) / 10
    return Layout.from_arrays(
        match, rng.integers(0, 5, (n_s, n_m)) / 10, quality_weight=0.5,
        setup_cost=rng.integers(1, 8, (n_s, n_m)).astype(float),
        annual_cost=rng.integers(0, 3, (n_s, n_m)).astype(float),
        risk=rng.integers(0, 10, n_s) / 10, max_centers=3,
    )


def _frontier_by_enumeration(model: Layout, against: str):
    """Benefit and metric of every layout with at most 3 open options, one mode per site."""
    d = model.inputs
    n_j = d.opt_site.size
    points = []
    for k in range(0, 4):
        for combo in itertools.combinations(range(n_j), k):
            if len({int(d.opt_site[j]) for j in combo}) < k:
                continue
            y = np.zeros(n_j)
            y[list(combo)] = 1
            best = np.zeros(len(d.demand_ids))
            on = y[d.pair_j] > 0
            np.maximum.at(best, d.pair_d[on], d.pair_a[on])
            benefit = d.priority @ best + d.quality_weight * d.quality @ y
            metric = (d.setup + d.annual) @ y if against == "cost" else d.risk @ y
            points.append((float(metric), float(benefit)))
    return points


@pytest.mark.parametrize("against", ["cost", "risk"])
@pytest.mark.parametrize("seed", range(3))
def test_pareto_is_monotone_and_non_dominated(against, seed):
    model = _instance(seed)
    table = model.pareto(against, points=6)
    assert list(table.columns[:3]) == ["against", "epsilon", "benefit"]
    assert (table["status"] == "optimal").all()
    metric, benefit = table[against].to_numpy(), table["benefit"].to_numpy()
    assert (np.diff(metric) > 0).all() and (np.diff(benefit) > 0).all()
    every = _frontier_by_enumeration(model, against)
    for c, b in zip(metric, benefit, strict=True):
        # Nothing costs no more and gives more, and the point itself exists.
        assert not any(mc <= c + 1e-9 and mb > b + 1e-6 for mc, mb in every)
        assert any(abs(mc - c) < 1e-6 and abs(mb - b) < 1e-6 for mc, mb in every)
    # The ends: the cheapest layout, and the cheapest among the best ones.
    assert metric[0] == pytest.approx(min(mc for mc, _ in every))
    top = max(mb for _, mb in every)
    assert benefit[-1] == pytest.approx(top)
    assert metric[-1] == pytest.approx(min(mc for mc, mb in every if mb >= top - 1e-6))


def test_pareto_chart_svg_keeps_text(tmp_path):
    table = _instance(1).pareto("cost", points=4)
    fig = pareto_figure(table, title="Trade-off")
    path = save_svg(fig, tmp_path / "pareto.svg")
    text = path.read_text()
    assert "<svg" in text and "Trade-off" in text and "total cost" in text


def test_robustness_counts():
    m = Layout.from_arrays(quality=[1.0, 2.0, 3.0, 0.5], max_centers=2,
                           site_ids=["a", "b", "c", "d"])
    samples = np.array([[1, 2, 3, 0], [3, 2, 1, 0], [1, 3, 2, 0], [0, 0, 1, 5], [2, 2.5, 3, 0]])
    table = m.robustness(samples)
    counts = dict(zip(table["site_id"], table["times_chosen"], strict=True))
    # Expected by hand: top two per sample.
    expected = {"c": 4, "b": 4, "a": 1, "d": 1}
    assert counts == expected
    assert table["site_id"].tolist()[:2] == ["b", "c"]
    assert table["share"].tolist() == [c / 5 for c in table["times_chosen"]]
    assert table.attrs["statuses"] == {"optimal": 5}
    assert table.attrs["draw_statuses"] == ["optimal"] * 5
    assert table.attrs["max_gap"] is None
    assert m.status is None  # the model itself is left unsolved


def test_pareto_reports_the_status_of_every_solve():
    """Each point: its three solves' statuses and the largest gap; attrs count every solve."""
    table = _instance(1).pareto("cost", points=4)
    columns = ["status", "gap", "benefit_status", "metric_status", "polish_status"]
    assert set(columns) <= set(table.columns)
    assert set(table[["benefit_status", "metric_status", "polish_status"]].stack()) <= {
        "optimal", "feasible"}
    assert table.attrs["statuses"] == {"optimal": table.attrs["solves"]}
    # 4 range solves (least metric, most benefit, its least metric and polish) + 3 per cap
    # but the last, the top of the range, whose point is the range's own solution.
    assert table.attrs["solves"] == 4 + 3 * 3
    last = table.iloc[-1]
    assert (last["benefit_status"], last["metric_status"], last["polish_status"]) == (
        "optimal", "optimal", "optimal")
    records = json.loads(table.to_json(orient="records"))  # as plan.json stores it
    assert all(r["polish_status"] == "optimal" and r["status"] == "optimal" for r in records)


def test_stopped_solves_show_in_pareto_and_robustness(monkeypatch):
    """A solve stopped early is 'feasible' with its gap, in its own column and in attrs."""
    import oicplan.optimize.layout_tradeoffs as tradeoffs
    from oicplan.optimize._highs import solve_mip

    def stopped_polish(mip, **kwargs):  # the polish solves stop at a 5% gap
        out = solve_mip(mip, **kwargs)
        return dataclasses.replace(out, status="feasible", gap=0.05, stopped_by="time limit")

    monkeypatch.setattr(tradeoffs, "solve_mip", stopped_polish)
    table = _instance(1).pareto("cost", points=3)
    assert (table["polish_status"] == "feasible").all()
    assert (table["benefit_status"] == "optimal").all()
    assert (table["status"] == "feasible").all() and (table["gap"] == 0.05).all()
    # The range end's polish (also the last point's) + the 2 other points' polish solves.
    assert table.attrs["statuses"]["feasible"] == 1 + 2

    m = Layout.from_arrays(quality=[1.0, 2.0, 3.0], max_centers=1)
    real_solve = Layout.solve

    def stopped_solve(self, time_limit=None, mip_gap=None, start=None):
        real_solve(self, time_limit, mip_gap, start)
        if self.inputs.quality[0] > 2:
            self.status, self.gap = "feasible", 0.02
        return self

    monkeypatch.setattr(Layout, "solve", stopped_solve)
    robust = m.robustness([[1, 2, 3], [3, 2, 1], [1, 3, 2]])
    assert robust.attrs["statuses"] == {"optimal": 2, "feasible": 1}
    assert robust.attrs["draw_statuses"] == ["optimal", "feasible", "optimal"]
    assert robust.attrs["max_gap"] == 0.02


def test_robustness_with_modes_and_placeholder_match():
    m = Layout.from_arrays(quality=[[1.0, 0.0], [0.0, 2.0]], max_centers=1, modes=["x", "y"])
    table = m.robustness(np.array([[[1, 0], [0, 2]], [[3, 0], [0, 2]]]))
    assert table.set_index("site_id")["modes"].to_dict() == {1: {"y": 1}, 0: {"x": 1}}


def test_time_limit_reports_feasible_with_gap():
    rng = np.random.default_rng(0)
    n_s, n_m, n_d = 150, 3, 400
    match = rng.random((n_d, n_s, n_m))
    match[match < 0.7] = 0
    m = Layout.from_arrays(match, rng.random((n_s, n_m)),
                           capacity=rng.integers(2, 6, (n_s, n_m)), max_centers=20,
                           setup_cost=rng.random((n_s, n_m)) * 10, budget=80)
    m.solve(time_limit=0.05)
    assert m.status == "feasible"
    assert m.gap is not None and m.gap > 0
    assert m.to_dict()["gap"] == m.gap


def _gap_instance(seed: int = 1) -> Layout:
    """Capacities and a budget: HiGHS proves the optimum only after branching."""
    rng = np.random.default_rng(seed)
    n_s, n_m, n_d = 60, 3, 150
    match = rng.random((n_d, n_s, n_m))
    match[match < 0.7] = 0
    return Layout.from_arrays(match, rng.random((n_s, n_m)),
                              capacity=rng.integers(2, 6, (n_s, n_m)), max_centers=10,
                              setup_cost=rng.random((n_s, n_m)) * 10, budget=30)


def test_mip_gap_stop_is_not_called_optimal():
    """A solve HiGHS stops at the requested gap is 'feasible' with its proven gap.

    The instance is one where the stop really happens (HiGHS ends with a gap of
    about 1 %, far above the 1e-6 that 'optimal' means), so the branch is reached.
    """
    exact = _gap_instance().solve()
    assert exact.status == "optimal"
    loose = _gap_instance().solve(mip_gap=0.05)
    assert loose.status == "feasible"
    assert loose.gap is not None and 1e-6 < loose.gap <= 0.05
    # The gap is proven: the optimum lies between the objective and its bound.
    assert loose.objective <= exact.objective + 1e-9
    assert exact.objective <= loose.objective * (1 + loose.gap) + 1e-9
    document = loose.to_dict()
    assert document["status"] == "feasible" and document["gap"] == loose.gap


def test_frontier_and_robustness_solves_stopped_at_once_still_have_layouts():
    """Every solve starts from a layout within its bounds: a time limit never leaves none.

    With a limit far too short to solve anything, each frontier point keeps a
    layout within its cap (the previous point's, at worst) and is marked
    feasible or optimal; each robustness draw keeps the layout it started from.
    """
    model = _gap_instance()
    table = model.pareto("cost", points=4, time_limit=1e-3)
    assert len(table) >= 1
    assert (table["cost"] <= table["epsilon"].max() + 1e-6).all()
    assert set(table["status"]) <= {"optimal", "feasible"}
    base = _gap_instance().solve()
    qualities = np.random.default_rng(2).random((3, 60, 3))
    robust = _gap_instance().robustness(qualities, time_limit=1e-3, start=base.solution_values)
    assert robust.attrs["samples"] == 3
    assert sum(robust.attrs["statuses"].values()) == 3


@pytest.mark.parametrize("against", ["cost", "risk"])
def test_points_dealt_to_chains_give_the_same_frontier(against):
    """Chains solve the same problems side by side: same metric and benefit per cap."""
    model = _instance(1)
    one = model.pareto(against, points=7)
    two = model.pareto(against, points=7, chains=2)
    three = _instance(1).pareto(against, points=7, chains=3)
    for table in (two, three):
        assert table["epsilon"].tolist() == pytest.approx(one["epsilon"].tolist())
        for column in (against, "benefit"):
            assert table[column].to_numpy() == pytest.approx(one[column].to_numpy(), abs=1e-6)
        assert table.attrs["solves"] == one.attrs["solves"]
        assert (table["status"] == "optimal").all()


def test_draws_dealt_to_chains_count_the_same():
    m = Layout.from_arrays(quality=[1.0, 2.0, 3.0, 0.5], max_centers=2,
                           site_ids=["a", "b", "c", "d"])
    samples = np.array([[1, 2, 3, 0], [3, 2, 1, 0], [1, 3, 2, 0], [0, 0, 1, 5], [2, 2.5, 3, 0]])
    one, two = m.robustness(samples), m.robustness(samples, chains=2)
    assert two.to_dict("records") == one.to_dict("records")
    assert two.attrs["draw_statuses"] == one.attrs["draw_statuses"]


def test_chains_must_be_a_positive_whole_number():
    from oicplan.errors import InputError
    from oicplan.optimize.layout_tradeoffs import in_chains

    for bad in (0, -1, 1.5, True):
        with pytest.raises(InputError) as caught:
            in_chains([1, 2], bad, lambda item, carry: (item, carry), lambda: None)
        assert caught.value.field == "chains"


def test_chains_run_in_solver_threads_and_a_long_item_holds_up_no_other():
    """A free chain takes the next item: the slow first item keeps its thread to itself."""
    import threading
    import time

    from oicplan.optimize.layout_tradeoffs import in_chains

    def step(item, carry):
        if item == 0:
            time.sleep(0.5)
        return (item, threading.current_thread().name, carry), carry + [item]

    done = in_chains(list(range(6)), 2, step, list)
    assert [item for item, _, _ in done] == list(range(6))
    threads = [name for _, name, _ in done]
    assert threading.current_thread().name not in threads
    assert threads.count(threads[0]) == 1 and len(set(threads[1:])) == 1
    # Each chain carries its own state from its previous item: the items it took before.
    assert [carry for _, _, carry in done][1:] == [[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4]]
    # One chain: the calling thread, one carry through every item.
    alone = in_chains(list(range(3)), 1, step, list)
    assert {name for _, name, _ in alone} == {threading.current_thread().name}
    assert [carry for _, _, carry in alone] == [[], [0], [0, 1]]


def test_a_failing_step_raises_from_its_chain():
    from oicplan.optimize.layout_tradeoffs import in_chains

    def step(item, carry):
        if item == 3:
            raise ValueError("bad item")
        return item, carry

    with pytest.raises(ValueError, match="bad item"):
        in_chains(list(range(5)), 2, step, lambda: None)
