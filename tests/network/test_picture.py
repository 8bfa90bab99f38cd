"""The network picture: every center named, legend, same SVG every time, names kept apart."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd

from oicplan.network import build_network, network_svg
from oicplan.network.picture import _LABEL_SIZE, _label_places

CITIES = ["Graz", "Vienna", "Prague", "Seoul", "Busan", "Auckland", "Christchurch",
          "Luxembourg", "Ussuriysk", "Rayong", "Guliston", "Mỹ Tho"]  # fmt: skip


def _network():
    """Twelve centers with five clients each, and one university tied to every center.

    The university and the centers are the brokers; with the default ``top=10``
    two centers are not among the top brokers.
    """
    centers = [f"c{i}" for i in range(len(CITIES))]
    firms = [f"e{i}" for i in range(5 * len(CITIES))]
    nodes = pd.DataFrame(
        {
            "id": [*centers, *firms, "u"],
            "kind": ["center"] * len(centers) + ["enterprise"] * len(firms) + ["university"],
            "name": [*CITIES, *(f"Firm {i}" for i in range(len(firms))), "Uni 大学"],
        }
    )
    ties = [(firm, centers[i // 5], "client") for i, firm in enumerate(firms)]
    ties += [("u", center, "partner") for center in centers]
    edges = pd.DataFrame(ties, columns=["source", "target", "relation"])
    return build_network(nodes=nodes, edges=edges)


def test_every_center_named_and_legend():
    net = _network()
    named = {b["name"] for b in net.brokers(10)}
    assert not set(CITIES) <= named  # the top brokers alone would leave centers out
    legends = {"en": ("center (12)", "enterprise (60)"), "zh": ("海外创新中心 (12)", "企业 (60)")}
    for lang, (center, firm) in legends.items():
        svg = network_svg(net, lang=lang)
        assert all(f">{city}<" in svg for city in CITIES)
        assert center in svg and firm in svg and "Uni 大学" in svg
        assert svg.startswith("<svg")
        assert "<dc:date>" not in svg


def test_same_network_same_svg_in_another_process():
    """Same SVG twice, also in a process with another string hash seed (no pyplot there)."""
    net = _network()
    svg = network_svg(net)
    assert network_svg(net) == svg
    script = (
        "import sys\n"
        "from tests.network.test_picture import _network\n"
        "from oicplan.network import network_svg\n"
        "sys.stdout.write(network_svg(_network()))\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert other.stdout == svg


def test_names_at_one_place_do_not_overlap():
    """Seven names at the same point (industries at a hub) stack without overlapping."""
    from oicplan.uncertainty.plots import text_inches

    names = [f"industry number {i}" for i in range(7)]
    places = _label_places([(200.0, 200.0, 4.0, n) for n in names], (0, 0, 400, 400))
    height = _LABEL_SIZE * 1.35
    boxes = []
    for name, (dx, dy, align) in zip(names, places, strict=True):
        width = text_inches(name, _LABEL_SIZE) * 72
        left = 200 + dx - {"left": 0, "right": width, "center": width / 2}[align]
        boxes.append((left, 200 + dy - height / 2, left + width, 200 + dy + height / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
