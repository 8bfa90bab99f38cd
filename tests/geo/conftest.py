"""A small transport graph, built once for the geo tests (searoute calls are cached)."""

from __future__ import annotations

import pytest

from oicplan.geo import build_graph

# Rail terminals on each crossing, sea ports on each side of Suez and Hormuz, an
# inland city reached by a last leg, and a site no rail reaches. Tehran's sea port
# is Kuwait City: a truck does not cross the Gulf from Dubai.
SITES = [
    "ESP-madrid",
    "ESP-valencia",
    "BEL-liege",
    "DEU-duisburg",
    "GBR-london",
    "IRN-tehran",
    "ARE-dubai",
    "OMN-muscat",
    "KWT-kuwait-city",
    "EGY-alexandria",
    "SGP-singapore",
    "KAZ-almaty",
    "UZB-tashkent",
    "RUS-moscow",
    "FRA-paris",
    "LTU-vilnius",
]


@pytest.fixture(scope="session")
def small_graph():
    return build_graph(sites=SITES)
