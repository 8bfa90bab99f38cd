"""Diminishing return per economy in the layout model: a second center adds only part.

Without this rule the layout model adds up the site quality of every open
center, so two centers in one economy count twice although, with national
evidence, they share almost all of it (the issue: Graz beside Vienna). With a
factor ``delta`` in (0, 1], the open centers of one *diversity group* (an
economy, see :func:`diversity_groups`) are ranked by their quality term and the
k-th counts ``delta ** (k - 1)`` of it: ``q(1) + delta q(2) + delta^2 q(3) + ...``.
The demand term needs no such rule: a demand is served by one center only, so
a second center already earns only the demands it serves better than the others.

Formulation (exact, linear, HiGHS). A *unit* u is what carries a quality
term c_u > 0 in the objective: an option j (static model, or an existing
center) with c_u = lam q_j and supply y_j, or a new option j opened in year t
(phased model) with c_u = lam q_j (T - t + 1) / T and supply z_jt. For each
group g with K_g possible ranks (at most the sites of g, the most centers and
the per-country cap allow) and every rank k = 2..K_g, a continuous
``v_uk >= 0`` says "unit u holds rank k"::

    (15) sum_{k>=2} v_uk <= supply_u                          every unit u in a group
    (16) sum_{u in g} v_uk <= 1                              every group g, rank k >= 2
    (17) sum_{j in g} y_j - sum_{u in g, k>=2} v_uk <= 1      every group g (one rank 1)

and the objective loses ``(1 - delta^(k-1)) c_u v_uk``. For fixed openings
(15)-(17) are a transportation problem with integral supplies, so its LP optimum
is integral, and since the losses grow with both c_u and k the cheapest
assignment puts the largest quality at rank 1, the next at rank 2, ...
(rearrangement inequality): the objective equals the rule above exactly, with
continuous v and no extra binaries. With ``delta = 1`` no v is added and the
model is the one before. Units with a quality term of 0 or less are in no
group: they have nothing to lose.

**Ranks added when needed.** A group gets only ranks 2..L_g (first L_g = 2),
and its last rank takes any number of units (row (16) dropped for it) while
L_g < K_g: every center after the first then counts ``delta`` instead of
``delta^(k-1)``, which can only overvalue a layout, and only one with more
than L_g centers in the group. After a solve, a group holding more centers
than L_g gets more ranks (L_g = that number + 1, at most K_g) and the model is
solved again; a solution with at most L_g centers in every group is valued
exactly, and as every other layout is valued at least exactly, it is optimal
for the rule (within the gap). In the default scenario (2 per economy) K_g = 2
and one solve is exact; at national scale this keeps one rank column per unit
instead of K_g - 1.

>>> true_quality([3.0, 2.0, 1.0], ["A", "A", "B"], 0.5)
(5.0, [1.0, 0.5, 1.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from oicplan.optimize._highs import Mip
from oicplan.optimize._inputs import haversine_km

__all__ = [
    "RankSpec",
    "add_rank_rows",
    "city_regions",
    "diversity_groups",
    "grow_levels",
    "rank_values",
    "option_factors",
    "rank_spec",
    "true_quality",
]


@dataclass(frozen=True)
class RankSpec:
    """The rank columns of (15)-(17): one per (unit, rank k >= 2)."""

    unit_opt: np.ndarray  # option j of each unit
    unit_year: np.ndarray  # year index t of each unit (-1: the unit is y_j)
    unit_coef: np.ndarray  # c_u > 0
    unit_group: np.ndarray  # group index of each unit (0..n_groups-1)
    group_options: list[np.ndarray]  # options with a positive quality term, per group
    col_unit: np.ndarray  # unit of each rank column
    col_rank: np.ndarray  # rank k (>= 2) of each rank column
    loss: np.ndarray  # (1 - delta^(k-1)) c_u per rank column (>= 0)
    levels: np.ndarray  # L_g: ranks in the model per group (>= 2, or 0: no ranks)
    most: np.ndarray  # K_g: ranks the group could need


def true_quality(contribution: Sequence[float], group: Sequence[Any],
                 delta: float) -> tuple[float, list[float]]:
    """The quality term of open centers under the rule, computed directly (the oracle).

    ``contribution``: each open center's quality term (lam q_j, or its
    time-weighted term); ``group``: its diversity group (None: no group). In
    each group the positive terms are sorted, largest first, and the k-th
    counts ``delta ** (k - 1)``; terms of 0 or less count in full. Returns the
    total and each center's factor. Ties keep the given order.

    >>> true_quality([1.0, 4.0, 2.0], ["X", "X", "X"], 0.5)
    (5.25, [0.25, 1.0, 0.5])
    """
    c = np.asarray(contribution, dtype=float)
    factor = np.ones(c.size)
    labels = list(group)
    for g in {label for label in labels if label is not None}:
        members = [i for i, label in enumerate(labels) if label == g and c[i] > 0]
        order = sorted(members, key=lambda i: -c[i])
        for k, i in enumerate(order):
            factor[i] = delta ** k
    return float((c * factor).sum()) + 0.0, [float(f) for f in factor]


def city_regions(lat: Sequence[float], lon: Sequence[float], radius_km: float) -> np.ndarray:
    """Label of each site's city region: sites within ``radius_km`` of each other, chained.

    Single linkage: two sites closer than the radius share a region, and so
    does every site chained to them; a site alone is its own region (labels
    are 0, 1, ... in order of first site).

    >>> city_regions([1.30, 1.46, 3.14], [103.82, 103.76, 101.69], 50).tolist()
    [0, 0, 1]
    """
    points = np.column_stack([np.asarray(lat, float), np.asarray(lon, float)])
    n = len(points)
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    if n and radius_km > 0:
        near = np.argwhere(np.triu(haversine_km(points, points) <= radius_km, 1))
        for a, b in near.tolist():
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    roots = [find(i) for i in range(n)]
    first: dict[int, int] = {}
    return np.array([first.setdefault(r, len(first)) for r in roots], dtype=int)


def diversity_groups(iso3: Sequence[str], lat: Sequence[float], lon: Sequence[float],
                     population: Sequence[float] | None, radius_km: float
                     ) -> tuple[list[str], list[dict[str, Any]]]:
    """The diversity group of each site: its economy, or across a border its city region's.

    A site's group is its economy (ISO3). A city region (:func:`city_regions`)
    that spans a border -- Johor Bahru beside Singapore, Brazzaville beside
    Kinshasa -- counts as part of the economy of its most populous site, so a
    second center across the border from the first is a second center there
    too. Returns the labels and, for each such city region, ``{"sites": [index,
    ...], "economy": ISO3}``.

    >>> groups, crossing = diversity_groups(["SGP", "MYS", "MYS"], [1.30, 1.46, 3.14],
    ...     [103.82, 103.76, 101.69], [5.6e6, 0.9e6, 1.8e6], 50)
    >>> groups, crossing
    (['SGP', 'SGP', 'MYS'], [{'sites': [0, 1], 'economy': 'SGP'}])
    """
    labels = [str(c) for c in iso3]
    pop = np.zeros(len(labels)) if population is None else np.nan_to_num(
        np.asarray(population, dtype=float), nan=0.0)
    regions = city_regions(lat, lon, radius_km)
    crossing = []
    for r in np.unique(regions).tolist():
        members = np.flatnonzero(regions == r)
        economies = {labels[i] for i in members}
        if len(economies) > 1:
            anchor = members[np.argmax(pop[members])]  # first of equals
            crossing.append({"sites": members.tolist(), "economy": labels[anchor]})
    out = list(labels)
    for region in crossing:
        for i in region["sites"]:
            out[i] = region["economy"]
    return out, crossing


def rank_spec(d: Any, new: np.ndarray, levels: dict[int, int] | None = None
              ) -> RankSpec | None:
    """The units, groups and rank columns of a model's inputs; ``None`` when nothing to add.

    ``d`` is a :class:`~oicplan.optimize.layout_inputs.LayoutInputs`, ``new``
    the indices of its new options, ``levels`` the ranks L_g given to groups so
    far (group index -> L_g; others 2). Nothing is added with ``delta = 1``,
    without groups, or when no group can hold two centers of positive quality.
    """
    delta = d.diminishing_return
    if delta >= 1.0 or d.diversity_group is None:
        return None
    lam_q = d.quality_weight * d.quality
    T = d.horizon
    opt_group = d.diversity_group[d.opt_site]
    names, opt_g = np.unique(opt_group, return_inverse=True)
    positive = lam_q > 0
    # Most ranks a group can fill: its sites, the most centers, the per-country caps.
    n_groups = len(names)
    sites_in = np.zeros(n_groups, int)
    for g in range(n_groups):
        sites_in[g] = np.unique(d.opt_site[positive & (opt_g == g)]).size
    ranks = sites_in.astype(float)
    if d.max_centers is not None:
        ranks = np.minimum(ranks, d.max_centers)
    if d.max_per_country is not None and d.country is not None:
        held: dict[str, int] = {}
        for s in d.existing:
            held[d.country[s]] = held.get(d.country[s], 0) + 1
        for g in range(n_groups):
            countries = set(d.country[d.opt_site[positive & (opt_g == g)]].tolist())
            cap = sum(max(d.max_per_country, held.get(c, 0)) for c in countries)
            ranks[g] = min(ranks[g], cap)
    ranks = ranks.astype(int)
    given = levels or {}
    level = np.array([min(ranks[g], max(2, given.get(g, 2))) if ranks[g] >= 2 else 0
                      for g in range(n_groups)], dtype=int)
    is_new = np.zeros(d.opt_site.size, bool)
    is_new[new] = True
    new_pos = np.full(d.opt_site.size, -1)
    new_pos[new] = np.arange(new.size)
    unit_opt, unit_year, unit_coef = [], [], []
    for j in np.flatnonzero(positive & (ranks[opt_g] >= 2)).tolist():
        if T is None or not is_new[j]:
            unit_opt.append(j)
            unit_year.append(-1)
            unit_coef.append(lam_q[j])
        else:
            for t in range(T):
                unit_opt.append(j)
                unit_year.append(t)
                unit_coef.append(lam_q[j] * (T - t) / T)
    if not unit_opt:
        return None
    u_opt = np.array(unit_opt, dtype=np.int64)
    u_group = opt_g[u_opt]
    u_coef = np.array(unit_coef, float)
    k_max = level[u_group]
    col_unit = np.repeat(np.arange(u_opt.size), k_max - 1)
    col_rank = np.concatenate([np.arange(2, k + 1) for k in k_max.tolist()])
    loss = (1.0 - delta ** (col_rank - 1)) * u_coef[col_unit]
    group_options = [np.flatnonzero(positive & (opt_g == g)) for g in range(n_groups)]
    return RankSpec(u_opt, np.array(unit_year, dtype=np.int64), u_coef, u_group,
                    group_options, col_unit, col_rank, loss, level, ranks)


def add_rank_rows(mip: Mip, spec: RankSpec, y: np.ndarray, z: np.ndarray | None,
                  new: np.ndarray, r: np.ndarray) -> None:
    """Rows (15)-(17) over the rank columns ``r`` (one per column of ``spec``)."""
    n_u = spec.unit_opt.size
    # (15) sum_k v_uk - supply_u <= 0
    new_pos = np.full(y.size, -1)
    new_pos[new] = np.arange(new.size)
    supply = np.where(
        spec.unit_year < 0, y[spec.unit_opt],
        0 if z is None else z[np.maximum(new_pos[spec.unit_opt], 0),
                              np.maximum(spec.unit_year, 0)])
    rows = np.concatenate([spec.col_unit, np.arange(n_u)])
    cols = np.concatenate([r, supply])
    vals = np.concatenate([np.ones(r.size), -np.ones(n_u)])
    mip.add_rows(n_u, rows, cols, vals, lower=-np.inf, upper=0.0)
    # (16) one unit per rank k >= 2 of a group; a group's last rank is open-ended
    # while it has fewer ranks than it could need (see "Ranks added when needed")
    col_group = spec.unit_group[spec.col_unit]
    capped = (spec.col_rank < spec.levels[col_group]) | (
        spec.levels[col_group] >= spec.most[col_group])
    if capped.any():
        keys = col_group[capped] * (int(spec.col_rank.max()) + 1) + spec.col_rank[capped]
        _, local = np.unique(keys, return_inverse=True)
        mip.add_rows(int(local.max()) + 1, local, r[capped], 1.0, lower=-np.inf, upper=1.0)
    # (17) one unit at rank 1: the open options of the group less the units at ranks >= 2
    groups = np.unique(spec.unit_group)
    g_local = np.full(len(spec.group_options), -1)
    g_local[groups] = np.arange(groups.size)
    opt_rows = [np.full(spec.group_options[g].size, g_local[g]) for g in groups.tolist()]
    opt_cols = [y[spec.group_options[g]] for g in groups.tolist()]
    rows = np.concatenate(opt_rows + [g_local[spec.unit_group[spec.col_unit]]])
    cols = np.concatenate(opt_cols + [r])
    vals = np.concatenate([np.ones(sum(c.size for c in opt_cols)), -np.ones(r.size)])
    mip.add_rows(groups.size, rows, cols, vals, lower=-np.inf, upper=1.0)


def grow_levels(spec: RankSpec, values: np.ndarray, y: np.ndarray,
                levels: dict[int, int]) -> bool:
    """Give more ranks to the groups whose open-ended last rank holds two units or more.

    ``values``: a solution; ``y``: the option columns; ``levels`` (group index
    -> L_g) is updated in place. True when a group got more ranks (solve again).
    """
    grown = False
    open_y = values[y] > 0.5
    for g in np.flatnonzero((spec.levels >= 2) & (spec.levels < spec.most)).tolist():
        count = int(open_y[spec.group_options[g]].sum())
        if count > spec.levels[g]:
            levels[g] = int(min(spec.most[g], count + 1))
            grown = True
    return grown


def rank_values(spec: RankSpec, values: np.ndarray, y: np.ndarray, z: np.ndarray | None,
                new: np.ndarray) -> np.ndarray:
    """Values of the rank columns for the openings in ``values`` (largest term at rank 1).

    Used to hand a solution to the model again after :func:`grow_levels`: with its
    openings and these ranks it is feasible and valued exactly.
    """
    new_pos = np.full(y.size, -1)
    new_pos[new] = np.arange(new.size)
    on = np.where(spec.unit_year < 0, values[y[spec.unit_opt]] > 0.5, False)
    if z is not None:
        timed = spec.unit_year >= 0
        rows = np.maximum(new_pos[spec.unit_opt[timed]], 0)
        on[timed] = values[z[rows, spec.unit_year[timed]]] > 0.5
    rank_of = np.zeros(spec.unit_opt.size, dtype=int)
    for g in np.unique(spec.unit_group[on]).tolist():
        members = np.flatnonzero(on & (spec.unit_group == g))
        order = members[np.argsort(-spec.unit_coef[members], kind="stable")]
        rank_of[order] = np.minimum(np.arange(1, order.size + 1), spec.levels[g])
    out = np.zeros(spec.col_unit.size)
    out[(rank_of[spec.col_unit] == spec.col_rank)] = 1.0
    return out


def option_factors(d: Any, open_j: np.ndarray, year_of: dict[int, int]
                   ) -> tuple[float, dict[int, float]]:
    """The quality term of a layout under the rule and each open option's factor.

    ``open_j``: the open options; ``year_of``: the year index of each new open
    option in a phased model. Computed by sorting (:func:`true_quality`), not
    from the LP's rank columns.
    """
    lam_q = d.quality_weight * d.quality
    T = d.horizon
    contribution = []
    for j in open_j.tolist():
        t = year_of.get(j)
        contribution.append(lam_q[j] if T is None or t is None else lam_q[j] * (T - t) / T)
    groups = [None] * len(contribution) if d.diversity_group is None else [
        d.diversity_group[d.opt_site[j]] for j in open_j.tolist()]
    delta = d.diminishing_return if d.diversity_group is not None else 1.0
    total, factors = true_quality(contribution, groups, delta)
    return total, dict(zip(open_j.tolist(), factors, strict=True))
