"""Every technology field and signal of the match taxonomy has a Chinese name."""

from __future__ import annotations

import re

from oicplan.match.taxonomy import load_taxonomy

_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{2,}")


def test_fields_and_signals_have_chinese_names():
    raw = load_taxonomy().raw
    for table in ("fields", "signals"):
        for key, entry in raw[table].items():
            name = entry.get("name_zh")
            assert name and _HAN.search(name), (table, key)
            assert not _WORD.search(name.replace("GDP", "")), (table, key, name)
    names = [entry["name_zh"] for entry in raw["fields"].values()]
    assert len(set(names)) == len(names)
