"""Obligation coding: what a clause obliges (or permits) its parties to do, on the scheme of the Alliance
Treaty Obligations and Provisions project (ATOP).

The scheme is data (codes, labels, definitions, the ATOP variable each code follows), so the codebook page,
the admin's choices and the commands' checks share one source. `check_coding` holds the rules that need
no agreement state; the aggregate adds those that do (the clause exists, the parties are parties).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import RuleViolated


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    definition: str
    atop: str = ""  # the ATOP variable the code follows, if any


OBLIGATION_TYPES = (
    Code("defence", "Defence",
         "Active military support to a party whose territory, sovereignty or forces are attacked.", "DEFENSE"),
    Code("offence", "Offence",
         "Active military support in a conflict a party starts or joins, outside a defensive case.", "OFFENSE"),
    Code("neutrality", "Neutrality",
         "Refraining from aiding an adversary of a party engaged in a conflict.", "NEUTRAL"),
    Code("non_aggression", "Non-aggression",
         "Refraining from the use of force against the other parties.", "NONAGG"),
    Code("consultation", "Consultation",
         "Consulting or acting together when a crisis or a threat to a party's security arises.", "CONSUL"),
    Code("military_aid", "Military aid and cooperation",
         "Provision of military aid, training, exercises, logistics or technology; an additional provision in "
         "ATOP rather than one of its five core obligations.", "MILAID"),
)

MODALITIES = (
    Code("obliges", "Obliges", "The text binds the party (\"shall assist\", \"undertake to\")."),
    Code("permits", "Permits", "The text allows but does not bind the party (\"may assist\", \"will be able to\")."),
)

CONDITIONS = (
    Code("attack_by_third_state", "Attack by a third state",
         "Holds only if a state or group of states outside the agreement attacks a party.", "CONDITIO: attack"),
    Code("attack_on_territory", "Attack on a party's territory",
         "Holds only for an attack on the party's own territory (not its forces abroad).", "CONDITIO: location"),
    Code("threat_to_sovereignty", "Threat to sovereignty or territorial integrity",
         "Holds when a party's territorial integrity, sovereignty or borders are threatened, before any attack.",
         "CONDITIO: threat"),
    Code("specific_adversary", "Specific adversary",
         "Holds only against an adversary the text names (give it in `adversary`).", "SPECADV"),
    Code("specific_location", "Specific location",
         "Holds only for a conflict in a region the text names.", "CONDITIO: location"),
    Code("on_request", "At the party's request",
         "Holds only when the party to be helped asks for it.", "CONDITIO: demand"),
    Code("ally_not_provoking", "Ally did not provoke",
         "Holds only if the party to be helped did not provoke the conflict.", "CONDITIO: non-provocation"),
)

OBLIGATION_CODES = tuple(c.code for c in OBLIGATION_TYPES)
MODALITY_CODES = tuple(c.code for c in MODALITIES)
CONDITION_CODES = tuple(c.code for c in CONDITIONS)

_LABELS = {c.code: c.label for c in (*OBLIGATION_TYPES, *MODALITIES, *CONDITIONS)}


def label(code: str) -> str:
    return _LABELS.get(code, code.replace("_", " ").capitalize())


def check_coding(conditions, adversary: str) -> None:
    """Rules of the scheme itself: no condition twice; an adversary exactly when one is named as a condition."""
    if len(set(conditions)) != len(conditions):
        raise RuleViolated("duplicate_condition", "A condition is given twice.", "conditions")
    if "specific_adversary" in conditions and not adversary.strip():
        raise RuleViolated(
            "adversary_missing", "The condition 'specific adversary' needs the adversary the text names.", "adversary"
        )
    if adversary.strip() and "specific_adversary" not in conditions:
        raise RuleViolated(
            "adversary_without_condition",
            "An adversary is given, but the conditions do not include 'specific_adversary'.",
            "adversary",
        )
