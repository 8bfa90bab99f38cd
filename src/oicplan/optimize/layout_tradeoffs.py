"""Trade-offs of the layout model: the Pareto frontier and robustness to site quality.

:func:`pareto` (behind :meth:`Layout.pareto <oicplan.optimize.layout.Layout.pareto>`)
traces benefit against cost or risk by the epsilon-constraint method;
:func:`robustness` (behind :meth:`Layout.robustness
<oicplan.optimize.layout.Layout.robustness>`) re-solves the model for
alternative site qualities. Both report the status of every solve behind their
table, not only of the main one: per Pareto point the status of its three solves
and their largest gap; per robustness draw its status, counted in the frame's
``attrs``.

With ``chains`` > 1 the points (or draws) are solved by that many chains that
run side by side in threads of their own (each solve single-threaded, on its own
copy of the model): a chain that is free takes the next point not yet taken, in
order, so one long point does not hold up the points after it. Each chain starts
from a layout known to meet every bound (the least-metric layout for a frontier,
the given start for the draws) and then from its own previous point, which meets
the next, larger cap too. Every point is the same optimisation problem whichever
chain solves it, so the table is the same up to ties between equally good
layouts; a plan uses two chains so that a long frontier does not leave one core
idle at its end.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from oicplan.errors import InfeasibleError, InputError
from oicplan.optimize._highs import MipOutcome, solve_mip
from oicplan.optimize.layout_solve import _MODEL, solution_start, solver_options

__all__ = ["in_chains", "pareto", "point_status", "robustness", "single_thread_solver"]

_Item = TypeVar("_Item")
_Out = TypeVar("_Out")


def single_thread_solver() -> None:
    """Make every later HiGHS solve in the calling thread use one thread.

    HiGHS keeps one task scheduler per calling thread, started by the thread's first
    solve with that solve's ``threads`` option; a later solve asking for another
    count is refused. Called first in a fresh worker thread (where solves run side
    by side), a tiny solve with ``threads`` = 1 starts the scheduler with one thread,
    which every later solve of the thread uses. Raises RuntimeError in a thread
    whose scheduler already has another count.

    >>> import threading
    >>> worker = threading.Thread(target=single_thread_solver)
    >>> worker.start(); worker.join()
    """
    import highspy

    from oicplan.optimize._highs import Mip

    mip = Mip()
    mip.add_vars(1, integer=True)
    solver = mip.to_highs()
    solver.setOptionValue("threads", 1)
    if solver.run() != highspy.HighsStatus.kOk:
        raise RuntimeError("HiGHS's scheduler in this thread already has another thread count")


def in_chains(items: Sequence[_Item], chains: int,
              step: Callable[[_Item, Any], tuple[_Out, Any]],
              first: Callable[[], Any]) -> list[_Out]:
    """``step`` over every item, by ``chains`` chains side by side; the results in order.

    A chain starts with ``carry = first()`` and runs ``result, carry = step(item,
    carry)`` for each item it takes; a free chain takes the next item not yet
    taken, in order. With one chain (or one item) it runs in the calling thread;
    else each chain runs in a thread of its own whose HiGHS solves use one thread
    (:func:`single_thread_solver`). An error of a step is raised here.

    >>> in_chains([1, 2, 3, 4, 5], 2, lambda x, seen: (10 * x, seen + 1), lambda: 0)
    [10, 20, 30, 40, 50]
    """
    if isinstance(chains, bool) or not isinstance(chains, int) or chains < 1:
        raise InputError(f"chains must be a whole number >= 1, got {chains!r}", field="chains")
    out: list[Any] = [None] * len(items)
    taken = iter(range(len(items)))
    lock = threading.Lock()

    def chain() -> None:
        carry = first()
        while True:
            with lock:
                index = next(taken, None)
            if index is None:
                return
            out[index], carry = step(items[index], carry)

    workers = min(chains, len(items))
    if workers <= 1:
        chain()
        return out
    with ThreadPoolExecutor(workers, initializer=single_thread_solver) as pool:
        for running in [pool.submit(chain) for _ in range(workers)]:
            running.result()
    return out


def point_status(*statuses: str) -> str:
    """The status of a result behind several solves: ``optimal`` only if all are.

    >>> point_status("optimal", "optimal"), point_status("optimal", "feasible")
    ('optimal', 'feasible')
    """
    return "optimal" if set(statuses) == {"optimal"} else "feasible"


def _largest_gap(*outcomes: MipOutcome) -> float | None:
    return max((o.gap for o in outcomes if o.gap is not None), default=None)


def pareto(model: Any, against: str = "cost", points: int = 9, *,
           time_limit: float | None = None, mip_gap: float | None = None,
           chains: int = 1) -> pd.DataFrame:
    """Benefit against cost (or risk) of ``model``; see :meth:`Layout.pareto`.

    Every point comes from three solves: the benefit at the cap
    (``benefit_status``), the smallest metric at that benefit (``metric_status``)
    and the polish of the assignment for the layout found (``polish_status``);
    ``status`` is ``optimal`` only when all three are and ``gap`` is the largest
    of their gaps. The last cap is the top of the range, the least metric at the
    largest benefit, found by the range's own three solves (the largest benefit,
    then the least metric and the polish): its point is that solution, not solved
    again. ``attrs["statuses"]`` counts the statuses of every solve
    behind the table (the range ends and the dropped repeats included) and
    ``attrs["solves"]`` is their number: 4 for the range and 3 per other point.
    ``chains``: see the module docstring.
    """
    if against not in ("cost", "risk"):
        raise InputError(f"against must be 'cost' or 'risk', got {against!r}",
                         field="against")
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise InputError(f"points must be a whole number >= 2, got {points!r}",
                         field="points")
    kw = {"time_limit": time_limit, "mip_gap": mip_gap}
    try:
        lo_out, lo_v = model._run(objective=against, **kw)
    except InfeasibleError:
        model.solve(**kw)  # raises with the conflict explained
        raise
    lo = model._decode(lo_out.values, lo_v)[against]
    top_out, top_v = model._run(**kw)
    best = float(top_out.objective)
    hi_out, hi_polish, hi_sol = lexicographic(model, best, against, math.inf, kw,
                                              start=solution_start(top_out, top_v))
    hi = hi_sol[against]
    solves = Counter(o.status for o in (lo_out, top_out, hi_out, hi_polish))
    least = solution_start(lo_out, lo_v)  # meets every cap: the first start of each chain

    def point(eps: float, carry: tuple[Any, np.ndarray]
              ) -> tuple[dict[str, Any], tuple[Any, np.ndarray]]:
        own, previous = carry
        eps_row = max(eps, lo) + 1e-9 * max(1.0, abs(eps))
        out, v = own._run(bounds=[(against, -np.inf, eps_row)], start=previous, **kw)
        previous = solution_start(out, v)
        out2, polished, sol = lexicographic(own, float(out.objective), against, eps_row, kw,
                                            start=previous)
        return _point_row(eps, sol, out, out2, polished), (own, previous)

    def fresh() -> tuple[Any, np.ndarray]:
        return (model if chains == 1 else model.unsolved_copy()), least

    caps = np.linspace(lo, hi, points).tolist()
    rows = in_chains(caps[:-1], chains, point, fresh)
    for row in rows:
        solves.update(row[k] for k in ("benefit_status", "metric_status", "polish_status"))
    # The last cap is ``hi``, the end of the range: its point is the one solved for the
    # range (the largest benefit, then the least metric at it), not solved again.
    rows.append(_point_row(caps[-1], hi_sol, top_out, hi_out, hi_polish))
    table = pd.DataFrame(rows)
    key = table[[against, "benefit"]].round(9)
    table = table[~key.duplicated()].sort_values([against, "benefit"])
    table.insert(0, "against", against)
    table = table.reset_index(drop=True)
    table.attrs["against"] = against
    table.attrs["statuses"] = dict(solves)
    table.attrs["solves"] = int(sum(solves.values()))
    return table


def _point_row(eps: float, sol: dict[str, Any], out: MipOutcome, out2: MipOutcome,
               polished: MipOutcome) -> dict[str, Any]:
    """A frontier row: the cap, the polished solution ``sol`` and its three solves' statuses."""
    return {
        "epsilon": float(eps),
        "benefit": sol["benefit"]["total"],
        "cost": sol["cost"],
        "risk": sol["risk"],
        "centers": len(sol["chosen"]),
        "sites": ";".join(f"{r.site_id}:{r.mode}" for r in sol["chosen"].itertuples()),
        "status": point_status(out.status, out2.status, polished.status),
        "gap": _largest_gap(out, out2, polished),
        "benefit_status": out.status,
        "metric_status": out2.status,
        "polish_status": polished.status,
    }


def lexicographic(model: Any, benefit: float, against: str, cap: float,
                  kw: dict[str, Any], start: np.ndarray | None = None
                  ) -> tuple[MipOutcome, MipOutcome, dict[str, Any]]:
    """At benefit >= ``benefit`` (less a tolerance), the smallest metric.

    Returns the outcome of that solve, the outcome of the polish solve (the
    assignment re-optimised for the layout found) and the polished solution.
    ``start``: the y, x, z of a layout with that benefit (where the solve starts).
    """
    floor = benefit - 1e-6 * max(1.0, abs(benefit))
    bounds = [("benefit", floor, np.inf)]
    if math.isfinite(cap):
        bounds.append((against, -np.inf, cap))
    out, v = model._run(objective=against, bounds=bounds, start=start, **kw)
    # Re-optimise the assignment for the layout found: the benefit floor
    # has a tolerance that the second stage could spend on the shares x.
    open_y = np.round(out.values[v.y])
    years = None if v.z is None else np.round(out.values[v.z])
    mip, v2 = model._assemble(fixed=(open_y, years))
    # The layout found, with its assignment, is a solution of the polish model too.
    same_columns = out.values.size == mip.num_col
    polished = solve_mip(mip, model=_MODEL, start=out.values if same_columns else None,
                         options=solver_options(model, "benefit"), **kw)
    return out, polished, model._decode(polished.values, v2)


def robustness(model: Any, qualities: Any, *, time_limit: float | None = None,
               mip_gap: float | None = None, start: np.ndarray | None = None,
               chains: int = 1) -> pd.DataFrame:
    """How often each site of ``model`` is chosen; see :meth:`Layout.robustness`.

    ``attrs``: ``samples`` (the number of draws), ``statuses`` (status ->
    number of draws solved with it), ``draw_statuses`` (each draw's status, in
    order) and ``max_gap`` (the largest gap of a draw, ``None`` when every draw
    is optimal). ``chains``: see the module docstring.
    """
    q = np.asarray(qualities, dtype=float)
    d = model.inputs
    if q.ndim not in (2, 3) or q.shape[1] != len(d.site_ids):
        raise InputError(f"qualities must have shape (k, {len(d.site_ids)}[, modes]), "
                         f"got {q.shape}", field="qualities")

    def draw(sample: np.ndarray, previous: np.ndarray | None) -> tuple[Any, np.ndarray | None]:
        # A layout stays feasible when only the quality changes: start from the last one.
        solved = model.with_quality(sample).solve(time_limit=time_limit, mip_gap=mip_gap,
                                                  start=previous)
        return solved, solved.solution_values

    draws = in_chains(list(q), chains, draw, lambda: start)
    counts: Counter = Counter()
    modes: dict[Any, Counter] = {}
    statuses, gaps = [], []
    for solved in draws:
        statuses.append(solved.status)
        if solved.gap is not None:
            gaps.append(float(solved.gap))
        for row in solved.chosen.itertuples(index=False):
            counts[row.site_id] += 1
            modes.setdefault(row.site_id, Counter())[row.mode] += 1
    order = {s: k for k, s in enumerate(d.site_ids)}
    rows = [{"site_id": s, "times_chosen": int(c), "share": c / len(q),
             "modes": dict(modes[s])} for s, c in counts.items()]
    table = pd.DataFrame(rows, columns=["site_id", "times_chosen", "share", "modes"])
    if len(table):
        table["_o"] = table["site_id"].map(order)
        table = table.sort_values(["times_chosen", "_o"], ascending=[False, True])
        table = table.drop(columns="_o").reset_index(drop=True)
    table.attrs["samples"] = len(q)
    table.attrs["statuses"] = dict(Counter(statuses))
    table.attrs["draw_statuses"] = statuses
    table.attrs["max_gap"] = max(gaps, default=None)
    return table
