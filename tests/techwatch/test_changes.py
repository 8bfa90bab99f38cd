"""``oicplan watch changes``: two snapshot builds that differ in known values.

The embedded snapshot is copied twice into a temporary folder; the second copy's
``latest.csv`` and ``fields.csv.gz`` are edited with the csv module (one value
changed, one row removed, one row added in each), and the watch must report exactly
those edits, and the ranking moves they cause.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from oicplan.cli.runtime import guarded
from oicplan.cli.watch import watch_app
from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.errors import InputError
from oicplan.techwatch.vintage import snapshot_changes

_EDITED = ("latest.csv", "fields.csv.gz")


def _rows(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def _write(path, header, rows):
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
            handle.write(text.getvalue())
    else:
        path.write_text(text.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(old, new, edits): two copies of the snapshot, the second edited in known places."""
    root = tmp_path_factory.mktemp("vintages")
    old, new = root / "old", root / "new"
    shutil.copytree(SNAPSHOT_DIR, old)
    shutil.copytree(SNAPSHOT_DIR, new)
    header, latest = _rows(new / "latest.csv")
    changed = next(r for r in latest if r["entity"] == "KOR" and r["indicator"] == "GII.SCORE")
    old_gii = float(changed["value"])
    changed["value"] = "5"  # Korea's GII score collapses: its sites must fall
    removed = next(r for r in latest if r["entity"] == "DEU" and r["indicator"] == "SP.POP.TOTL")
    latest.remove(removed)
    added = {**latest[0], "entity": "ZZZ", "indicator": "SP.POP.TOTL", "value": "1"}
    latest.append(added)
    _write(new / "latest.csv", header, latest)
    header, fields = _rows(new / "fields.csv.gz")
    field_changed = next(r for r in fields if r["source"] == "pct" and r["iso3"] == "KOR"
                         and r["field"] == "Chemistry" and r["year"] == "2022")
    old_field = float(field_changed["value"])
    field_changed["value"] = str(old_field + 100)
    field_removed = next(r for r in fields if r["source"] == "uspto" and r["iso3"] == "HUN"
                         and r["field"] == "Semiconductors" and r["year"] == "2020")
    fields.remove(field_removed)
    field_added = {**fields[0], "year": "2023", "value": "12.5"}
    fields.append(field_added)
    _write(new / "fields.csv.gz", header, fields)
    edits = {
        "latest": {("KOR", "GII.SCORE"): ("changed", old_gii, 5.0),
                   ("DEU", "SP.POP.TOTL"): ("removed", float(removed["value"]), None),
                   ("ZZZ", "SP.POP.TOTL"): ("added", None, 1.0)},
        "fields": {("pct", "KOR", "Chemistry", 2022): ("changed", old_field, old_field + 100),
                   ("uspto", "HUN", "Semiconductors", 2020):
                       ("removed", float(field_removed["value"]), None),
                   (field_added["source"], field_added["iso3"], field_added["field"], 2023):
                       ("added", None, 12.5)},
    }
    return old, new, edits


def test_exactly_the_edited_values_are_reported(builds):
    old, new, edits = builds
    changes = snapshot_changes(old, new)
    got_latest = {(r["entity"], r["indicator"]): (r["kind"], r["old_value"], r["new_value"])
                  for r in changes["latest"]}
    got_fields = {(r["source"], r["iso3"], r["field"], r["year"]):
                  (r["kind"], r["old_value"], r["new_value"]) for r in changes["fields"]}
    assert got_latest == edits["latest"]
    assert got_fields == edits["fields"]
    assert changes["counts"] == {"latest": {"changed": 1, "added": 1, "removed": 1},
                                 "fields": {"changed": 1, "added": 1, "removed": 1}}
    assert changes["notes"] == []


def test_other_files_that_differ_are_named(builds, tmp_path):
    old, _, _ = builds
    other = tmp_path / "other"
    shutil.copytree(old, other)
    with open(other / "sites.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    changes = snapshot_changes(old, other)
    assert changes["counts"]["latest"] == {"changed": 0, "added": 0, "removed": 0}
    assert changes["notes"] and changes["notes"][0].endswith(": sites.csv")


def test_a_build_without_field_data_is_said_not_compared(builds, tmp_path):
    old, _, _ = builds
    bare = tmp_path / "bare"
    shutil.copytree(old, bare)
    (bare / "fields.csv.gz").unlink()
    changes = snapshot_changes(old, bare)
    assert changes["fields"] == [] and "field values not compared" in changes["notes"][0]


def test_a_folder_that_is_no_snapshot_is_named(tmp_path):
    with pytest.raises(InputError) as caught:
        snapshot_changes(tmp_path, SNAPSHOT_DIR)
    assert "latest.csv" in caught.value.message
    with pytest.raises(InputError) as caught:
        snapshot_changes(tmp_path / "nowhere", SNAPSHOT_DIR)
    assert caught.value.field == "from"


def test_changes_move_korea_and_alert_the_watched_sites_that_moved(builds):
    old, new, _ = builds
    result = guarded(watch_app)
    out = CliRunner().invoke(result, ["changes", "--from", str(old), "--to", str(new),
                                      "--rank-move", "1", "--json"])
    assert out.exit_code == 0, out.output
    document = json.loads(out.stdout)
    assert document["counts"]["latest"]["changed"] == 1
    moves = {s["site_id"]: s for s in document["sites"]}
    korean = [s for s in moves.values() if s["iso3"] == "KOR"]
    assert korean and all(s["new_score"] < s["old_score"] for s in korean)
    assert all("innovation" in s["pillars"] for s in korean)
    assert any(r["iso3"] == "KOR" for r in document["economies"])
    # The alerts are exactly the watched sites that moved beyond a threshold.
    thresholds = document["thresholds"]
    beyond = {
        s["site_id"] for s in document["sites"]
        if s["site_id"] in document["watched"]
        and (abs(s["old_rank"] - s["new_rank"]) >= thresholds["rank_move"]
             or abs(s["old_score"] - s["new_score"]) >= thresholds["score_move"])
    }
    alerted = {a["site_id"]: a for a in document["alerts"]}
    assert set(alerted) == beyond
    assert alerted
    for alert in alerted.values():
        fell = alert["new_rank"] > alert["old_rank"] or (
            alert["new_rank"] == alert["old_rank"] and alert["new_score"] < alert["old_score"])
        assert (alert["kind"], alert["severity"]) == (
            ("rank_fell", "amber") if fell else ("rank_rose", "green"))


def test_lower_thresholds_alert_more(builds):
    old, new, _ = builds
    from oicplan.services.watch import WatchChangesRequest, watch_changes

    strict = watch_changes(WatchChangesRequest(from_dir=old, to_dir=new, rank_move=100,
                                               score_move=1.0))
    loose = watch_changes(WatchChangesRequest(from_dir=old, to_dir=new, rank_move=1,
                                              score_move=0.0))
    assert strict.alerts == ()
    assert {a.site_id for a in loose.alerts} == {
        s.site_id for s in loose.sites if s.site_id in loose.watched}
