"""Default profile vocabularies: sectors and countries are data, replaceable per deployment."""

from __future__ import annotations

from dataclasses import dataclass

ATTENDANCE = ("onsite", "remote")


@dataclass(frozen=True, slots=True)
class Option:
    """One entry of a vocabulary: a stable id stored with the profile, a label shown to people."""

    id: str
    label: str


DEFAULT_SECTORS = (
    Option("public_authority", "Public authority"),
    Option("rescue_emergency", "Rescue and emergency service"),
    Option("municipality", "Municipality"),
    Option("research_academia", "Research and academia"),
    Option("business", "Business"),
    Option("business_association", "Business association or cluster"),
    Option("ngo_civil_society", "NGO and civil society"),
    Option("international_org", "International organization"),
)

# The Baltic Sea Region as the CBSS counts it, plus "other" (ISO 3166-1 alpha-2 ids).
DEFAULT_COUNTRIES = (
    Option("DK", "Denmark"),
    Option("EE", "Estonia"),
    Option("FI", "Finland"),
    Option("DE", "Germany"),
    Option("IS", "Iceland"),
    Option("LV", "Latvia"),
    Option("LT", "Lithuania"),
    Option("NO", "Norway"),
    Option("PL", "Poland"),
    Option("SE", "Sweden"),
    Option("other", "Other"),
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The sectors and countries a deployment offers."""

    sectors: tuple[Option, ...] = DEFAULT_SECTORS
    countries: tuple[Option, ...] = DEFAULT_COUNTRIES

    @classmethod
    def from_json(cls, raw: object) -> Vocabulary:
        """A vocabulary from ``{"sectors": [{"id", "label"}], "countries": [...]}``."""
        if not isinstance(raw, dict):
            raise ValueError("a vocabulary is an object with 'sectors' and 'countries'")
        return cls(_options(raw, "sectors", DEFAULT_SECTORS),
                   _options(raw, "countries", DEFAULT_COUNTRIES))

    def to_json(self) -> dict[str, list[dict[str, str]]]:
        return {
            "sectors": [{"id": o.id, "label": o.label} for o in self.sectors],
            "countries": [{"id": o.id, "label": o.label} for o in self.countries],
            "attendance": [{"id": a, "label": a.capitalize()} for a in ATTENDANCE],
        }


def _options(raw: dict[str, object], key: str, default: tuple[Option, ...]) -> tuple[Option, ...]:
    items = raw.get(key)
    if items is None:
        return default
    if not isinstance(items, list) or not items:
        raise ValueError(f"'{key}' must be a non-empty list")
    options = []
    for item in items:
        if not (isinstance(item, dict) and isinstance(item.get("id"), str)
                and isinstance(item.get("label"), str) and 0 < len(item["id"]) <= 64):
            raise ValueError(f"each of '{key}' needs an 'id' (1-64 chars) and a 'label'")
        options.append(Option(item["id"], item["label"]))
    if len({o.id for o in options}) != len(options):
        raise ValueError(f"'{key}' has an id twice")
    return tuple(options)
