"""The layout model: which sites open, in which center mode, and in which plan year.

:class:`Layout` chooses a set of overseas innovation centers that together serve
the home region's industries (or its enterprises) best, under limits on number,
money, risk and spread, optionally phased over a horizon of years. It is built
from plain arrays (:meth:`Layout.from_arrays`, which is what the tests use) or
from a ranking of candidate sites (:meth:`Layout.from_ranking`).

Besides one solve it answers three planning questions:

* :meth:`Layout.pareto` -- how much benefit does each extra unit of cost (or of
  risk) buy? (epsilon-constraint frontier, :func:`pareto_figure` draws it);
* :meth:`Layout.robustness` -- which sites stay chosen when the site qualities
  move (e.g. Monte Carlo samples of the ranking)?
* when no layout satisfies every constraint, the :class:`~oicplan.errors.InfeasibleError`
  names a set of constraint groups that conflict (see :mod:`.layout_diagnose`).

>>> m = Layout.from_arrays([[0.9, 0.2], [0.3, 0.8]], max_centers=1).solve()
>>> m.status, m.objective, m.chosen["site_id"].tolist()
('optimal', 1.2, [0])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from oicplan.errors import InfeasibleError, InputError
from oicplan.notes import note
from oicplan.optimize import layout_diagnose, layout_diversify, layout_solve, layout_tradeoffs
from oicplan.optimize._highs import Mip, MipOutcome
from oicplan.optimize._layout_rows import (
    _assign_rows,
    _capacity_rows,
    _count_column,
    _Expr,
    _expr_row,
    _fmt,
    _Group,
    _link_rows,
    _one_mode_rows,
    _per_label_rows,
    _phase_rows,
    _Vars,
    _year_budget_row,
    pair_shares,
    tied_pairs,
)
from oicplan.optimize.layout_diagnose import Conflict, explain_infeasible
from oicplan.optimize.layout_figures import pareto_figure, save_svg
from oicplan.optimize.layout_inputs import (
    GroupRule,
    LayoutInputs,
    _finite,
    _native,
    _site_mode,
    build_inputs,
    read_layout_costs,
)
from oicplan.optimize.layout_scenario import (
    MODE_FIT_WEIGHT,
    OTHER_MODE_FACTOR,
    PLACEHOLDER_CAPACITY,
    PLACEHOLDER_COSTS,
    PLACEHOLDER_INDUSTRIES,
    region_members,
)

__all__ = [
    "MODE_FIT_WEIGHT",
    "OTHER_MODE_FACTOR",
    "PLACEHOLDER_CAPACITY",
    "PLACEHOLDER_COSTS",
    "PLACEHOLDER_INDUSTRIES",
    "GroupRule",
    "Layout",
    "LayoutInputs",
    "pareto_figure",
    "read_layout_costs",
    "region_members",
    "save_svg",
]


class Layout:
    r"""Open sites in center modes (and plan years) to serve home industries best.

    Each home industry or enterprise d (a *demand*) is served by at most one
    open center; its benefit is its priority times the match quality of that
    center, so it picks the best match among the open centers that can serve
    it (a maximal-coverage / p-median hybrid). Every open center also earns a
    weighted site-quality term from the ranking engine.

    Formulation::

        (1)  maximise  sum_{(d,j) in P} w_d a_dj x_dj  +  lam * sum_j q_j u_j
        (2)  s.t.  sum_{j: (d,j) in P} x_dj <= 1                  for every demand d
        (3)        x_dj <= y_j                                    for every (d,j) in P
        (3')       x_dv <= sum_{j: a_dj = v} y_j   instead, without capacities (``tied_pairs``)
        (4)        sum_{m: (s,m) in J} y_sm <= 1                  for every site s
        (5)        K_min <= sum_j y_j <= K
        (5')       N = sum_j y_j,  N whole, 0 <= N <= K               (one column, see below)
        (6)        sum_{j not in E} c_j <= B
        (7)        sum_{j in J_c} y_j <= N_c                      for every country c
        (8)        L_g <= sum_{j in G_g} y_j <= U_g               for every group rule g
        (9)        sum_j r_j y_j <= R   and/or   sum_j (r_j - Rbar) y_j <= 0
        (10)       sum_{m: (s,m) in J} y_sm >= 1                  for every existing site s
        (11)       sum_d n_d x_dj <= Q_j y_j                      for every j with a capacity
        (12)       y_j = sum_t z_jt                               for every new j (phased)
        (13)       sum_{j not in E} (f_j z_jt + g_j sum_{tau<t} z_j,tau) <= B_t   every t
        (14)       y, z binary; 0 <= x <= 1 (binary when capacitated and not split)

    (5') only names the count of open centers (``_count_column``) so HiGHS can branch on it.

    With a diminishing return ``delta < 1`` (``diminishing_return``) the open
    centers of one economy are ranked by their quality term and the k-th counts
    ``delta^(k-1)`` of it: rows (15)-(17) and continuous rank columns of
    :mod:`.layout_diversify` (exact; none with ``delta = 1``).

    Static model: ``u_j = y_j`` and ``c_j = (f_j + g_j) y_j`` (set-up plus one
    year of running). Phased model over T years: ``c_j = sum_t (f_j + g_j (T - t))
    z_jt`` (set-up in the opening year, running cost in every later year of the
    horizon) and ``u_j = sum_t z_jt (T - t + 1) / T`` for new options
    (``u_j = y_j`` for existing ones), so quality counts for the share of the
    horizon a center is open and earlier openings are worth more.

    =============  ==========================================================
    symbol         meaning
    =============  ==========================================================
    s, m           candidate site, center mode
    j = (s, m)     an available option; J all of them, E those of existing sites
    d              demand: a home industry, enterprise or enterprise class
    t = 1..T       plan year (phased model only)
    P              pairs (d, j) with a_dj > 0 (optionally only the top-L per d)
    w_d, n_d       priority and size (for capacity) of demand d
    a_dj           match quality of option j for demand d
    q_j, lam       site quality of option j and its weight
    f_j, g_j       set-up cost and annual running cost of option j
    r_j            risk of option j; R total cap, Rbar cap on the mean
    K, K_min       most / fewest centers (existing ones included)
    B, B_t         total budget, budget of year t (existing centers cost nothing)
    N_c            most centers in one country
    G_g, L_g, U_g  members and bounds of group rule g (region, strategy, ...)
    Q_j            capacity of option j in units of demand size
    y_j            1 if option j is open at the end of the horizon
    x_dj           share of demand d served by option j
    z_jt           1 if new option j opens in year t
    =============  ==========================================================

    Constraint groups (5)-(10) and (13) carry names such as ``'max 4 centers'``;
    when the model is infeasible they are what the error message names.

    Large models (at least ``_LARGE_BINARIES`` binaries y and z, benefit
    objective) first get a MIP start from a restricted model (a greedy pass picks
    a few hundred candidate options; :func:`.layout_solve.heuristic_start`), then
    the full model is solved exactly as formulated (root LP by interior point), so
    the reported status and gap are HiGHS's own for (1)-(14): the start only lets
    the solve stop as soon as the bound is close, it never changes what is optimal.

    Examples
    --------
    Two industries, two sites, one mode; with one center, site 1 serves both
    at 0.2 + 0.8 plus 0.1 x its quality 0.6:

    >>> m = Layout.from_arrays([[0.9, 0.2], [0.1, 0.8]], quality=[0.5, 0.6],
    ...                        quality_weight=0.1, max_centers=1).solve()
    >>> m.chosen[["site_id", "mode"]].values.tolist(), round(m.objective, 6)
    ([[1, 0]], 1.06)
    """

    def __init__(self, inputs: LayoutInputs) -> None:
        self.inputs = inputs
        self.status: str | None = None
        self.objective: float | None = None
        self.gap: float | None = None
        # The solved y, x, z columns: a start for a copy with other qualities.
        self.solution_values: np.ndarray | None = None
        self.solve_seconds: float | None = None
        self.chosen: pd.DataFrame = pd.DataFrame()
        self.assignment: dict[Any, dict[str, Any]] = {}
        self.benefit: dict[str, float] = {}
        self.cost: float | None = None
        self.total_risk: float | None = None
        self.conflict: Conflict | None = None

    # -- constructors -------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        match: Any = None,
        quality: Any = None,
        *,
        priority: Any = None,
        quality_weight: float = 1.0,
        site_ids: Sequence[Any] | None = None,
        modes: Sequence[Any] | None = None,
        demand_ids: Sequence[Any] | None = None,
        available: Any = None,
        top_l: int | None = None,
        max_centers: int | None = None,
        min_centers: int | None = None,
        setup_cost: Any = None,
        annual_cost: Any = None,
        budget: float | None = None,
        country: Sequence[Any] | None = None,
        max_per_country: int | None = None,
        groups: Iterable[GroupRule] | None = None,
        risk: Any = None,
        max_total_risk: float | None = None,
        max_mean_risk: float | None = None,
        existing: Any = None,
        capacity: Any = None,
        demand_size: Any = None,
        split_demand: bool = False,
        horizon: int | None = None,
        annual_budget: Any = None,
        years: Sequence[Any] | None = None,
        notes: Iterable[str] = (),
        assumptions: Iterable[str] = (),
        diminishing_return: float | None = None,
        diversity_group: Sequence[Any] | None = None,
    ) -> Layout:
        """Build the model from arrays; every argument except the data is optional.

        Parameters
        ----------
        match : array-like, optional
            Match quality ``a``: ``(n_demands, n_sites)`` (same for every mode)
            or ``(n_demands, n_sites, n_modes)``. Entries ``<= 0`` or NaN mean
            "cannot serve". Omit for a model with the quality term only.
        quality : array-like, optional
            Site quality ``q`` per site ``(n_sites,)`` or site and mode; default 0.
        priority : array-like, optional
            Priority ``w`` per demand (default 1).
        quality_weight : float
            Weight ``lam`` of the quality term.
        site_ids, modes, demand_ids : sequence, optional
            Ids (default ``0, 1, ...``; one mode unless the shapes say more).
        available : array-like of bool, optional
            ``(n_sites, n_modes)``: which modes a site can take (default all).
        top_l : int, optional
            Keep only the ``top_l`` best-matching options per demand (scales).
        max_centers, min_centers : int, optional
            Bounds (5) on the number of open centers, existing ones included.
        setup_cost, annual_cost : number, array or dict by mode, optional
            ``f`` and ``g`` (default 0).
        budget : float, optional
            Total budget ``B`` (6).
        country : sequence, optional
            Country code per site, with ``max_per_country`` for (7).
        groups : iterable of GroupRule, optional
            Eligibility sets with bounds (8), e.g. one per layout strategy.
        risk : array-like, optional
            Risk per site or per site and mode, with ``max_total_risk`` and/or
            ``max_mean_risk`` for (9).
        existing : sequence of site ids or dict site id -> mode, optional
            Centers that stay open (10); a dict also fixes their mode.
        capacity : number, array or dict by mode, optional
            ``Q`` (11) in units of ``demand_size`` (default 1 per demand).
        split_demand : bool
            Let a demand be shared between centers (for aggregated demand
            classes); otherwise capacitated assignment is single-sourced.
        horizon : int, optional
            Number of plan years T: makes the model phased (12)-(13).
        annual_budget : number or sequence of T numbers, optional
            ``B_t`` (13); needs ``horizon``.
        years : sequence, optional
            Labels of the plan years (default ``1..T``).
        notes, assumptions : iterable of str
            Carried into :meth:`to_dict` (assumptions label placeholder inputs).
        diminishing_return : float, optional
            ``delta`` in (0, 1]: the k-th open center of a diversity group counts
            ``delta^(k-1)`` of its quality term (default 1: every center in full).
        diversity_group : sequence, optional
            Group label per site for ``diminishing_return`` (default: ``country``).

        Examples
        --------
        One industry; site 0 matches best but costs more than the budget:

        >>> m = Layout.from_arrays([[1.0, 0.5, 0.2]], max_centers=1,
        ...     setup_cost=[3.0, 1.0, 1.0], budget=2).solve()
        >>> m.chosen["site_id"].tolist(), m.objective
        ([1], 0.5)
        """
        args = dict(locals())
        del args["cls"]
        return cls(build_inputs(**args))

    @classmethod
    def from_ranking(cls, ranked: Any, **options: Any) -> Layout:
        """Build the model for a scenario from its ranked candidate sites.

        ``ranked`` is the ranking of the scenario's candidates
        (:class:`oicplan.ranking.RankedSites` or any object with its ``scenario``,
        ``table``, ``method``, ``notes`` and optional ``match``); the options
        (``max_centers``, ``budget``, ``horizon``, ``costs``, ``min_per_strategy``,
        ``min_per_region``, ``enterprises``, ``capacity``, ...) and how the site
        quality, demands, costs and strategy groups are made are described in
        :func:`oicplan.optimize.layout_scenario.from_ranking`.
        """
        from oicplan.optimize.layout_scenario import from_ranking

        return from_ranking(cls, ranked, **options)

    def _rank_spec(self) -> layout_diversify.RankSpec | None:
        """The rank columns of the diminishing return (computed once per rank levels)."""
        levels = self.__dict__.setdefault("_rank_levels", {})
        key = tuple(sorted(levels.items()))
        if self.__dict__.get("_ranks_key") != key:
            self._ranks = layout_diversify.rank_spec(self.inputs, self._new_options(), levels)
            self._ranks_key = key
        return self._ranks

    def _grow_ranks(self, values: np.ndarray, v: _Vars) -> bool:
        """More ranks for groups a solution fills beyond them; True: solve again."""
        spec = self._rank_spec()
        if spec is None or v.r is None:
            return False
        return layout_diversify.grow_levels(spec, values, v.y, self._rank_levels)

    def _with(self, **changes: Any) -> Layout:
        return type(self)(replace(self.inputs, **changes))

    def unsolved_copy(self) -> Layout:
        """The same model, unsolved, with the diminishing return's ranks found so far.

        For another thread, or a fresh solve of the same (shared, checked) inputs.

        >>> m = Layout.from_arrays(quality=[1.0, 2.0], max_centers=1).solve()
        >>> copy = m.unsolved_copy()
        >>> copy.status is None, copy.inputs is m.inputs
        (True, True)
        """
        copy = type(self)(self.inputs)
        if "_rank_levels" in self.__dict__:
            copy._rank_levels = dict(self._rank_levels)
        return copy

    def with_quality(self, quality: Any) -> Layout:
        """A copy of the (unsolved) model with other site qualities.

        ``quality`` is per site ``(n_sites,)`` or per site and mode. When the
        match is the placeholder "match = site score" it follows the new
        quality too.

        >>> m = Layout.from_arrays(quality=[1.0, 2.0], max_centers=1)
        >>> m.with_quality([3.0, 2.0]).solve().chosen["site_id"].tolist()
        [0]
        """
        d = self.inputs
        q = _site_mode(quality, "quality", len(d.site_ids), d.modes, 0.0)
        _finite(q, "quality", nonneg=False)
        q = q[d.opt_site, d.opt_mode]
        changes: dict[str, Any] = {"quality": q}
        if d.match_placeholder:
            changes["pair_a"] = q[d.pair_j]
        return self._with(**changes)

    # -- model assembly -----------------------------------------------------

    @property
    def phased(self) -> bool:
        """True when the model has a horizon of plan years."""
        return self.inputs.horizon is not None

    def _new_options(self) -> np.ndarray:
        d = self.inputs
        is_old = np.zeros(d.opt_site.size, bool)
        for opts in d.existing.values():
            is_old[opts] = True
        return np.flatnonzero(~is_old)

    def _expr(self, kind: str) -> _Expr:
        """Coefficients of benefit, cost or risk over (y, x, z)."""
        d = self.inputs
        n_j, new = d.opt_site.size, self._new_options()
        T = d.horizon
        y = np.zeros(n_j)
        z = None if T is None else np.zeros((new.size, T))
        if kind == "benefit":
            lam_q = d.quality_weight * d.quality
            if T is None:
                y = lam_q.copy()
            else:
                y[:] = lam_q
                y[new] = 0.0
                z = lam_q[new][:, None] * (T - np.arange(T))[None, :] / T
            spec = self._rank_spec()
            return _Expr(y, d.priority[d.pair_d] * d.pair_a, z,
                         None if spec is None else -spec.loss)
        if kind == "cost":
            if T is None:
                y[new] = d.setup[new] + d.annual[new]
            else:
                z = d.setup[new][:, None] + d.annual[new][:, None] * (T - 1 - np.arange(T))
            return _Expr(y, None, z)
        if kind == "risk":
            if d.risk is None:
                raise InputError("the model has no risk per site", field="risk")
            return _Expr(d.risk.copy(), None, z)
        raise ValueError(kind)

    def _groups(self) -> list[_Group]:
        """The named, switchable constraint groups (5)-(10) and (13)."""
        d = self.inputs
        out: list[_Group] = []
        ones = np.ones(d.opt_site.size)
        if d.max_centers is not None:
            k = d.max_centers
            out.append(_Group("max_centers", note("max_centers", k=k),
                              lambda mip, v, k=k: _expr_row(mip, v, _Expr(ones), -np.inf, k)))
        if d.min_centers is not None:
            k = d.min_centers
            out.append(_Group("min_centers", note("min_centers", k=k),
                              lambda mip, v, k=k: _expr_row(mip, v, _Expr(ones), k, np.inf)))
        if d.budget is not None:
            cost = self._expr("cost")
            out.append(_Group("budget", note("budget", budget=_fmt(d.budget)),
                              lambda mip, v: _expr_row(mip, v, cost, -np.inf, d.budget)))
        if d.annual_budget is not None:
            new = self._new_options()
            for t, b in enumerate(d.annual_budget.tolist()):
                out.append(_Group(
                    f"year_budget:{t}", note("year_budget", budget=_fmt(b), year=d.years[t]),
                    lambda mip, v, t=t, b=b: _year_budget_row(
                        mip, v.z, d.setup[new], d.annual[new], t, b)))
        if d.max_per_country is not None:
            n = d.max_per_country
            labels = d.country[d.opt_site]
            held = Counter(d.country[s] for s in d.existing)
            over = {c: k for c, k in held.items() if k > n}
            label = note("per_country", n=n) if not over else note(
                "per_country_over", n=n, over=", ".join(
                    note("per_country_existing", iso3=c, k=k) for c, k in sorted(over.items())))
            out.append(_Group("per_country", label,
                              lambda mip, v: _per_label_rows(mip, v.y, labels, n, over)))
        for g, (label, mask, lo, hi) in enumerate(d.groups):
            e = _Expr(mask.astype(float))
            out.append(_Group(
                f"group:{g}", label,
                lambda mip, v, e=e, lo=lo, hi=hi: _expr_row(
                    mip, v, e, -np.inf if lo is None else lo, np.inf if hi is None else hi)))
        if d.max_total_risk is not None:
            e = self._expr("risk")
            out.append(_Group("total_risk", note("total_risk", cap=_fmt(d.max_total_risk)),
                              lambda mip, v: _expr_row(mip, v, e, -np.inf, d.max_total_risk)))
        if d.max_mean_risk is not None:
            e = _Expr(d.risk - d.max_mean_risk)
            out.append(_Group("mean_risk", note("mean_risk", cap=_fmt(d.max_mean_risk)),
                              lambda mip, v: _expr_row(mip, v, e, -np.inf, 0.0)))
        for s, opts in d.existing.items():
            mask = np.zeros(d.opt_site.size)
            mask[opts] = 1.0
            out.append(_Group(f"existing:{s}", note("existing_open", site=d.site_ids[s]),
                              lambda mip, v, e=_Expr(mask): _expr_row(mip, v, e, 1.0, np.inf)))
        return out

    def constraint_groups(self) -> list[tuple[str, str]]:
        """``(key, label)`` of every switchable constraint group, in model order.

        >>> Layout.from_arrays(quality=[1, 2], max_centers=1).constraint_groups()
        [('max_centers', 'max 1 centers')]
        """
        return [(g.key, g.label) for g in self._groups()]

    def _assemble(
        self,
        *,
        objective: str = "benefit",
        active: Iterable[str] | None = None,
        assignment: bool = True,
        bounds: Sequence[tuple[str, float, float]] = (),
        fixed: tuple[np.ndarray, np.ndarray | None] | None = None,
        allowed: np.ndarray | None = None,
    ) -> tuple[Mip, _Vars]:
        """Build the MIP; ``objective`` is benefit (max), cost or risk (min) or none.

        ``fixed`` gives values for y and z (0/1) that the model must keep;
        ``allowed`` (a mask over options) closes every option outside it, which
        keeps the columns of the full model (a solution is one of the full model).
        """
        d = self.inputs
        n_j, new = d.opt_site.size, self._new_options()
        T = d.horizon
        if objective == "none":
            obj = _Expr(np.zeros(n_j), np.zeros(d.pair_d.size),
                        None if T is None else np.zeros((new.size, T)))
        else:
            obj = self._expr(objective)
        mip = Mip(maximize=objective == "benefit")
        y_lo, y_hi = (0.0, 1.0) if fixed is None else (fixed[0], fixed[0])
        if allowed is not None:
            y_hi = np.where(allowed, y_hi, 0.0)
        y = mip.add_vars(n_j, cost=obj.y, lower=y_lo, upper=y_hi, integer=True)
        x = x_pair = pair_x = None
        if assignment and d.pair_d.size:
            x_int = d.capacity is not None and not d.split_demand
            x_cost = obj.x if obj.x is not None else np.zeros(d.pair_d.size)
            if d.capacity is None and not d.match_placeholder:  # (3'): tied pairs share x
                x_pair, pair_x = tied_pairs(d.pair_d, d.pair_a)
                x_cost = x_cost[x_pair]
            x = mip.add_vars(x_cost.size, cost=x_cost, integer=x_int)
        z = None
        if T is not None:
            z_cost = obj.z if obj.z is not None else np.zeros((new.size, T))
            z_lo, z_hi = (0.0, 1.0) if fixed is None else (fixed[1].ravel(), fixed[1].ravel())
            if allowed is not None:
                z_hi = np.where(np.repeat(allowed[new], T), z_hi, 0.0)
            z = mip.add_vars(new.size * T, cost=z_cost.ravel(), lower=z_lo, upper=z_hi,
                             integer=True).reshape(-1, T)
        wanted = None if active is None else set(active)
        n = None
        if layout_solve.binaries(self) < layout_solve._LARGE_BINARIES:  # (5')
            most = np.unique(d.opt_site).size
            if d.max_centers is not None and (wanted is None or "max_centers" in wanted):
                most = min(most, d.max_centers)
            n = _count_column(mip, y, most)
        r = None
        spec = self._rank_spec()
        if spec is not None and active is None and (
                objective == "benefit" or any(k == "benefit" for k, _, _ in bounds)):
            r = mip.add_vars(spec.loss.size, cost=obj.r if objective == "benefit" else 0.0,
                             upper=np.inf)
            layout_diversify.add_rank_rows(mip, spec, y, z, new, r)
        v = _Vars(y, x, z, r, n, x_pair, pair_x)

        _one_mode_rows(mip, y, d.opt_site)
        if x is not None:
            _assign_rows(mip, x, d.pair_d if x_pair is None else d.pair_d[x_pair],
                         len(d.demand_ids))
            _link_rows(mip, x, y, d.pair_j, pair_x)
            if d.capacity is not None:
                _capacity_rows(mip, x, y, d.pair_j, d.size[d.pair_d], d.capacity)
        if z is not None:
            _phase_rows(mip, y[new], z)
        for g in self._groups():
            if wanted is None or g.key in wanted:
                g.add(mip, v)
        for kind, lo, hi in bounds:
            _expr_row(mip, v, self._expr(kind), lo, hi)
        return mip, v

    def _start(self, mip: Mip, v: _Vars) -> np.ndarray:
        """Existing centers open, nothing else: a warm start when it is feasible."""
        start = np.zeros(mip.num_col)
        for opts in self.inputs.existing.values():
            start[v.y[opts[0]]] = 1.0
        return start

    def _run(self, **kw: Any) -> tuple[MipOutcome, _Vars]:
        """Build and solve one MIP (see :func:`oicplan.optimize.layout_solve.run`)."""
        return layout_solve.run(self, **kw)

    def is_feasible(self, active: Iterable[str] | None = None,
                    time_limit: float | None = None) -> bool:
        """Whether some layout satisfies the structural rows and the ``active`` groups.

        >>> Layout.from_arrays(quality=[1, 2], min_centers=3).is_feasible()
        False
        """
        return layout_diagnose.is_feasible(self, active, time_limit)

    def solve(self, time_limit: float | None = None, mip_gap: float | None = None,
              start: np.ndarray | None = None) -> Layout:
        """Solve with HiGHS and store the results on the model; returns ``self``.

        Parameters
        ----------
        time_limit : float, optional
            Seconds HiGHS may run; a run it stops is reported ``feasible`` with
            its ``gap``.
        mip_gap : float, optional
            Relative gap at which HiGHS may stop (then ``feasible`` if positive).
        start : numpy.ndarray, optional
            A layout to start from: ``solution_values`` of a solved copy of the
            model (same sites and modes; the quality may differ).

        Raises
        ------
        oicplan.errors.InfeasibleError
            No layout satisfies all constraints; the message names a set of
            constraint groups that conflict (also in ``conflict``).
        """
        try:
            out, v = self._run(time_limit=time_limit, mip_gap=mip_gap, start=start)
        except InfeasibleError:
            self.conflict = explain_infeasible(self)
            self.status, self.objective, self.gap = "infeasible", None, None
            self.chosen, self.assignment = pd.DataFrame(), {}
            raise InfeasibleError(self.conflict.message) from None
        self.status, self.gap, self.solve_seconds = out.status, out.gap, out.seconds
        self.solution_values = layout_solve.solution_start(out, v)
        self.objective = float(out.objective) + 0.0  # no -0.0
        sol = self._decode(out.values, v)
        self.chosen, self.assignment = sol["chosen"], sol["assignment"]
        self.benefit = sol["benefit"]
        self.cost, self.total_risk = sol["cost"], sol["risk"]
        return self

    def _decode(self, values: np.ndarray, v: _Vars) -> dict[str, Any]:
        d = self.inputs
        yv = values[v.y]
        open_j = np.flatnonzero(yv > 0.5)
        y01 = (yv > 0.5).astype(float)
        zv = None if v.z is None else (values[v.z] > 0.5).astype(float)
        xv = np.zeros(d.pair_d.size) if v.x is None else pair_shares(values, v, yv > 0.5,
                                                                      d.pair_j)
        xv[xv < 1e-9] = 0.0

        def value(e: _Expr) -> float:
            total = float(e.y @ y01)
            if e.x is not None:
                total += float(e.x @ xv)
            if e.z is not None and zv is not None:
                total += float((e.z * zv).sum())
            return total

        ben = self._expr("benefit")
        demand_part = float(ben.x @ xv) if ben.x is not None else 0.0
        year_at = {} if zv is None else {
            int(j): int(np.argmax(zv[k])) for k, j in enumerate(self._new_options().tolist())
            if zv[k].any()}
        quality_part, factor = layout_diversify.option_factors(d, open_j, year_at)
        benefit = {"total": demand_part + quality_part, "demand": demand_part,
                   "quality": quality_part}
        cost = value(self._expr("cost"))
        risk = None if d.risk is None else float(d.risk @ y01)

        year = {}
        if zv is not None:
            new = self._new_options()
            for k, j in enumerate(new.tolist()):
                if zv[k].any():
                    year[j] = d.years[int(np.argmax(zv[k]))]
        served = np.bincount(d.pair_j, weights=xv * d.size[d.pair_d], minlength=yv.size)
        existing = {int(j) for opts in d.existing.values() for j in opts}
        rows = []
        for j in open_j.tolist():
            rows.append({
                "site_id": d.site_ids[d.opt_site[j]],
                "mode": d.modes[d.opt_mode[j]],
                "year": None if j in existing or not self.phased else year.get(j),
                "existing": j in existing,
                "quality": float(d.quality[j]),
                "setup_cost": float(d.setup[j]),
                "annual_cost": float(d.annual[j]),
                "risk": None if d.risk is None else float(d.risk[j]),
                "served": float(served[j]),
                "quality_factor": factor[j],
            })
        chosen = pd.DataFrame(rows, columns=["site_id", "mode", "year", "existing", "quality",
                                             "setup_cost", "annual_cost", "risk", "served",
                                             "quality_factor"])
        chosen["year"] = pd.Series([r["year"] for r in rows], dtype=object)
        assignment: dict[Any, dict[str, Any]] = {}
        if xv.size:
            best = pd.DataFrame({"d": d.pair_d, "j": d.pair_j, "x": xv})
            best = best[best["x"] > 0].sort_values(["d", "x"], ascending=[True, False])
            best = best.drop_duplicates("d")
            for row in best.itertuples(index=False):
                assignment[d.demand_ids[row.d]] = {
                    "site_id": d.site_ids[d.opt_site[row.j]],
                    "mode": d.modes[d.opt_mode[row.j]],
                    "share": round(float(row.x), 9),
                }
        return {"chosen": chosen, "assignment": assignment, "benefit": benefit,
                "cost": cost, "risk": risk}

    # -- trade-offs -----------------------------------------------------------

    def pareto(self, against: str = "cost", points: int = 9, *,
               time_limit: float | None = None, mip_gap: float | None = None,
               chains: int = 1) -> pd.DataFrame:
        """Benefit against cost (or risk) by the epsilon-constraint method.

        The range of the metric runs from its smallest feasible value to its
        value at the benefit optimum; for ``points`` evenly spaced caps eps the
        model maximises benefit subject to ``metric <= eps``, then, at that
        benefit, minimises the metric so that every point is non-dominated.
        Repeated points (same metric and benefit) are dropped; when several
        layouts tie, the one found first is shown.

        Parameters
        ----------
        against : {"cost", "risk"}
            The metric traded against benefit.
        points : int
            Number of caps (at least 2).
        time_limit, mip_gap
            Per solve, as in :meth:`solve`. Every solve starts from a layout
            that meets its bounds, so one stopped by the time limit is
            ``feasible`` with its gap, never without a layout.
        chains : int
            Chains of points solved side by side, in threads of their own
            (:mod:`oicplan.optimize.layout_tradeoffs`); the table is the same.

        Returns
        -------
        pandas.DataFrame
            One row per point, by increasing metric: ``epsilon``, ``benefit``,
            ``cost``, ``risk``, ``centers``, ``sites`` (``site:mode`` joined by
            ``;``), ``status`` (``optimal`` when every solve behind the point is),
            ``gap`` (the largest of their gaps), and the status of each solve:
            ``benefit_status`` (most benefit within the cap), ``metric_status``
            (least metric at that benefit), ``polish_status`` (the assignment
            re-optimised for the layout found). ``attrs["statuses"]`` counts
            the statuses of every solve behind the table, ``attrs["solves"]``
            is their number.

        Examples
        --------
        >>> m = Layout.from_arrays(quality=[3.0, 2.0, 1.0], setup_cost=[4.0, 1.0, 1.0])
        >>> m.pareto(points=3)[["cost", "benefit"]].values.tolist()
        [[0.0, 0.0], [2.0, 3.0], [6.0, 6.0]]
        """
        return layout_tradeoffs.pareto(self, against, points, time_limit=time_limit,
                                       mip_gap=mip_gap, chains=chains)

    def robustness(self, qualities: Any, *, time_limit: float | None = None,
                   mip_gap: float | None = None, start: np.ndarray | None = None,
                   chains: int = 1) -> pd.DataFrame:
        """How often each site is chosen when the site quality varies.

        Parameters
        ----------
        qualities : array-like, shape (k, n_sites) or (k, n_sites, n_modes)
            Alternative quality vectors, e.g. Monte Carlo samples of the ranking.
        time_limit, mip_gap
            Per solve, as in :meth:`solve`.
        start : numpy.ndarray, optional
            ``solution_values`` of a solved copy of the model: the first re-solve
            starts from it, every later one from the one before (in its chain).
        chains : int
            Chains of draws solved side by side, as for :meth:`pareto`.

        Returns
        -------
        pandas.DataFrame
            One row per site chosen at least once: ``site_id``, ``times_chosen``,
            ``share`` (of the k samples), ``modes`` (mode -> count), sorted by
            share. ``attrs``: ``samples`` (k), ``statuses`` (status -> number
            of re-solves with it), ``draw_statuses`` (each re-solve's status, in
            order) and ``max_gap`` (the largest gap; ``None`` if all optimal).

        Examples
        --------
        >>> m = Layout.from_arrays(quality=[1.0, 2.0, 3.0], max_centers=1)
        >>> m.robustness([[1, 2, 3], [3, 2, 1], [1, 3, 2], [1, 2, 4]])[
        ...     ["site_id", "times_chosen"]].values.tolist()
        [[2, 2], [0, 1], [1, 1]]
        """
        return layout_tradeoffs.robustness(self, qualities, time_limit=time_limit,
                                           mip_gap=mip_gap, start=start, chains=chains)


    def to_dict(self) -> dict[str, Any]:
        """Results as JSON-ready Python values (``gap`` only when feasible).

        >>> Layout.from_arrays(quality=[1, 2], max_centers=1).solve().to_dict()["chosen"]
        [{'site_id': 1, 'mode': 0, 'year': None, 'existing': False}]
        """
        d = self.inputs
        out: dict[str, Any] = {"model": "layout", "status": self.status,
                               "objective": self.objective}
        if self.status == "feasible":
            out["gap"] = self.gap
        out["solve_seconds"] = self.solve_seconds
        if self.status == "infeasible" and self.conflict is not None:
            out["conflict"] = list(self.conflict.groups)
            out["message"] = self.conflict.message
        out["benefit"] = dict(self.benefit)
        out["cost"] = self.cost
        out["total_risk"] = self.total_risk
        out["chosen"] = [
            {"site_id": _native(r.site_id), "mode": _native(r.mode),
             "year": None if r.year is None or pd.isna(r.year) else _native(r.year),
             "existing": bool(r.existing)}
            for r in self.chosen.itertuples(index=False)
        ]
        out["assignment"] = {k: dict(v) for k, v in self.assignment.items()}
        out["horizon"] = d.horizon
        out["constraints"] = [
            label for key, label in self.constraint_groups() if not key.startswith("existing:")
        ]
        out["assumptions"] = list(d.assumptions)
        out["notes"] = list(d.notes)
        return out

    def __repr__(self) -> str:
        d = self.inputs
        state = self.status or "not solved"
        return (f"<Layout {len(d.site_ids)} sites x {len(d.modes)} modes, "
                f"{len(d.demand_ids)} demands: {state}>")
