"""The layout model from a ranking with inputs a caller keeps: the same model as without.

The pipeline (:mod:`oicplan.plan`) keeps the eligible strategies, the cost model's
table and the modes' fit between re-plans and passes them to
:meth:`Layout.from_ranking`; the model must be the one built without them. Solves
that run side by side in worker threads use HiGHS with one thread each.
"""

from __future__ import annotations

import threading
from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

from oicplan.data import load_dataset
from oicplan.domain import CENTER_MODES, eligible_strategies
from oicplan.finance.cost import site_mode_costs
from oicplan.optimize.layout import Layout
from oicplan.optimize.layout_scenario import mode_fit_table
from oicplan.optimize.layout_tradeoffs import single_thread_solver
from oicplan.ranking import rank_sites
from oicplan.scenario import load_scenario


@pytest.fixture(scope="module")
def ranked():
    return rank_sites(load_scenario("zhejiang"))


def _same_inputs(one, other) -> None:
    for item in fields(one.inputs):
        mine, theirs = getattr(one.inputs, item.name), getattr(other.inputs, item.name)
        if isinstance(mine, np.ndarray):
            np.testing.assert_array_equal(mine, theirs, err_msg=item.name)
        elif item.name in ("groups", "existing"):
            rows = list(mine.items()) if isinstance(mine, dict) else mine
            others = list(theirs.items()) if isinstance(theirs, dict) else theirs
            assert len(rows) == len(others), item.name
            for row, twin in zip(rows, others, strict=True):
                for a, b in zip(row, twin, strict=True):
                    np.testing.assert_array_equal(a, b, err_msg=item.name)
        else:
            assert mine == theirs, item.name


def test_kept_inputs_build_the_same_model(ranked):
    dataset = load_dataset()
    table = ranked.table
    # Kept in another order than the ranked table's: by site.
    by_site = table.sort_values("site_id")
    eligible = eligible_strategies(table, dataset).set_axis(table["site_id"])
    costs = site_mode_costs(dataset, by_site[["site_id", "iso3", "name"]], list(CENTER_MODES))
    costs = costs.set_index("site_id").loc[table["site_id"]].reset_index()
    plain = Layout.from_ranking(ranked, dataset=dataset)
    kept = Layout.from_ranking(
        ranked,
        dataset=dataset,
        eligible=eligible.sample(frac=1.0, random_state=1),
        site_costs=costs,
        mode_fit=mode_fit_table(by_site),
    )
    _same_inputs(plain, kept)
    assert plain.solve().objective == kept.solve().objective


def test_kept_eligible_strategies_are_ignored_without_existing_centers(ranked):
    dataset = load_dataset()
    wrong = pd.Series([()] * len(ranked.table), index=ranked.table["site_id"], dtype=object)
    plain = Layout.from_ranking(ranked, dataset=dataset, include_existing=False)
    kept = Layout.from_ranking(ranked, dataset=dataset, include_existing=False, eligible=wrong)
    _same_inputs(plain, kept)


def test_a_worker_thread_solves_with_one_highs_thread():
    import highspy

    from oicplan.optimize._highs import Mip

    seen = []

    def work():
        single_thread_solver()
        mip = Mip()
        mip.add_vars(1, integer=True)
        solver = mip.to_highs()
        solver.setOptionValue("threads", 1)  # the count it has: accepted
        seen.append(solver.run())
        other = mip.to_highs()
        other.setOptionValue("threads", 3)  # another count: refused by HiGHS
        seen.append(other.run())

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert seen == [highspy.HighsStatus.kOk, highspy.HighsStatus.kError]
