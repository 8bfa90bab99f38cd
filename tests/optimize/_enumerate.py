"""Every layout of a small instance, for the brute-force oracles of the layout tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence


def layouts(n_sites: int, n_modes: int, years: Sequence[int | None],
            existing: Mapping[int, int]) -> Iterator[tuple]:
    """Each site's choice in every layout: None (closed) or (mode, year).

    A site in ``existing`` keeps its center's mode with no year; any other site is
    closed or opens one mode in one of ``years`` (``[None]`` for the static model).

    >>> list(layouts(2, 1, [None], {0: 0}))
    [((0, None), None), ((0, None), (0, None))]
    """
    per_site = []
    for s in range(n_sites):
        if s in existing:
            per_site.append([(existing[s], None)])
        else:
            per_site.append([None] + [(m, t) for m in range(n_modes) for t in years])
    return itertools.product(*per_site)
