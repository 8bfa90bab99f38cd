"""Why a layout model is infeasible: which named constraint groups conflict.

The layout model's constraints come in named groups ("max 4 centers", "at most
1 per country", "at least 3 in S&T-leader destinations", ...). The structural
rows (one mode per site, assignment, phasing) are always satisfiable by
opening nothing, so an infeasible model always has a conflict among the groups.

:func:`explain_infeasible` finds

* an *irreducible* conflicting set by deletion filtering over groups
  (Chinneck & Dravnieks 1991, applied to groups instead of single rows): drop
  each group in turn and keep it dropped while the rest stays infeasible; the
  groups left conflict, and dropping any one of them resolves that conflict;
* the groups whose relaxation *alone* makes the whole model feasible.

Each test is a feasibility MIP over the opening variables only (the demand
assignment can always be empty, so it never causes infeasibility).

Reference: Chinneck, J. W., & Dravnieks, E. W. (1991). Locating minimal
infeasible constraint sets in linear programs. *ORSA Journal on Computing*,
3(2), 157-168.

>>> from oicplan.optimize.layout import Layout
>>> m = Layout.from_arrays(quality=[1, 1, 1], max_centers=1, min_centers=2)
>>> explain_infeasible(m).message
"infeasible: 'at least 2 centers' conflicts with 'max 1 centers'"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from oicplan.errors import InfeasibleError
from oicplan.optimize._highs import NoSolutionError, solve_mip
from oicplan.optimize.layout_solve import _MODEL, solver_options

__all__ = ["Conflict", "explain_infeasible", "is_feasible"]

# Groups that ask for something to open are named first in messages.
_DEMANDING = ("min_centers", "group:", "existing:")


@dataclass(frozen=True)
class Conflict:
    """An explanation of infeasibility.

    Attributes
    ----------
    groups : list of str
        Labels of an irreducible set of constraint groups that cannot hold together.
    keys : list of str
        Their keys in :meth:`Layout.constraint_groups`.
    sufficient : list of str
        Labels of the groups whose relaxation alone makes the model feasible
        (may be empty when two or more must be relaxed).
    message : str
        One line for the user.
    """

    groups: list[str]
    keys: list[str]
    sufficient: list[str]
    message: str


def is_feasible(model: Any, active: Iterable[str] | None = None,
                time_limit: float | None = None) -> bool:
    """Whether some layout of ``model`` meets its structural rows and the ``active`` groups.

    A test that runs out of time counts as feasible (it does not blame the groups).
    """
    mip, _ = model._assemble(objective="none", active=active, assignment=False)
    try:
        solve_mip(mip, model=_MODEL, time_limit=time_limit,
                  options=solver_options(model, "none"))
    except InfeasibleError:
        return False
    except NoSolutionError:
        return True  # unknown: do not blame this group
    return True


def _quote_list(labels: list[str]) -> str:
    quoted = [f"'{x}'" for x in labels]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _order(key: str) -> int:
    return 0 if key.startswith(_DEMANDING) else 1


def explain_infeasible(model: Any, time_limit: float | None = None) -> Conflict:
    """Name the constraint groups of an infeasible layout ``model`` that conflict.

    Parameters
    ----------
    model : oicplan.optimize.layout.Layout
        Any object with ``constraint_groups()`` and ``is_feasible(active, time_limit)``.
    time_limit : float, optional
        Seconds per feasibility test; a test that runs out of time counts as
        feasible, so the answer may then name more groups than necessary.

    Returns
    -------
    Conflict
    """
    groups = model.constraint_groups()
    label = dict(groups)
    keys = [k for k, _ in groups]
    if model.is_feasible(keys, time_limit):
        return Conflict([], [], [], "feasible: no constraint groups conflict")
    # Deletion filter.
    kept = list(keys)
    for key in keys:
        trial = [k for k in kept if k != key]
        if not model.is_feasible(trial, time_limit):
            kept = trial
    kept.sort(key=lambda k: (_order(k), keys.index(k)))
    names = [label[k] for k in kept]
    # Single groups whose removal makes the whole model feasible.
    if len(kept) == 1:
        sufficient = [names[0]] if model.is_feasible(
            [k for k in keys if k != kept[0]], time_limit) else []
    else:
        sufficient = [label[k] for k in kept
                      if model.is_feasible([g for g in keys if g != k], time_limit)]
    if len(names) == 1:
        message = f"infeasible: '{names[0]}' cannot be met on its own"
    else:
        message = f"infeasible: '{names[0]}' conflicts with {_quote_list(names[1:])}"
    if sufficient and len(sufficient) < len(names):
        message += f"; relaxing {_quote_list(sufficient)} alone would make it feasible"
    elif not sufficient:
        message += "; other groups conflict as well, so relaxing one of these is not enough"
    return Conflict(names, kept, sufficient, message)
