"""Exact classic facility-location models solved with HiGHS.

=============  ==============================================================
class          question it answers
=============  ==============================================================
PMedian        where should p facilities go to minimise total weighted cost?
MCLP           which p facilities cover the most demand within a radius?
LSCP           what is the fewest facilities covering all demand within a radius?
PCenter        where should p facilities go to minimise the worst cost?
PDispersion    which p sites are as far apart from each other as possible?
=============  ==============================================================

>>> from oicplan.optimize import LSCP
>>> LSCP.from_cost_matrix([[1, 9], [9, 1], [2, 3]], radius=3).solve().facilities
[0, 1]
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

# Public name -> module that defines it (imported on first use).
_EXPORTS = {
    "NoSolutionError": "oicplan.optimize._highs",
    "CostMatrix": "oicplan.optimize._inputs",
    "EARTH_RADIUS_KM": "oicplan.optimize._inputs",
    "haversine_km": "oicplan.optimize._inputs",
    "network_costs": "oicplan.optimize._inputs",
    "read_costs": "oicplan.optimize._inputs",
    "read_weights": "oicplan.optimize._inputs",
    "PCenter": "oicplan.optimize.center",
    "PDispersion": "oicplan.optimize.center",
    "LSCP": "oicplan.optimize.covering",
    "MCLP": "oicplan.optimize.covering",
    "GroupRule": "oicplan.optimize.layout_inputs",
    "Layout": "oicplan.optimize.layout",
    "pareto_figure": "oicplan.optimize.layout_figures",
    "read_layout_costs": "oicplan.optimize.layout_inputs",
    "save_svg": "oicplan.optimize.layout_figures",
    "PMedian": "oicplan.optimize.pmedian",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
