"""An agreement's events told as its history (payloads as currently corrected, text diffs), the recent
changes of published agreements, and the one describer of events (for the public and for staff)."""

from __future__ import annotations

import dataclasses
import re

from django.db.models import Q
from django.utils.translation import gettext

from agreements.projections.models import AgreementRecord
from registry.eventstore.models import StoredEvent

from agreements.domain import wording
from agreements.domain.entry_into_force import EntryIntoForceRule
from agreements.domain.folding import lower

from .events import events_of, published_events
from .visibility import UNPUBLISHED_LABEL, hidden_slugs, payload_slugs, redact_payload
from .wording import clause_label, human_date, kind_label, registration_label, rule_text, translate


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
    """How a description names things: for the public in words in the reader's language (Article 2, 1 May
    2015, labels), for staff by identifier (art_2, 2015-05-01, slugs), with what staff also need (notes,
    roles, ids)."""

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
            return gettext(UNPUBLISHED_LABEL)  # redacted for the public: see queries.visibility
        if target_eid:
            return f"{slug}#{target_eid}" if self.staff else f"{slug}, {clause_label(target_eid)}"
        return slug

    def label(self, value, labels=wording.kind_label):
        return (value or "").replace("_", " ") if self.staff else translate(labels(value or ""))

    def fields(self, names) -> str:
        """The fields an edit changed, in words ("title, summary")."""
        words = {"work_date": gettext("Date"), "titles": gettext("Titles"), "title": gettext("Title"),
                 "summary": gettext("Summary"), "place": gettext("Place"), "kind": gettext("Kind")}
        return ", ".join(lower(words.get(name) or kind_label(name)) for name in sorted(names))

    def effect(self, text, payload):
        """`text` with the date its change takes effect, or saying that none was recorded: "Article 2 amended,
        in effect from 1 June 2015" for a reader, "art_2 amended with effect from 2015-06-01" for staff."""
        if not payload.get("effective"):
            return gettext("%(change)s (date not recorded)") % {"change": text}
        if self.staff:
            return gettext("%(change)s with effect from %(date)s") % {"change": text,
                                                                     "date": self.date(payload["effective"])}
        return gettext("%(change)s, in effect from %(date)s") % {"change": text, "date": self.date(payload["effective"])}

    def with_effect(self, text, payload):
        """`text`, and for staff the date its change takes effect when one is recorded."""
        if self.staff and payload.get("effective"):
            return gettext("%(change)s with effect from %(date)s") % {"change": text,
                                                                     "date": self.date(payload["effective"])}
        return text

    def by(self, text, payload):
        """For staff: `text` naming the agreement that made the change."""
        if self.staff and payload.get("by"):
            return gettext("%(change)s by %(agreement)s") % {"change": text, "agreement": payload["by"]}
        return text

    def note(self, text, payload):
        """For staff: `text` with the note of the step."""
        if self.staff and payload.get("note"):
            return gettext("%(step)s: %(note)s") % {"step": text, "note": payload["note"]}
        return text

    def ident(self, text, *values):
        """For staff: `text` with identifiers in brackets ("Citation withdrawn (c-1)")."""
        shown = ", ".join(str(v) for v in values if v)
        return f"{text} ({shown})" if self.staff and shown else text


def describe_event(event_type: str, payload: dict, for_staff: bool = False, names=None) -> str:
    """One sentence saying what an event did, in the reader's language: for the public (the browser, its
    feed) or for staff (the admin's history). Plain text: templates escape it. `names` (reader_names) lets
    the public read parties and sources by name rather than by code or key."""
    p, w = payload or {}, _Words(for_staff, names)
    match event_type:
        case "AgreementDrafted":
            if for_staff:
                return gettext("Agreement entered in the registry: “%(title)s” (%(kind)s, %(slug)s)") % {
                    "title": p.get("title"), "kind": w.label(p.get("kind")), "slug": p.get("slug")}
            return gettext("Agreement entered in the registry")
        case "DetailsEdited":
            changes = p.get("changes") or {}
            if for_staff:
                return gettext("Details edited: %(changes)s") % {"changes": ", ".join(
                    f"{k} → {v}" if k != "summary" else "summary" for k, v in changes.items())}
            if changes:
                return gettext("Details edited (%(fields)s)") % {"fields": w.fields(changes)}
            return gettext("Details edited")
        case "PartyAdded":
            if for_staff and p.get("role"):
                return gettext("Party added: %(party)s (%(role)s)") % {"party": w.named(p.get("party")),
                                                                       "role": p["role"]}
            return gettext("Party added: %(party)s") % {"party": w.named(p.get("party"))}
        case "PartyRemoved":
            return gettext("Party removed: %(party)s") % {"party": w.named(p.get("party"))}
        case "LifecycleRecorded":
            values = {"action": w.label(p.get("action"), wording.action_label), "date": w.date(p.get("date")),
                      "party": w.named(p.get("party"))}
            if p.get("party"):
                text = gettext("%(action)s by %(party)s recorded: %(date)s") % values
            elif for_staff:
                text = gettext("%(action)s for the agreement as a whole recorded: %(date)s") % values
            else:
                text = gettext("%(action)s recorded: %(date)s") % values
            if p.get("effective"):
                text = gettext("%(fact)s, taking effect %(date)s") % {"fact": text, "date": w.date(p["effective"])}
            return text
        case "StatementMade":
            text = gettext("%(kind)s by %(party)s recorded: %(date)s") % {
                "kind": w.label(p.get("kind"), wording.statement_kind_label), "party": w.named(p.get("party", "")),
                "date": w.date(p.get("date"))}
            return w.ident(text, p.get("language"), p.get("statement_id"))
        case "StatementWithdrawn":
            how = gettext("Statement partly withdrawn: %(date)s") if p.get("text") else gettext(
                "Statement withdrawn: %(date)s")
            return w.ident(how % {"date": w.date(p.get("date"))}, p.get("statement_id"))
        case "EntryIntoForceRuleSet":
            rule = EntryIntoForceRule.from_fields(p.get("rule") or {})
            if rule:
                return gettext("Entry-into-force rule set: %(rule)s") % {"rule": rule_text(rule)}
            return gettext("Entry-into-force rule set")
        case "ClauseAdded":
            clause = w.clause(p.get("eid"), p.get("heading"))
            if for_staff:
                return w.with_effect(gettext("%(clause)s added, %(text_kind)s") % {
                    "clause": clause, "text_kind": p.get("text_kind")}, p)
            return gettext("%(clause)s added") % {"clause": clause}
        case "ClauseAmended":
            return w.by(w.effect(gettext("%(clause)s amended") % {"clause": w.clause(p.get("eid"))}, p), p)
        case "ClauseRepealed":
            return w.by(w.effect(gettext("%(clause)s repealed") % {"clause": w.clause(p.get("eid"))}, p), p)
        case "ClauseRenumbered":
            return w.with_effect(gettext("%(clause)s renumbered as %(new)s") % {
                "clause": w.clause(p.get("eid")), "new": w.clause(p.get("new_eid"))}, p)
        case "RelationAdded" | "RelationRemoved":
            message = (gettext("Relation added: %(relation)s %(target)s") if event_type == "RelationAdded"
                       else gettext("Relation removed: %(relation)s %(target)s"))
            return message % {"relation": lower(w.label(p.get("relation"), wording.relation_label)),
                              "target": w.agreement(p.get("target"))}
        case "ReferenceAdded" | "ReferenceRemoved":
            message = (gettext("Cross-reference added from %(clause)s to %(target)s") if event_type == "ReferenceAdded"
                       else gettext("Cross-reference removed from %(clause)s to %(target)s"))
            return message % {"clause": w.clause(p.get("eid")), "target": w.agreement(
                p.get("target"), p.get("target_eid") if p.get("target") else None)}
        case "RegistrationRecorded":
            number = p.get("registration_number", "")
            registration = f"{number}, {w.date(p.get('date'))}" if for_staff else registration_label(number, p.get("date"))
            if p.get("registering_body"):
                return gettext("Registration recorded with %(body)s: %(registration)s") % {
                    "body": p["registering_body"], "registration": registration}
            return gettext("Registration recorded: %(registration)s") % {"registration": registration}
        case "DepositaryNamed":
            return gettext("Depositary named: %(depositary)s") % {"depositary": p.get("depositary", "")}
        case "CitationAttached":
            source = w.named(p.get("source"))
            text = (gettext("Source cited: %(source)s, %(locator)s") % {"source": source, "locator": p["locator"]}
                    if p.get("locator") else gettext("Source cited: %(source)s") % {"source": source})
            if for_staff and p.get("supports"):
                text = gettext("%(citation)s for %(supports)s") % {"citation": text, "supports": p["supports"]}
            return text
        case "CitationDetached":
            return w.ident(gettext("Citation withdrawn"), p.get("citation_id"))
        case "SubmittedForReview":
            return w.note(gettext("Submitted for review"), p)
        case "Published":
            text = w.note(gettext("Published"), p)
            if for_staff and p.get("uncited_facts"):
                text = gettext("%(step)s (%(count)s uncited fact(s): %(reason)s)") % {
                    "step": text, "count": p["uncited_facts"], "reason": p.get("uncited_reason")}
            return text
        case "ReturnedToDraft":
            return w.note(gettext("Returned to its archivist for changes"), p)
        case "Unpublished":
            return w.note(gettext("Withdrawn from publication"), p)
        case "ObligationCoded":
            text = gettext("%(clause)s coded: %(obligation)s (%(modality)s) for %(parties)s") % {
                "clause": w.clause(p.get("eid")), "obligation": lower(w.label(p.get("obligation"))),
                "modality": p.get("modality", ""), "parties": ", ".join(w.named(c) for c in p.get("parties") or [])}
            conditions = ", ".join(w.label(c) for c in p.get("conditions") or [])
            if for_staff and conditions:
                text = gettext("%(coding)s, if %(conditions)s") % {"coding": text, "conditions": conditions}
            return w.with_effect(text, p)
        case "ObligationUncoded":
            return w.ident(gettext("An obligation coding withdrawn: %(reason)s") % {"reason": p.get("reason", "")},
                           p.get("obligation_id"))
        case "EventCorrected":
            if for_staff:
                return gettext("Correction of %(type)s (%(fields)s): %(reason)s") % {
                    "type": p.get("corrected_type"), "fields": ", ".join(sorted(p.get("corrections") or {})),
                    "reason": p.get("reason")}
            if p.get("reason"):
                return gettext("Correction: %(reason)s") % {"reason": p["reason"]}
            return gettext("Correction")
    return kind_label(re.sub(r"(?<!^)(?=[A-Z])", "_", event_type).lower())


def event_eid(event_type: str, payload: dict) -> str:
    """The clause an event is about, if any (its current eId after a renumbering)."""
    if event_type == "ClauseRenumbered":
        return (payload or {}).get("new_eid", "")
    if event_type.startswith("Clause") or event_type.startswith("Reference"):
        return (payload or {}).get("eid", "")
    return ""
