"""A thin array-based layer over :mod:`highspy` shared by all location models.

Models are assembled block by block: :meth:`Mip.add_vars` returns the column
indices of a new block of variables, and constraint builders receive those
index arrays, append rows as sparse ``(row, column, value)`` triplets and return
the row indices they created. The whole model is handed to HiGHS in one
``passModel`` call with a column-wise sparse matrix, so building costs a few
numpy operations rather than one Python call per coefficient.

:func:`solve_mip` is the one place where the HiGHS model status is read and
turned into ``optimal`` / ``feasible`` / an error.

>>> mip = Mip(maximize=True)
>>> y = mip.add_vars(3, cost=[1.0, 2.0, 3.0], integer=True)
>>> _ = mip.add_rows(1, np.zeros(3, int), y, 1.0, lower=-np.inf, upper=2.0)
>>> out = solve_mip(mip, model="demo")
>>> out.status, out.objective, out.values.round().tolist()[1:]
('optimal', 5.0, [1.0, 1.0])
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
from scipy import sparse

from oicplan.errors import InfeasibleError, InputError, OicplanError

__all__ = ["Mip", "MipOutcome", "NoSolutionError", "check_limits", "solve_mip"]

#: Relative MIP gap HiGHS must close before a run is called optimal. Tighter than
#: HiGHS's default 1e-4 so that "optimal" means optimal for practical purposes.
DEFAULT_MIP_GAP = 1e-6

_STOPPED_EARLY = {
    highspy.HighsModelStatus.kTimeLimit: "time limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration limit",
    highspy.HighsModelStatus.kSolutionLimit: "solution limit",
    highspy.HighsModelStatus.kInterrupt: "interrupt",
    highspy.HighsModelStatus.kMemoryLimit: "memory limit",
    highspy.HighsModelStatus.kHighsInterrupt: "interrupt",
}


_banner_shown = False


def _new_highs() -> highspy.Highs:
    """A silent HiGHS instance.

    HiGHS prints a copyright banner to the C-level stdout when the first
    instance of a process is created, before any option can switch output off;
    that would corrupt ``--json`` output, so the first creation runs with file
    descriptor 1 pointed at the null device.
    """
    global _banner_shown
    if _banner_shown:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    h.setOptionValue("output_flag", False)
    _no_callbacks(h)
    return h


def _no_callbacks(h: highspy.Highs) -> None:
    """Switch off highspy's Python callback, which oicplan never uses.

    highspy's ``Highs()`` registers a Python function as HiGHS's callback; HiGHS then
    calls back into Python while it solves, and each call must take Python's lock. A
    solve in a worker thread then waits whenever another thread runs Python code: on
    the 2-core development machine (December 2026) one point of the zhejiang risk
    frontier took 0.98-1.14 s beside a busy Python thread against 0.73-0.76 s alone;
    without the callback 0.71 s and 0.70 s. A plan's frontier and robustness solves run
    in threads beside the report's drawing, and the web app's beside its server. For a
    whole ``oicplan plan --scenario zhejiang`` the difference was within the machine's
    noise (median of 8 alternating runs: 8.32 s without the callback, 8.50 s with).
    highspy without ``disableCallbacks`` is left as it is.
    """
    disable = getattr(h, "disableCallbacks", None)
    if disable is not None:
        disable()


class NoSolutionError(OicplanError):
    """The solver stopped (time limit, ...) before it found any feasible solution."""


@dataclass
class Mip:
    """Columns and sparse row blocks of a mixed-integer program under construction."""

    maximize: bool = False
    offset: float = 0.0
    _cost: list[np.ndarray] = field(default_factory=list)
    _lower: list[np.ndarray] = field(default_factory=list)
    _upper: list[np.ndarray] = field(default_factory=list)
    _integer: list[np.ndarray] = field(default_factory=list)
    _rows: list[np.ndarray] = field(default_factory=list)
    _cols: list[np.ndarray] = field(default_factory=list)
    _vals: list[np.ndarray] = field(default_factory=list)
    _row_lower: list[np.ndarray] = field(default_factory=list)
    _row_upper: list[np.ndarray] = field(default_factory=list)
    num_col: int = 0
    num_row: int = 0

    def add_vars(self, n: int, *, cost=0.0, lower=0.0, upper=1.0, integer=False) -> np.ndarray:
        """Append ``n`` variables; return their column indices."""
        idx = np.arange(self.num_col, self.num_col + n)
        self._cost.append(np.broadcast_to(np.asarray(cost, float), n).copy())
        self._lower.append(np.broadcast_to(np.asarray(lower, float), n).copy())
        self._upper.append(np.broadcast_to(np.asarray(upper, float), n).copy())
        self._integer.append(np.broadcast_to(np.asarray(integer, bool), n).copy())
        self.num_col += n
        return idx

    def add_rows(self, n: int, local_row, cols, vals, *, lower, upper) -> np.ndarray:
        """Append ``n`` rows given as triplets; return their row indices.

        ``local_row`` counts from 0 within this block; ``lower`` and ``upper``
        are scalars or one value per row.
        """
        idx = np.arange(self.num_row, self.num_row + n)
        local_row = np.asarray(local_row, dtype=np.int64)
        self._rows.append(local_row + self.num_row)
        self._cols.append(np.asarray(cols, dtype=np.int64))
        self._vals.append(np.broadcast_to(np.asarray(vals, float), local_row.shape).copy())
        self._row_lower.append(np.broadcast_to(np.asarray(lower, float), n).copy())
        self._row_upper.append(np.broadcast_to(np.asarray(upper, float), n).copy())
        self.num_row += n
        return idx

    def relaxation(self) -> Mip:
        """The same model with every variable continuous (shares the blocks)."""
        return replace(self, _integer=[np.zeros(self.num_col, bool)])

    def set_bounds(self, cols, lower, upper) -> None:
        """Change the bounds of columns ``cols`` (scalars or one value per column)."""
        lo, hi = np.concatenate(self._lower), np.concatenate(self._upper)
        lo[cols], hi[cols] = lower, upper
        self._lower, self._upper = [lo], [hi]

    def to_highs(self) -> highspy.Highs:
        """Hand the model to a fresh, silent HiGHS instance in one ``passModel`` call."""
        h = _new_highs()
        cat = np.concatenate
        rows = cat(self._rows) if self._rows else np.zeros(0, np.int64)
        cols = cat(self._cols) if self._cols else np.zeros(0, np.int64)
        vals = cat(self._vals) if self._vals else np.zeros(0)
        a = sparse.csc_matrix((vals, (rows, cols)), shape=(self.num_row, self.num_col))
        a.sum_duplicates()
        inf = highspy.kHighsInf
        lower_r = cat(self._row_lower) if self._row_lower else np.zeros(0)
        upper_r = cat(self._row_upper) if self._row_upper else np.zeros(0)
        integrality = np.where(cat(self._integer), 1, 0).astype(np.int32)
        sense = highspy.ObjSense.kMaximize if self.maximize else highspy.ObjSense.kMinimize
        status = h.passModel(
            self.num_col,
            self.num_row,
            int(a.nnz),
            int(highspy.MatrixFormat.kColwise),
            int(sense),
            float(self.offset),
            cat(self._cost),
            np.clip(cat(self._lower), -inf, inf),
            np.clip(cat(self._upper), -inf, inf),
            np.clip(lower_r, -inf, inf),
            np.clip(upper_r, -inf, inf),
            a.indptr.astype(np.int32),
            a.indices.astype(np.int32),
            a.data.astype(np.float64),
            integrality,
        )
        if status == highspy.HighsStatus.kError:
            raise RuntimeError("HiGHS rejected the model (this is a bug in oicplan)")
        return h


def check_limits(time_limit: float | None, mip_gap: float | None) -> None:
    """Reject a non-positive time limit or a negative gap before any work is done."""
    if time_limit is not None and not time_limit > 0:
        raise InputError(f"time limit must be positive, got {time_limit}", field="time_limit")
    if mip_gap is not None and not mip_gap >= 0:
        raise InputError(f"MIP gap must be >= 0, got {mip_gap}", field="mip_gap")


@dataclass(frozen=True)
class MipOutcome:
    """What a finished HiGHS run produced.

    ``status`` is ``"optimal"`` or ``"feasible"``; ``gap`` is the relative MIP gap
    ``|primal - bound| / |primal|`` (``None`` when optimal, or when feasible but
    no bound is known at all); ``stopped_by`` says why a feasible run stopped
    (``"time limit"``, ``"MIP gap"``, ...; ``None`` when optimal).
    """

    status: str
    values: np.ndarray
    objective: float
    gap: float | None
    seconds: float
    stopped_by: str | None = None


def solve_mip(
    mip: Mip,
    *,
    model: str,
    time_limit: float | None = None,
    mip_gap: float | None = None,
    start: np.ndarray | None = None,
    infeasible_reason: str = "no choice of facilities satisfies all constraints",
    bound: float | None = None,
    options: dict[str, object] | None = None,
) -> MipOutcome:
    """Solve ``mip`` with HiGHS and check the outcome.

    Parameters
    ----------
    mip : Mip
        The model.
    model : str
        Name used in messages (``"LSCP"``, ...).
    time_limit : float, optional
        Seconds HiGHS may run.
    mip_gap : float, optional
        Relative gap at which HiGHS may stop; a run stopped with a positive gap
        is reported ``feasible``, not ``optimal``.
    start : numpy.ndarray, optional
        A feasible value for every column, given to HiGHS as a warm start.
    infeasible_reason : str
        Why the model is infeasible, for the error message.
    bound : float, optional
        A valid bound on the optimum known in advance (lower for minimising,
        upper for maximising). Used for the gap when HiGHS stops before it has
        a bound of its own, so that a stopped run still reports a finite gap.
    options : dict, optional
        Further HiGHS options (name -> value), e.g. ``{"presolve": "off"}``.

    Raises
    ------
    InfeasibleError
        HiGHS proved that the model has no feasible solution.
    NoSolutionError
        HiGHS stopped (time limit, ...) before finding any feasible solution.
    """
    t0 = time.perf_counter()
    h = mip.to_highs()
    check_limits(time_limit, mip_gap)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", DEFAULT_MIP_GAP if mip_gap is None else float(mip_gap))
    for name, value in (options or {}).items():
        if h.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise RuntimeError(f"HiGHS rejected option {name}={value!r} (a bug in oicplan)")
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.asarray(start, float).tolist()
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    seconds = time.perf_counter() - t0

    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == highspy.kSolutionStatusFeasible
    if status == highspy.HighsModelStatus.kOptimal:
        gap = float(info.mip_gap) if mip.num_col else 0.0
        # HiGHS calls a run optimal once the gap is within mip_rel_gap; only a gap
        # at our own default tolerance deserves the word "optimal".
        label = "optimal" if not (gap > DEFAULT_MIP_GAP) else "feasible"
        stopped_by = None if label == "optimal" else "MIP gap"
    elif status in _STOPPED_EARLY:
        if not has_solution:
            raise NoSolutionError(
                f"{model}: no feasible solution found before the {_STOPPED_EARLY[status]} "
                f"({seconds:.2f} s); allow more time"
            )
        label, gap = "feasible", float(info.mip_gap)
        stopped_by = _STOPPED_EARLY[status]
    elif status in (highspy.HighsModelStatus.kInfeasible,
                    highspy.HighsModelStatus.kUnboundedOrInfeasible):
        raise InfeasibleError(f"{model} infeasible: {infeasible_reason}")
    else:
        raise RuntimeError(
            f"{model}: HiGHS ended with model status {h.modelStatusToString(status)!r}"
        )
    values = np.asarray(h.getSolution().col_value, dtype=float)
    objective = float(info.objective_function_value)
    of_values = float(np.concatenate(mip._cost) @ values) + mip.offset if mip.num_col else 0.0
    if start is not None and mip.num_col and abs(
        of_values - objective
    ) > 1e-6 * max(1.0, abs(objective)):
        # HiGHS 1.16 can hand back the user's start instead of the optimum when
        # presolve reduces the model to nothing (seen with the layout model's rank
        # columns); the values then do not give the objective: solve again without it.
        try:
            return solve_mip(mip, model=model, time_limit=time_limit, mip_gap=mip_gap,
                             infeasible_reason=infeasible_reason, bound=bound,
                             options=options)
        except NoSolutionError:
            if stopped_by is None:
                raise
            # Stopped again, now with nothing: keep the layout handed back (a
            # solution), valued by its own objective against HiGHS's bound.
            objective = of_values
            gap = abs(objective - float(info.mip_dual_bound)) / max(abs(objective), 1e-12)
    if not math.isfinite(gap):
        gap = None
        if bound is not None:
            gap = abs(objective - bound) / max(abs(objective), 1e-12)
    return MipOutcome(
        status=label,
        values=values,
        objective=objective,
        gap=None if label == "optimal" else gap,
        seconds=seconds,
        stopped_by=stopped_by,
    )
