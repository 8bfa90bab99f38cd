"""The field values are kept on disk: read back, they equal the snapshot file parsed."""

from __future__ import annotations

import pandas as pd

from oicplan.data import fields
from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.pipeline_cache import caching, clear_caches


def test_field_values_read_back_from_disk_equal_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    clear_caches()
    fields._load.cache_clear()
    try:
        written = fields.load_field_values()  # parsed, and written to the disk cache
        assert list((tmp_path / "stages").glob("field-values-*.pickle"))
        clear_caches()
        fields._load.cache_clear()
        read_back = fields.load_field_values()
        with caching(False):
            parsed = fields._parse(str(SNAPSHOT_DIR / fields.FIELD_SNAPSHOT_FILE))
        pd.testing.assert_frame_equal(read_back, parsed)
        pd.testing.assert_frame_equal(written, parsed)
        read_back.loc[0, "value"] = -1.0  # a caller's copy: the kept table stays as it was
        assert fields.load_field_values().loc[0, "value"] == parsed.loc[0, "value"]
    finally:
        clear_caches()
        fields._load.cache_clear()
