"""The values of the agreement page's removal checkboxes: one key per relation or cross-reference, built from
the fields that name it, and read back into those fields when the box is ticked.

A key is its parts joined by "|", each part quoted first ("%" as "%25", "|" as "%7C"), so a part that holds
the separator can neither split into more parts nor make two different relations share a key. A part without
"%" or "|" (every eId, slug and relation the grammars admit) is written as it is: "art_2|un-charter-1945|art_51".
"""

from __future__ import annotations

from urllib.parse import unquote

SEPARATOR = "|"


def _quoted(part) -> str:
    return str(part or "").replace("%", "%25").replace(SEPARATOR, "%7C")


def join_key(*parts) -> str:
    """One key for `parts` (None is read as ""); different parts give different keys."""
    return SEPARATOR.join(_quoted(part) for part in parts)


def split_key(key: str, count: int) -> tuple[str, ...]:
    """The `count` parts `join_key` was given; a key of another shape raises ValueError."""
    parts = key.split(SEPARATOR)
    if len(parts) != count:
        raise ValueError(f"A key of {count} parts was expected, not {key!r}.")
    return tuple(unquote(part) for part in parts)


def relation_key(relation, target) -> str:
    return join_key(relation, target)


def relation_of(key: str) -> dict:
    """The RemoveRelation fields a relation's key names."""
    relation, target = split_key(key, 2)
    return {"relation": relation, "target": target}


def reference_key(eid, target, target_eid) -> str:
    return join_key(eid, target, target_eid)


def reference_of(key: str) -> dict:
    """The RemoveReference fields a cross-reference's key names."""
    eid, target, target_eid = split_key(key, 3)
    return {"eid": eid, "target": target, "target_eid": target_eid}
