"""The PLOVER ontology (16 event types, their quad classes and modes) and the CAMEO → PLOVER mapping.

Both are data (rules/events/plover.yaml, rules/events/cameo_plover.csv) so analysts can read and change
them; this module only loads and checks them. The CAMEO mapping is what lets CAMEO-coded gold data (and
older CAMEO datasets) be compared with our PLOVER output: a code maps by its longest listed prefix, so a
root code ("19") covers every sub-code except the ones listed on their own ("191" is a blockade, COERCE).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipelines.core import packaged_yaml

QUAD_CLASSES = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


class LexiconError(ValueError):
    """A rules file is inconsistent (unknown type, mode, class…); the message names the file and entry."""


@dataclass(frozen=True)
class EventType:
    name: str
    quad: str
    modes: frozenset[str]
    future_as: str | None = None  # the type an announced (future) action of this type is coded as


@dataclass(frozen=True)
class CameoMapping:
    plover: str | None
    mode: str | None


def rules_text(name: str) -> str:
    return resources.files("pipelines.core.rules").joinpath(f"events/{name}").read_text("utf-8")


@cache
def event_types() -> dict[str, EventType]:
    data = packaged_yaml.load(rules_text("plover.yaml"))
    types = {}
    for name, spec in data["types"].items():
        if spec["quad"] not in QUAD_CLASSES:
            raise LexiconError(f"plover.yaml: {name} has unknown quad class {spec['quad']!r}")
        types[name] = EventType(name, spec["quad"], frozenset(spec.get("modes") or ()), spec.get("future_as"))
    for spec in types.values():
        if spec.future_as is not None and spec.future_as not in types:
            raise LexiconError(f"plover.yaml: {spec.name} future_as names unknown type {spec.future_as!r}")
    return types


@cache
def type_aliases() -> dict[str, str]:
    aliases = packaged_yaml.load(rules_text("plover.yaml")).get("aliases") or {}
    for old, new in aliases.items():
        if new not in event_types():
            raise LexiconError(f"plover.yaml: alias {old} points to unknown type {new}")
    return dict(aliases)


def check_type(event_type: str, mode: str | None, where: str) -> None:
    """Raise LexiconError unless `event_type` is a PLOVER type and `mode` one of its modes."""
    types = event_types()
    if event_type not in types:
        raise LexiconError(f"{where}: unknown PLOVER type {event_type!r}")
    if mode is not None and mode not in types[event_type].modes:
        raise LexiconError(f"{where}: mode {mode!r} is not a mode of {event_type} (see plover.yaml)")


def plover_type(name: str) -> str:
    """Today's PLOVER type for a type name from any PLOVER version (DEMAND → REQUEST …)."""
    upper = name.strip().upper()
    resolved = type_aliases().get(upper, upper)
    check_type(resolved, None, "plover_type")
    return resolved


def quad_class(event_type: str) -> str:
    return event_types()[event_type].quad


@cache
def _cameo_table() -> dict[str, CameoMapping]:
    table = {}
    for row in csv.DictReader(io.StringIO(rules_text("cameo_plover.csv"))):
        plover = row["plover"] or None
        mode = row["mode"] or None
        if plover is not None:
            check_type(plover, mode, f"cameo_plover.csv {row['cameo']}")
        table[row["cameo"]] = CameoMapping(plover, mode)
    return table


def cameo_to_plover(code: str) -> CameoMapping:
    """PLOVER type and mode of a CAMEO event code ("0841", "190"); plover None for comments (01x)."""
    table = _cameo_table()
    digits = code.strip()
    for end in range(len(digits), 1, -1):
        if digits[:end] in table:
            return table[digits[:end]]
    raise LexiconError(f"CAMEO code {code!r} has no root in cameo_plover.csv")
