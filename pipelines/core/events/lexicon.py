"""The event coder's lexicons, loaded from the analyst-editable files in pipelines/core/rules/events/.

verbs.yaml and nouns.yaml say which words report which PLOVER action, modes.yaml which words set a mode,
actors.yaml how actors get a sector. Loading checks every entry against the ontology (plover.yaml), so a
typo in a type, mode or object class fails at import time with the file and entry named, never silently
at coding time. LEXICON_VERSION is a hash of all these files: it is part of the coder version, so editing
a lexicon re-codes the articles (and only that).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipelines.core import packaged_yaml
from pipelines.core.events.ontology import LexiconError, check_type, event_types, rules_text

RULE_FILES = (
    "plover.yaml",
    "cameo_plover.csv",
    "verbs.yaml",
    "nouns.yaml",
    "modes.yaml",
    "actors.yaml",
    "registers.yaml",
)


# What a counted generic phrase ("the two countries") may stand for: the NER's labels, a country (a GPE or
# NORP name countries.py knows) or a leader (a person named with a leader title).
GENERIC_KINDS = frozenset({"PERSON", "ORG", "GPE", "NORP", "COUNTRY", "LEADER"})


@dataclass(frozen=True)
class VerbSense:
    verb: str
    event_type: str
    mode: str | None = None
    objects: frozenset[str] = frozenset()
    complement: bool = False
    complement_required: bool = False  # no event unless the verb has its action clause
    recipient_preps: tuple[str, ...] | None = None  # None: the direct object; "object" may be listed
    symmetric: bool = False
    unless: frozenset[str] = frozenset()  # object classes that rule this sense out ("fired the minister")
    two_sided: bool = False  # no event without a second party ("the cabinet met" is no consultation)
    needs_violence: bool = False  # only in a violent setting ("targeted voters" is no attack)
    stative: bool = False  # its passive states the subject's stance ("Israel is opposed to the plan")
    converse: bool = False  # the subject receives, the "from" phrase acts ("received weapons from Iran")
    by_actors: bool = False  # also counts between two political actors ("Israel hit Gaza"): verbs.yaml actors


@dataclass(frozen=True)
class NounSense:
    noun: str
    event_type: str
    mode: str | None = None
    light_verbs: frozenset[str] | None = None  # None: any light verb
    recipient_preps: tuple[str, ...] = ()
    participant_preps: tuple[str, ...] = ()
    alone: bool = False  # an event without a light verb too ("clashes erupted", "killed in an explosion")
    needs_violence: bool = False  # only in a sentence with a violence cue ("the deaths of 15 militants")
    two_sided: bool = False  # no event without a second party ("launched consultations on blight")


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[VerbSense, ...]]
    nouns: dict[str, tuple[NounSense, ...]]
    light_verbs: frozenset[str]
    exclusive_light_verbs: frozenset[str]  # carry only the nouns whose `with` names them
    converse_light_verbs: frozenset[str]  # exclusive, and their subject receives the noun's event
    object_classes: dict[str, frozenset[str]]
    mode_cues: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]
    sectors: dict[str, str]
    named: dict[str, tuple[str, str | None]]
    pronouns: frozenset[str]
    event_nouns: frozenset[str]
    collective_nouns: frozenset[str]
    reporting_verbs: frozenset[str]
    hypothetical_markers: frozenset[str]
    modal_hypothetical: frozenset[str]
    future_markers: frozenset[str]
    future_verbs: frozenset[str]
    allegation_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    message_nouns: frozenset[str]
    # "leader" -> tiers of entity kinds it can stand for, tried in order ("the two leaders": LEADER, then PERSON)
    generic_plurals: dict[str, tuple[frozenset[str], ...]]
    leader_titles: frozenset[str]
    violence_cues: frozenset[str]
    accident_cues: frozenset[str]
    partitive_nouns: frozenset[str]
    dismissal_adjectives: frozenset[str]
    ruling_out_phrases: frozenset[str]  # "out of the question": said of an action, the speaker rules it out
    dispositions: frozenset[str]
    demand_modals: frozenset[str]
    accusation_nouns: frozenset[str]
    derived: dict[str, str]  # nominalisation -> the verb whose senses it has ("expulsion" -> "expel")
    registers: dict[str, frozenset[str]]  # register -> cue lemmas (registers.yaml)
    register_share: float
    register_min_cues: int
    political_sectors: frozenset[str]
    armed_sectors: frozenset[str]
    sense_actors: frozenset[str]  # sectors of the political actors that are sense evidence (actors.yaml)
    arms: frozenset[str]  # weapons, missiles and violence cues: what a blow is struck "with"


def _words(values: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


def _words_field(spec: dict, field: str, where: str) -> tuple[str, ...]:
    """A list-of-words field, checked: YAML reads a bare `on` as true, which must not pass silently."""
    values = spec.get(field) or ()
    if not all(isinstance(v, str) for v in values):
        raise LexiconError(f"{where}: {field} must list words (quote 'on'): {values!r}")
    return tuple(v.lower() for v in values)


def _entries(data: dict, key: str, file: str) -> Iterable[tuple[str, dict]]:
    """(event type, entry) pairs of a lexicon grouped by type; entries may be bare words."""
    for event_type, entries in data.items():
        if event_type in (
            "object_classes",
            "light_verbs",
            "exclusive_light_verbs",
            "converse_light_verbs",
            "violence_cues",
            "partitive_nouns",
            "dismissals",
            "dispositions",
            "demand_modals",
            "accident_cues",
            "derived",
        ):
            continue
        for entry in entries:
            spec = entry if isinstance(entry, dict) else {key: entry}
            where = f"{file} {event_type}/{spec.get(key)}"
            check_type(event_type, spec.get("mode"), where)
            unknown = set(spec) - {
                key,
                "mode",
                "objects",
                "complement",
                "recipient",
                "symmetric",
                "with",
                "participants",
                "alone",
                "context",
                "unless",
                "two_sided",
                "stative",
                "converse",
                "actors",
            }
            if unknown:
                raise LexiconError(f"{where}: unknown field(s) {sorted(unknown)}")
            if spec.get("complement") not in (None, True, False, "required"):
                raise LexiconError(f"{where}: complement must be true or required")
            if spec.get("context") not in (None, "violence"):
                raise LexiconError(f"{where}: context must be violence")
            if spec.get("actors") not in (None, "political"):
                raise LexiconError(f"{where}: actors must be political")
            for field in ("objects", "with", "participants", "unless"):
                _words_field(spec, field, where)
            if isinstance(spec.get("recipient"), list):
                _words_field(spec, "recipient", where)
            yield event_type, spec


def _load_verbs(data: dict, classes: dict[str, frozenset[str]]) -> dict[str, tuple[VerbSense, ...]]:
    conditional: dict[str, list[VerbSense]] = {}
    general: dict[str, list[VerbSense]] = {}
    for event_type, spec in _entries(data, "verb", "verbs.yaml"):
        objects = frozenset(spec.get("objects") or ())
        unless = frozenset(spec.get("unless") or ())
        unknown = (objects | unless) - set(classes) - {"any", "actor", "place"}
        if unknown:
            raise LexiconError(f"verbs.yaml {event_type}/{spec['verb']}: unknown object class(es) {sorted(unknown)}")
        recipient = spec.get("recipient")
        sense = VerbSense(
            verb=spec["verb"].lower(),
            event_type=event_type,
            mode=spec.get("mode"),
            objects=objects,
            complement=bool(spec.get("complement")),
            complement_required=spec.get("complement") == "required",
            recipient_preps=None if recipient in (None, "object") else tuple(recipient),
            symmetric=bool(spec.get("symmetric")),
            unless=unless,
            two_sided=bool(spec.get("two_sided")),
            stative=bool(spec.get("stative")),
            converse=bool(spec.get("converse")),
            needs_violence=spec.get("context") == "violence",
            by_actors=spec.get("actors") == "political",
        )
        specific = objects or sense.needs_violence or sense.by_actors  # tried before the senses without a condition
        (conditional if specific else general).setdefault(sense.verb, []).append(sense)
    return {verb: tuple(conditional.get(verb, []) + general.get(verb, [])) for verb in {*conditional, *general}}


def _load_nouns(data: dict) -> tuple[dict[str, tuple[NounSense, ...]], dict[str, frozenset[str]]]:
    """Noun senses, and the word lists of nouns.yaml (light verbs, violence and accident cues, partitives)."""
    converse = _words(data["converse_light_verbs"])
    exclusive = _words(data["exclusive_light_verbs"]) | converse
    light = _words(data["light_verbs"]) | exclusive
    nouns: dict[str, list[NounSense]] = {}
    # Senses that need a light verb are tried first: "launched an attack" names its actor, "the attack" alone
    # may not.
    for event_type, spec in _entries(data, "noun", "nouns.yaml"):
        with_verbs = spec.get("with")
        if with_verbs and not set(with_verbs) <= light:
            raise LexiconError(
                f"nouns.yaml {event_type}/{spec['noun']}: {sorted(set(with_verbs) - light)} not in light_verbs"
            )
        nouns.setdefault(spec["noun"].lower(), []).append(
            NounSense(
                noun=spec["noun"].lower(),
                event_type=event_type,
                mode=spec.get("mode"),
                light_verbs=_words(with_verbs) if with_verbs is not None else None,
                recipient_preps=tuple(spec.get("recipient") or ()),
                participant_preps=tuple(spec.get("participants") or ()),
                alone=bool(spec.get("alone")),
                needs_violence=spec.get("context") == "violence",
                two_sided=bool(spec.get("two_sided")),
            )
        )
    ordered = {noun: tuple(sorted(senses, key=lambda s: s.light_verbs is None)) for noun, senses in nouns.items()}
    lists = {"light_verbs": light, "exclusive_light_verbs": exclusive, "converse_light_verbs": converse}
    lists |= {key: _words(data[key]) for key in ("violence_cues", "partitive_nouns", "accident_cues")}
    return ordered, lists


def _load_derived(nouns_data: dict, verbs: dict[str, tuple[VerbSense, ...]]) -> dict[str, str]:
    """nouns.yaml's derivational table, each verb checked against verbs.yaml."""
    table = {str(noun).lower(): str(verb).lower() for noun, verb in nouns_data["derived"].items()}
    unknown = sorted(f"{noun}: {verb}" for noun, verb in table.items() if verb not in verbs)
    if unknown:
        raise LexiconError(f"nouns.yaml derived: verbs not in verbs.yaml: {unknown}")
    return table


def _load_mode_cues() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    data = packaged_yaml.load(rules_text("modes.yaml"))
    cues = {}
    for event_type, modes in data.items():
        for mode in modes:
            check_type(event_type, mode, f"modes.yaml {event_type}")
        cues[event_type] = tuple((mode, tuple(w.lower() for w in words)) for mode, words in modes.items())
    return cues


def _load_actor_rules() -> dict:
    data = packaged_yaml.load(rules_text("actors.yaml"))
    sectors: dict[str, str] = {}
    for sector, words in data["sectors"].items():
        for word in words:
            if word.lower() in sectors:
                raise LexiconError(f"actors.yaml: {word!r} is listed under {sectors[word.lower()]} and {sector}")
            sectors[word.lower()] = sector
    named = {name.lower(): (spec["sector"], spec.get("country")) for name, spec in data["named"].items()}
    generic = {
        word.lower(): tuple(frozenset(k.strip() for k in str(tier).split("|")) for tier in tiers)
        for word, tiers in data["generic_plurals"].items()
    }
    unknown_kinds = {k for tiers in generic.values() for tier in tiers for k in tier} - GENERIC_KINDS
    if unknown_kinds:
        raise LexiconError(f"actors.yaml generic_plurals: unknown kind(s) {sorted(unknown_kinds)}")
    political = frozenset(str(sector).upper() for sector in data["political_sectors"])
    armed = frozenset(str(sector).upper() for sector in data["armed_sectors"])
    evidence = frozenset(str(sector).upper() for sector in data["sense_actors"])
    for name, listed in (("political_sectors", political), ("armed_sectors", armed), ("sense_actors", evidence)):
        if not listed <= set(data["sectors"]):
            raise LexiconError(f"actors.yaml {name}: unknown {sorted(listed - set(data['sectors']))}")
    for name, (sector, _) in named.items():
        if sector not in data["sectors"]:
            raise LexiconError(f"actors.yaml named/{name}: unknown sector {sector!r}")
    return {
        "sectors": sectors,
        "named": named,
        "generic_plurals": generic,
        "political_sectors": political,
        "armed_sectors": armed,
        "sense_actors": evidence,
        **{
            key: _words(data[key])
            for key in (
                "pronouns",
                "event_nouns",
                "collective_nouns",
                "reporting_verbs",
                "hypothetical_markers",
                "modal_hypothetical",
                "future_markers",
                "future_verbs",
                "allegation_verbs",
                "belief_verbs",
                "message_nouns",
                "leader_titles",
            )
        },
    }


def _load_registers() -> tuple[dict[str, frozenset[str]], float, int]:
    data = packaged_yaml.load(rules_text("registers.yaml"))
    cues = {name: _words(words) for name, words in data["cues"].items()}
    if "politics" not in cues:
        raise LexiconError("registers.yaml: cues must include politics")
    return cues, float(data["share"]), int(data["min_cues"])


@cache
def load_lexicon() -> Lexicon:
    """All event rules, checked against the ontology; loaded once per process, each file parsed once."""
    event_types()
    verbs_data = packaged_yaml.load(rules_text("verbs.yaml"))
    nouns_data = packaged_yaml.load(rules_text("nouns.yaml"))
    classes = {name: _words(words) for name, words in verbs_data["object_classes"].items()}
    nouns, noun_lists = _load_nouns(nouns_data)
    registers, share, min_cues = _load_registers()
    dismissals = verbs_data["dismissals"]
    verbs = _load_verbs(verbs_data, classes)
    return Lexicon(
        arms=classes["weapons"] | classes["missiles"] | noun_lists["violence_cues"],
        verbs=verbs,
        derived=_load_derived(nouns_data, verbs),
        dismissal_adjectives=_words(dismissals["adjectives"]),
        accusation_nouns=_words(dismissals["accusations"]),
        ruling_out_phrases=_words(dismissals["ruled_out"]),
        dispositions=_words(verbs_data["dispositions"]),
        demand_modals=_words(verbs_data["demand_modals"]),
        nouns=nouns,
        object_classes=classes,
        mode_cues=_load_mode_cues(),
        **noun_lists,
        registers=registers,
        register_share=share,
        register_min_cues=min_cues,
        **_load_actor_rules(),
    )


@cache
def lexicon_version() -> str:
    """Hash of every rules file: changes whenever an analyst edits a lexicon."""
    digest = hashlib.sha256()
    for name in RULE_FILES:
        digest.update(resources.files("pipelines.core.rules").joinpath(f"events/{name}").read_bytes())
    return digest.hexdigest()[:8]
