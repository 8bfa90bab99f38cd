"""``oicplan centers alerts --previous-snapshot``: the technology watch's alerts for centers.

An older snapshot build is made by copying the shipped one and lowering a few
values; the centers whose site moved beyond the thresholds must get exactly the
alerts the two rankings imply (recomputed here from :func:`site_moves`).
"""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from typer.testing import CliRunner

from oicplan.assumptions import applied
from oicplan.cli.centers import centers_app
from oicplan.cli.runtime import guarded
from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.services.watch import center_site_alerts, site_moves


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """An older build where Germany's and Britain's GII scores were far lower."""
    folder = tmp_path_factory.mktemp("previous") / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, folder)
    path = folder / "latest.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["indicator"] == "GII.SCORE" and row["entity"] in {"DEU", "GBR"}:
            row["value"] = "10"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_center_alerts_are_exactly_the_sites_beyond_the_thresholds(previous):
    centers = {"geely-raunheim": "DEU-raunheim", "geely-coventry": "GBR-coventry",
               "somewhere": "USA-los-angeles"}
    moves = {m["site_id"]: m for m in site_moves(previous, SNAPSHOT_DIR, every_economy=True)}
    assert moves["DEU-raunheim"]["new_score"] > moves["DEU-raunheim"]["old_score"]
    with applied({"watch.rank_move": 3, "watch.score_move": 0.02}):
        alerts = center_site_alerts(centers, previous)
    expected = {
        center for center, site in centers.items()
        if site in moves and (
            abs(moves[site]["old_rank"] - moves[site]["new_rank"]) >= 3
            or abs(moves[site]["old_score"] - moves[site]["new_score"]) >= 0.02)
    }
    assert {a.center_id for a in alerts} == expected
    assert "geely-raunheim" in expected
    for alert in alerts:
        site = centers[alert.center_id]
        assert site in alert.message and alert.kind.startswith("site_rank_")
    with applied({"watch.rank_move": 100, "watch.score_move": 1.0}):
        assert center_site_alerts(centers, previous) == []


def test_centers_alerts_command_lists_them(previous, tmp_path):
    url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    runner = CliRunner()
    app = guarded(centers_app)
    plain = runner.invoke(app, ["--database-url", url, "alerts", "--json"])
    assert plain.exit_code == 0, plain.output
    with applied({"watch.rank_move": 1, "watch.score_move": 0.0}):
        watched = runner.invoke(app, ["--database-url", url, "alerts", "--previous-snapshot",
                                      str(previous), "--json"])
    assert watched.exit_code == 0, watched.output
    before = {row["center_id"]: row["alerts"] for row in json.loads(plain.stdout)}
    after = {row["center_id"]: row["alerts"] for row in json.loads(watched.stdout)}
    added = {center: [a for a in rows if a["kind"].startswith("site_")]
             for center, rows in after.items()}
    assert all(not any(a["kind"].startswith("site_") for a in rows) for rows in before.values())
    linked = {row["center_id"] for row in json.loads(watched.stdout) if row.get("site_id")}
    assert {c for c, rows in added.items() if rows} <= linked
    assert any(added.values())
