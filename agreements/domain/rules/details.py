"""An agreement's details: drafting it (its slug, title, kind, date and work URI) and editing them.

A slug and a work URI name one agreement for good: drafting refuses one already taken. Editing changes
only the fields given. Both are correctable (a mistyped title is put right, not re-edited), and a
correction of the details passes the checks an `EditDetails` command passes.
"""

from __future__ import annotations

from .. import commands, events
from ..errors import RuleViolated
from ..identities import work_uri
from .correcting import Correction

DETAIL_FIELDS = ("title", "kind", "summary", "place", "titles", "work_date")


def draft_agreement(state, cmd: commands.DraftAgreement, directory):
    if directory.agreement_exists(cmd.slug):
        raise RuleViolated("agreement_exists", f"An agreement with slug '{cmd.slug}' already exists.", "slug")
    uri = cmd.work_uri or work_uri(cmd.slug, cmd.work_date)
    taken = getattr(directory, "work_uri_taken", None)
    if taken is not None and taken(uri):
        raise RuleViolated("work_uri_taken", f"Another agreement already has the work URI '{uri}'.",
                           "work_uri" if cmd.work_uri else "slug")
    return [events.AgreementDrafted(slug=cmd.slug, title=cmd.title, kind=cmd.kind, work_uri=uri, summary=cmd.summary,
                                    place=cmd.place, titles=dict(cmd.titles), work_date=cmd.work_date)]


def edit_details(state, cmd: commands.EditDetails, directory):
    changes = {name: getattr(cmd, name) for name in DETAIL_FIELDS if getattr(cmd, name) is not None}
    return [events.DetailsEdited(changes=changes)]


def agreement_drafted(state, event, event_id):
    state.slug = event.slug
    state.title = event.title
    state.kind = event.kind
    state.work_date = event.work_date


def details_edited(state, event, event_id):
    _set_details(state, event.changes)


def _set_details(state, changes: dict):
    for name, value in changes.items():
        if hasattr(state, name):
            setattr(state, name, value)


def _parse_changes(value) -> dict:
    """Corrected `changes` pass the checks of an EditDetails command's fields."""
    parsed = commands.parse_command("EditDetails", value).__dict__
    return {name: change for name, change in parsed.items() if change is not None and name != "command_id"}


def _corrected_details(state, fixed, original, event_id, corrections):
    _set_details(state, corrections.get("changes", corrections))


DECIDE = {
    commands.DraftAgreement: draft_agreement,
    commands.EditDetails: edit_details,
}
APPLY = {
    events.AgreementDrafted: agreement_drafted,
    events.DetailsEdited: details_edited,
}
CORRECT = {
    events.AgreementDrafted: Correction(DETAIL_FIELDS, apply=_corrected_details),
    events.DetailsEdited: Correction(("changes",), apply=_corrected_details, parse={"changes": _parse_changes}),
}
