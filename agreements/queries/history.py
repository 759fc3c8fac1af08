"""An agreement's events told as its history (payloads as currently corrected, text diffs), the recent
changes of published agreements, and the one describer of events (for the public and for staff)."""

from __future__ import annotations

import dataclasses
import re

from django.db.models import Q

from agreements.projections.models import AgreementRecord
from registry.eventstore.models import StoredEvent

from agreements.domain.entry_into_force import EntryIntoForceRule
from agreements.domain.wording import (
    action_label,
    statement_kind_label,
    clause_label,
    human_date,
    kind_label,
    registration_label,
    relation_label,
)

from .events import events_of, published_events
from .visibility import UNPUBLISHED_LABEL, hidden_slugs, payload_slugs, redact_payload


@dataclasses.dataclass
class HistoryEntry:
    event: object  # StoredEvent
    payload: dict  # as currently corrected
    previous_text: str | None  # the clause's text before this event (amendments and corrections of text)
    corrected_by: list  # StoredEvent rows of EventCorrected that changed this event

    @property
    def event_id(self):
        return str(self.event.event_id)


def history(slug: str) -> list[HistoryEntry]:
    """Every event of the agreement in stream order, with each payload as currently corrected and, for clause
    text changes, the text it replaced (so the page can show a word-level diff)."""
    rows = list(events_of(slug, include_unpublished=True))
    entries: dict[str, HistoryEntry] = {}
    texts: dict[str, str] = {}  # clause_id -> latest text in stream order
    ordered = []
    for row in rows:
        payload = dict(row.payload)
        previous = None
        if row.type == "ClauseAdded":
            texts[payload["clause_id"]] = payload.get("text", "")
        elif row.type == "ClauseAmended":
            previous = texts.get(payload["clause_id"], "")
            texts[payload["clause_id"]] = payload.get("text", "")
        elif row.type == "EventCorrected":
            original = entries.get(payload.get("event_id"))
            if original is not None:
                corrections = payload.get("corrections", {})
                if "text" in corrections:
                    previous = original.payload.get("text", "")
                    clause_id = original.payload.get("clause_id")
                    if texts.get(clause_id) == previous:  # it corrected the clause's latest text
                        texts[clause_id] = corrections["text"]
                original.payload = {**original.payload, **corrections}
                original.corrected_by.append(row)
        entry = HistoryEntry(event=row, payload=payload, previous_text=previous, corrected_by=[])
        entries[str(row.event_id)] = entry
        ordered.append(entry)
    return ordered


def events_after(slug: str, version: int) -> list[HistoryEntry]:
    """The events appended after `version` (what someone else saved meanwhile), with their text diffs."""
    return [entry for entry in history(slug) if entry.event.stream_version > version]


def event_as_corrected(slug: str, event_id: str) -> HistoryEntry | None:
    for entry in history(slug):
        if entry.event_id == str(event_id):
            return entry
    return None


@dataclasses.dataclass
class Change:
    event: StoredEvent
    record: AgreementRecord
    payload: dict  # as the public may read it: slugs of unpublished agreements are None
    names: dict = dataclasses.field(default_factory=dict)  # codes and source keys -> names (reader_names)


def reader_names(payloads) -> dict[str, str]:
    """What a reader calls the parties and sources these payloads name by code or key: party code -> its
    name, source key (or id) -> its title. Two queries, for a page of events."""
    from sources.models import Party, Source

    codes, sources = set(), set()
    for p in payloads:
        for name in ("party", "predecessor"):
            if isinstance(p.get(name), str):
                codes.add(p[name])
        for name in ("parties", "towards"):
            codes.update(code for code in p.get(name) or [] if isinstance(code, str))
        if p.get("source") not in (None, ""):
            sources.add(str(p["source"]))
    names = dict(Party.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    if sources:
        ids = {int(s) for s in sources if s.isascii() and s.isdigit() and len(s) < 19}
        for pk, key, title in Source.objects.filter(Q(key__in=sources) | Q(pk__in=ids)).values_list("pk", "key", "title"):
            names[key] = title
            if str(pk) in sources and str(pk) not in names:
                names[str(pk)] = title
    return names


def recent_changes(limit: int = 20, before: int | None = None) -> list[Change]:
    """The latest events of published agreements (older than position `before`, for paging), newest first (a
    bounded read: events.published_events), for the public."""
    events = published_events(limit=limit, newest_first=True, before=before)
    records = {r.stream_id: r for r in AgreementRecord.objects.filter(stream_id__in={e.stream_id for e in events})}
    hidden = hidden_slugs(set().union(*(payload_slugs(e.payload) for e in events)))
    changes = [Change(event, records[event.stream_id], redact_payload(event.payload, hidden))
               for event in events if event.stream_id in records]
    names = reader_names(change.payload for change in changes)
    for change in changes:
        change.names = names
    return changes


def newer_page_start(position: int, limit: int) -> int | None:
    """For paging the changes newest first: the `before` of the page just newer than `position` (None: the
    first page)."""
    newer = published_events(after=position, limit=limit + 1)
    return newer[limit].position if len(newer) > limit else None


def returned_note(slug: str) -> str:
    """The reviewer's comment when the agreement was last returned to draft, while it still is a draft."""
    last = (
        StoredEvent.objects.filter(stream_id=f"agreement:{slug}",
                                   type__in=("ReturnedToDraft", "SubmittedForReview", "Published", "Unpublished"))
        .order_by("-stream_version").values_list("type", "payload").first()
    )
    return last[1].get("note", "") if last and last[0] == "ReturnedToDraft" else ""


# ---------------------------------------------------------------------------------------------- describing


class _Words:
    """How a description names things: for the public in words (Article 2, 1 May 2015, labels), for staff
    by identifier (art_2, 2015-05-01, slugs), with what staff also need (notes, roles, ids)."""

    def __init__(self, for_staff: bool, names=None):
        self.staff = for_staff
        self.names = names or {}

    def named(self, key):
        """A party or source as staff know it (its code or key), or as a reader does (its name, given)."""
        key = "" if key is None else str(key)
        return key if self.staff else self.names.get(key, key)

    def clause(self, eid, heading=""):
        if self.staff:
            return (eid or "") + (f" ({heading})" if heading else "")
        return clause_label(eid or "", heading or "")

    def date(self, value):
        return str(value or "") if self.staff else human_date(value)

    def agreement(self, slug, target_eid=None):
        if not slug:
            return UNPUBLISHED_LABEL  # redacted for the public: see queries.visibility
        if target_eid:
            return f"{slug}#{target_eid}" if self.staff else f"{slug}, {clause_label(target_eid)}"
        return slug

    def label(self, value, labels=kind_label):
        return (value or "").replace("_", " ") if self.staff else labels(value or "")

    def extra(self, text):
        return text if self.staff and text else ""


def describe_event(event_type: str, payload: dict, for_staff: bool = False, names=None) -> str:
    """One line saying what an event did: for the public (the browser, its feed) or for staff (the admin's
    history). Plain text: templates escape it. `names` (reader_names) lets the public read parties and
    sources by name rather than by code or key."""
    p, w = payload or {}, _Words(for_staff, names)
    effective = f" with effect from {w.date(p['effective'])}" if p.get("effective") else ""
    # An amendment or a repeal as a reader says it ("Article 2 amended, in effect from 1 June 2015").
    in_effect = effective if for_staff or not effective else f", in effect from {w.date(p['effective'])}"
    by = w.extra(f" by {p['by']}" if p.get("by") else "")
    note = w.extra(f": {p['note']}" if p.get("note") else "")
    match event_type:
        case "AgreementDrafted":
            return "Agreement entered in the registry" + w.extra(
                f": “{p.get('title')}” ({w.label(p.get('kind'))}, {p.get('slug')})")
        case "DetailsEdited":
            changes = p.get("changes") or {}
            if for_staff:
                return "Details edited: " + ", ".join(
                    f"{k} → {v}" if k != "summary" else "summary" for k, v in changes.items())
            fields = ", ".join(kind_label(name).lower() for name in sorted(changes))
            return f"Details edited ({fields})" if fields else "Details edited"
        case "PartyAdded":
            return f"Party added: {w.named(p.get('party'))}" + w.extra(f" ({p['role']})" if p.get("role") else "")
        case "PartyRemoved":
            return f"Party removed: {w.named(p.get('party'))}"
        case "LifecycleRecorded":
            who = f" by {w.named(p['party'])}" if p.get("party") else w.extra(" for the agreement as a whole")
            return f"{w.label(p.get('action'), action_label)}{who} recorded: {w.date(p.get('date'))}" + (
                f", taking effect {w.date(p['effective'])}" if p.get("effective") else "")
        case "StatementMade":
            kind = w.label(p.get("kind"), statement_kind_label)
            return f"{kind} by {w.named(p.get('party', ''))} recorded: {w.date(p.get('date'))}" + w.extra(
                f" ({p.get('language')}, {p.get('statement_id')})")
        case "StatementWithdrawn":
            how = "Statement partly withdrawn" if p.get("text") else "Statement withdrawn"
            return f"{how}: {w.date(p.get('date'))}" + w.extra(f" ({p.get('statement_id')})")
        case "EntryIntoForceRuleSet":
            rule = EntryIntoForceRule.from_fields(p.get("rule") or {})
            return "Entry-into-force rule set" + (f": {rule.describe()}" if rule else "")
        case "ClauseAdded":
            added = f"{w.clause(p.get('eid'), p.get('heading'))} added"
            return added + w.extra(f", {p.get('text_kind')}{effective}")
        case "ClauseAmended":
            return f"{w.clause(p.get('eid'))} amended{in_effect or ' (date not recorded)'}{by}"
        case "ClauseRepealed":
            return f"{w.clause(p.get('eid'))} repealed{in_effect or ' (date not recorded)'}{by}"
        case "ClauseRenumbered":
            return f"{w.clause(p.get('eid'))} renumbered as {w.clause(p.get('new_eid'))}" + w.extra(effective)
        case "RelationAdded" | "RelationRemoved":
            verb = "added" if event_type == "RelationAdded" else "removed"
            relation = w.label(p.get("relation"), relation_label)
            return f"Relation {verb}: {relation.lower()} {w.agreement(p.get('target'))}"
        case "ReferenceAdded" | "ReferenceRemoved":
            verb = "added" if event_type == "ReferenceAdded" else "removed"
            target = w.agreement(p.get("target"), p.get("target_eid") if p.get("target") else None)
            return f"Cross-reference {verb} from {w.clause(p.get('eid'))} to {target}"
        case "RegistrationRecorded":
            body = f" with {p['registering_body']}" if p.get("registering_body") else ""
            number = p.get("registration_number", "")
            return f"Registration recorded{body}: " + (
                f"{number}, {w.date(p.get('date'))}" if for_staff else registration_label(number, p.get("date")))
        case "DepositaryNamed":
            return f"Depositary named: {p.get('depositary', '')}"
        case "CitationAttached":
            return f"Source cited: {w.named(p.get('source'))}" + (f", {p['locator']}" if p.get("locator") else "") + \
                w.extra(f" for {p['supports']}" if p.get("supports") else "")
        case "CitationDetached":
            return "Citation withdrawn" + w.extra(f" ({p.get('citation_id')})")
        case "SubmittedForReview":
            return "Submitted for review" + note
        case "Published":
            return "Published" + note + w.extra(
                f" ({p['uncited_facts']} uncited fact(s): {p.get('uncited_reason')})" if p.get("uncited_facts") else "")
        case "ReturnedToDraft":
            return "Returned to its archivist for changes" + note
        case "Unpublished":
            return "Withdrawn from publication" + note
        case "ObligationCoded":
            conditions = ", ".join(w.label(c) for c in p.get("conditions") or [])
            return (f"{w.clause(p.get('eid'))} coded: {w.label(p.get('obligation')).lower()} "
                    f"({p.get('modality', '')}) for {', '.join(w.named(c) for c in p.get('parties') or [])}"
                    + w.extra(f", if {conditions}" if conditions else "") + w.extra(effective))
        case "ObligationUncoded":
            return f"An obligation coding withdrawn: {p.get('reason', '')}" + w.extra(
                f" ({p.get('obligation_id')})" if p.get("obligation_id") else "")
        case "EventCorrected":
            if for_staff:
                fields = ", ".join(sorted(p.get("corrections") or {}))
                return f"Correction of {p.get('corrected_type')} ({fields}): {p.get('reason')}"
            return f"Correction: {p.get('reason', '')}".rstrip(": ")
    return kind_label(re.sub(r"(?<!^)(?=[A-Z])", "_", event_type).lower())


def event_eid(event_type: str, payload: dict) -> str:
    """The clause an event is about, if any (its current eId after a renumbering)."""
    if event_type == "ClauseRenumbered":
        return (payload or {}).get("new_eid", "")
    if event_type.startswith("Clause") or event_type.startswith("Reference"):
        return (payload or {}).get("eid", "")
    return ""
