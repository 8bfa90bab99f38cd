"""Network files (network --nodes, --edges): a frame or one InputError naming the file.

Readers: :func:`oicplan.network.files.read_nodes` and :func:`~oicplan.network.files.read_edges`.
"""

from __future__ import annotations

from hypothesis import given

from tests.properties._files import (
    SETTINGS,
    any_bytes,
    check_reader,
    table_bytes,
    workbook_bytes,
)

NODES = [
    ["id", "kind", "name", "iso3", "city", "industries", "service_type", "source_note"],
    ["uni-a", "university", "Example host university", "DEU", "Munich", "", "",
     "agreement of 2021"],
    ["ip-1", "service", "Example patent attorneys", "DEU", "Munich", "", "ip", "letter"],
]
EDGES = [
    ["source", "target", "relation", "weight", "year", "source_note"],
    ["uni-a", "ip-1", "partner", "1", "2021", "press release"],
    ["ip-1", "uni-a", "client", "", "", ""],
]


def _nodes(path):
    from oicplan.network.files import read_nodes

    return read_nodes(path)


def _edges(path):
    from oicplan.network.files import read_edges

    return read_edges(path)


@SETTINGS
@given(raw=any_bytes(table_bytes(NODES)))
def test_nodes_csv(raw, tmp_path):
    check_reader(_nodes, tmp_path / "partners.csv", raw)


@SETTINGS
@given(raw=any_bytes(workbook_bytes(NODES)))
def test_nodes_xlsx(raw, tmp_path):
    check_reader(_nodes, tmp_path / "partners.xlsx", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(EDGES)))
def test_edges_csv(raw, tmp_path):
    check_reader(_edges, tmp_path / "ties.csv", raw)
