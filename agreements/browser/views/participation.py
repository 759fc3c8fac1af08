"""The participation table of an agreement's page, as depositaries print a status list: for each participant
its signature, its consent with the kind's marker (ratification unmarked; A acceptance, AA approval,
a accession, d succession, c formal confirmation, s definitive signature), the date the agreement took effect
for it and how that date was obtained, its status on the page's date, and notes: its other actions
(territorial application, provisional application, withdrawal...) and its reservations and declarations,
each with the objections of others under it.

Everything comes from the view `agreement_at` built (no query here), so the page's query count does not
depend on how many participants there are. Texts are data: the template escapes them.
"""

from __future__ import annotations

from django.utils.translation import gettext

from agreements.domain import participation as pa
from .. import links
from ..present import (
    action_label,
    clause_label,
    derivation_label,
    human_date,
    participant_status_label,
    statement_kind_label,
)


def _statement(entry, names, notes) -> dict:
    return {
        "anchor": f"statement-{entry.statement_id}",
        "kind": statement_kind_label(entry.kind),
        "party": names.get(entry.party, entry.party),
        "text": entry.text,
        "language": entry.language,
        "date": human_date(entry.date),
        "made_at": {"signature": gettext("on signature"), "consent": gettext("on consent"),
                    "later": gettext("later")}.get(entry.made_at, ""),
        "articles": ", ".join(clause_label(eid) for eid in entry.eids),
        "narrowed": entry.narrowed,
        "opposes": entry.opposes_entry_into_force,
        "objects_to": f"statement-{entry.objects_to}" if entry.objects_to else "",
        "notes": notes.take(f"statement:{entry.statement_id}"),
        "objections": [_statement(o, names, notes) for o in entry.objections],
    }


def _action_note(action) -> str:
    text = f"{action_label(action.action)}: {human_date(action.date)}"
    if action.effective:
        text = gettext("%(fact)s, taking effect %(date)s") % {"fact": text, "date": human_date(action.effective)}
    if action.territory:
        text += f" ({action.territory})"
    if action.predecessor:
        text = gettext("%(fact)s, succeeding %(predecessor)s") % {"fact": text, "predecessor": action.predecessor}
    return text


def participation_table(view, as_of, notes) -> dict:
    """The rows and the entry-into-force summary of the page (`view`: an AgreementView)."""
    participation = view.participation
    names = {p.code: p.name for p in view.parties}
    rows = []
    for entry in participation.participants:
        consent = entry.consent
        rows.append({
            "party": entry.party,
            "name": entry.name,
            "href": links.party_url(entry.party),
            "signature": human_date(entry.signature.date) if entry.signature else "",
            "consent": human_date(consent.date) if consent else "",
            "consent_kind": action_label(consent.action) if consent else "",
            "marker": pa.CONSENT_MARKERS.get(consent.action, "") if consent else "",
            "notification": consent.notification if consent else "",
            "in_force": human_date(entry.in_force) if entry.in_force else "",
            "in_force_how": derivation_label(entry.in_force_how) if entry.in_force else "",
            "in_force_later": bool(entry.in_force and entry.in_force > as_of),
            "status": entry.status,
            "status_label": participant_status_label(entry.status),
            "notes": [_action_note(a) for a in entry.notes],
            # Objections show under the statement they answer, not again on their own.
            "statements": [_statement(s, names, notes) for s in entry.statements if not s.objects_to],
            "objections": [{"anchor": f"statement-{s.statement_id}", "target": f"statement-{s.objects_to}"}
                           for s in entry.statements if s.objects_to],
        })
    return {
        "rows": rows,
        "rule": participation.rule_text,
        "entry_into_force": human_date(participation.entry_into_force) if participation.entry_into_force else "",
        "entry_into_force_how": derivation_label(participation.entry_into_force_how),
        "expiry": human_date(participation.expiry) if participation.expiry else "",
        "expiry_how": derivation_label(participation.expiry_how),
        "renewals": [human_date(d) for d in participation.renewals],
    }
