"""An id given in a command belongs to the agreement the command is sent to.

Obligation codings and citations have public ids (`obligation_id`, `citation_id`) that a command may name:
to give a new coding or citation a chosen id, or to withdraw one. Those ids are unique across the registry,
and the read models find rows by them, so an id of agreement B named in a command sent to agreement A would
let an archivist working on A reach B's rows (withdraw B's codings through A's stream). The rule: an id that
a command names must be unknown to the registry or belong to this agreement. Ids the command withdraws
(UncodeObligation, DetachCitation) are already checked against the agreement's own state by the aggregate;
ids it introduces are checked here against the directory.

Commands added later that name an id of their own kind (statements: `statement_id`) add a line to OWNED_IDS,
and their projections find rows by agreement and id, never by id alone.
"""

from __future__ import annotations

from typing import Protocol

from .errors import RuleViolated

# command type -> (field naming the id, the kind of id the directory knows)
OWNED_IDS = {
    "CodeObligation": ("obligation_id", "obligation"),
    "AttachCitation": ("citation_id", "citation"),
}


class Owners(Protocol):
    def owner_of(self, kind: str, id_: str) -> str | None:
        """The slug of the agreement that holds this id, or None if no agreement does."""


def check_owned_ids(command, slug: str, directory) -> None:
    """Refuse a command that names an id of another agreement (rule `id_of_another_agreement`)."""
    field_and_kind = OWNED_IDS.get(type(command).__name__)
    owner_of = getattr(directory, "owner_of", None)
    if field_and_kind is None or owner_of is None:
        return
    field, kind = field_and_kind
    value = getattr(command, field, None)
    if not value:
        return
    owner = owner_of(kind, str(value))
    if owner is not None and owner != slug:
        raise RuleViolated("id_of_another_agreement",
                           f"That {kind} id belongs to another agreement; an id named in a command must be this "
                           "agreement's own.", field)
