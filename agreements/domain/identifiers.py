"""Repair, on read, of identifiers stored before the grammars were anchored at the true end of the text.

Until the grammars of `vocabulary` ended in `\\Z`, Python's `$` let an identifier with one final newline
pass ("x\\n" as a slug, "art_9\\n" as an eId): such events may be stored, and events are immutable. Every URL
built from such a value fails, so the pages that show it would fail. `$` admits exactly one extra final
"\\n", so the repair is exact: a payload field that is a valid identifier followed by one newline is read as
that identifier. The store keeps the bytes it was given (the hash chain covers them); the read models,
rebuilt or projected from the repaired payloads, hold the valid identifier.

The stream id of an agreement drafted as "x\\n" stays "agreement:x\\n": its pages read as "x", and commands
sent to "x" find no agreement (they cannot reach the stored stream), so such an agreement is read-only.
"""

from __future__ import annotations

from . import vocabulary

# Payload fields that hold an identifier, with the grammar each must match.
IDENTIFIER_FIELDS = {
    "slug": vocabulary.SLUG_RE,
    "by": vocabulary.SLUG_RE,
    "target": vocabulary.SLUG_RE,
    "eid": vocabulary.EID_RE,
    "new_eid": vocabulary.EID_RE,
    "parent": vocabulary.EID_RE,
    "target_eid": vocabulary.EID_RE,
    "party": vocabulary.PARTY_CODE_RE,
    "supports": vocabulary.EID_RE,
}


def repair_identifiers(payload: dict) -> dict:
    """The payload with every identifier field that is a valid identifier plus one final newline repaired."""
    fixed = None
    for name, grammar in IDENTIFIER_FIELDS.items():
        value = payload.get(name)
        if isinstance(value, str) and value.endswith("\n") and grammar.match(value[:-1]):
            fixed = fixed if fixed is not None else dict(payload)
            fixed[name] = value[:-1]
    return fixed if fixed is not None else payload
