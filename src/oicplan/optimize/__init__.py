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

from oicplan.optimize._highs import NoSolutionError
from oicplan.optimize._inputs import (
    EARTH_RADIUS_KM,
    CostMatrix,
    haversine_km,
    network_costs,
    read_costs,
    read_weights,
)
from oicplan.optimize.center import PCenter, PDispersion
from oicplan.optimize.covering import LSCP, MCLP
from oicplan.optimize.layout import GroupRule, Layout, pareto_figure, read_layout_costs, save_svg
from oicplan.optimize.pmedian import PMedian

__all__ = [
    "EARTH_RADIUS_KM",
    "LSCP",
    "MCLP",
    "CostMatrix",
    "GroupRule",
    "Layout",
    "NoSolutionError",
    "PCenter",
    "PDispersion",
    "PMedian",
    "haversine_km",
    "network_costs",
    "pareto_figure",
    "read_layout_costs",
    "read_costs",
    "read_weights",
    "save_svg",
]
