"""The industry–technology taxonomy: Zhejiang's priority industries, fields, signals.

The taxonomy lives in ``taxonomy.yaml`` beside this module. It links each
priority industry (the strategic emerging industries of the paper, section 3.4,
completed from Zhejiang policy lists) to WIPO technology fields, and each field
to the aggregate signals of the embedded snapshot that stand in for host
strength in it. Sources are named in the file; docs/match.md explains it.

>>> taxonomy = load_taxonomy()
>>> taxonomy.industry_ids[:3]
['information_technology', 'software_information_services', 'biotech_new_medicine']
>>> taxonomy.field_signals("semiconductors")
{'htx_rca': 0.5, 'researchers': 0.25, 'patents_per_capita': 0.25}
>>> taxonomy.city("yiwu"), taxonomy.city("宁波")
('Yiwu', 'Ningbo')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from oicplan.errors import InputError
from oicplan.textfile import load_yaml

__all__ = ["TAXONOMY_FILE", "Taxonomy", "load_taxonomy"]

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yaml")

_WEIGHT_TOLERANCE = 1e-6


def _check_weights(weights: dict, where: str, known: set[str], kind: str) -> dict[str, float]:
    unknown = sorted(set(weights) - known)
    if unknown:
        raise InputError(
            f"unknown {kind} {', '.join(unknown)}", file=str(TAXONOMY_FILE), field=where
        )
    total = sum(float(w) for w in weights.values())
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        raise InputError(f"weights sum to {total:g}, not 1", file=str(TAXONOMY_FILE), field=where)
    return {str(k): float(v) for k, v in weights.items()}


@dataclass(frozen=True)
class Taxonomy:
    """Parsed ``taxonomy.yaml`` with lookups; see the module docstring."""

    raw: dict

    @property
    def industries(self) -> list[dict]:
        return list(self.raw["industries"])

    @property
    def industry_ids(self) -> list[str]:
        return [item["id"] for item in self.raw["industries"]]

    @property
    def field_ids(self) -> list[str]:
        return list(self.raw["fields"])

    @property
    def signal_ids(self) -> list[str]:
        return list(self.raw["signals"])

    @property
    def home_iso3(self) -> str:
        return str(self.raw["home"]["iso3"])

    @property
    def home_region(self) -> str:
        return str(self.raw["home"]["region_code"])

    def industry(self, industry_id: str) -> dict:
        """The industry's entry; an unknown id raises :class:`InputError`."""
        for item in self.raw["industries"]:
            if item["id"] == industry_id:
                return item
        raise InputError(
            f"unknown industry {industry_id!r}; known: {', '.join(self.industry_ids)}",
            field="industry",
        )

    def industry_fields(self, industry_id: str) -> dict[str, float]:
        return {k: float(v) for k, v in self.industry(industry_id)["fields"].items()}

    def field(self, field_id: str) -> dict:
        if field_id not in self.raw["fields"]:
            raise InputError(f"unknown technology field {field_id!r}", field="field")
        return self.raw["fields"][field_id]

    def field_signals(self, field_id: str) -> dict[str, float]:
        """The proxy signal weights of a field (its own, else its sector's)."""
        entry = self.field(field_id)
        weights = entry.get("signals") or self.raw["sectors"][entry["sector"]]["signals"]
        return {k: float(v) for k, v in weights.items()}

    def field_why(self, field_id: str) -> str:
        entry = self.field(field_id)
        if entry.get("signals"):
            return " ".join(str(entry.get("why", "")).split())
        return " ".join(str(self.raw["sectors"][entry["sector"]]["why"]).split())

    def resolve_field(self, text: object) -> str | None:
        """A field id from an id, a WIPO field number or a WIPO field name; None if unknown.

        >>> load_taxonomy().resolve_field("6"), load_taxonomy().resolve_field("Transport")
        ('computer_technology', 'transport')
        """
        value = str(text).strip()
        if value in self.raw["fields"]:
            return value
        lowered = value.lower()
        for field_id, entry in self.raw["fields"].items():
            if lowered == str(entry["wipo"]) or lowered == str(entry["name"]).lower():
                return field_id
        return None

    def resolve_industry(self, text: object) -> str | None:
        """An industry id from its id, English or Chinese name (case-insensitive); else None."""
        value = str(text).strip()
        lowered = value.lower()
        for item in self.raw["industries"]:
            if lowered in (item["id"], str(item["name_en"]).lower()) or value == item["name_zh"]:
                return item["id"]
        return None

    @property
    def cities(self) -> dict[str, str]:
        """Every accepted home city (English name) → its prefecture-level city."""
        table = self.raw["cities"]
        out = {name: name for name in table["prefecture"]}
        out.update({name: entry["prefecture"] for name, entry in table["county_level"].items()})
        return out

    def city(self, text: object) -> str | None:
        """The canonical English city name for an English/Chinese spelling, or None."""
        value = str(text).strip()
        if value.endswith("市"):
            value = value[:-1]
        lowered = value.lower().replace("’", "'")
        table = self.raw["cities"]
        for name, zh in table["prefecture"].items():
            if lowered == name.lower() or value == zh:
                return name
        for name, entry in table["county_level"].items():
            if lowered in (name.lower(), name.lower().replace("'", "")) or value == entry["zh"]:
                return name
        return None

    def validate(self) -> Taxonomy:
        """Check that weights sum to 1 and every reference exists; return self."""
        fields, signals = set(self.raw["fields"]), set(self.raw["signals"])
        seen = set()
        for item in self.raw["industries"]:
            if item["id"] in seen:
                raise InputError(f"duplicate industry {item['id']!r}", file=str(TAXONOMY_FILE))
            seen.add(item["id"])
            _check_weights(item["fields"], f"industries.{item['id']}", fields, "field(s)")
        for name, sector in self.raw["sectors"].items():
            _check_weights(sector["signals"], f"sectors.{name}", signals, "signal(s)")
        for name, entry in self.raw["fields"].items():
            if entry["sector"] not in self.raw["sectors"]:
                raise InputError(f"unknown sector {entry['sector']!r}", field=f"fields.{name}")
            if entry.get("signals"):
                _check_weights(entry["signals"], f"fields.{name}", signals, "signal(s)")
        return self


@lru_cache(maxsize=4)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    """The taxonomy shipped with oicplan (or the YAML at ``path``), validated."""
    file = Path(path) if path else TAXONOMY_FILE
    try:
        raw = load_yaml(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"cannot read the taxonomy ({error})", file=str(file)) from None
    return Taxonomy(raw).validate()
