"""An agreement's events told as its history (payloads as currently corrected, text diffs), and the
recent changes of published agreements."""

from __future__ import annotations

import dataclasses

from agreements.projections.models import AgreementRecord
from registry.eventstore.models import StoredEvent

from .events import events_of, latest_events
from .visibility import PUBLISHED


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


def recent_changes(limit: int = 20, before: int | None = None) -> list[Change]:
    """The latest events of published agreements (older than position `before`, for paging), newest first
    (two queries)."""
    published_streams = AgreementRecord.objects.filter(publication=PUBLISHED).values("stream_id")
    events = latest_events(published_streams, limit, before)
    records = {r.stream_id: r for r in AgreementRecord.objects.filter(stream_id__in={e.stream_id for e in events})}
    return [Change(event, records[event.stream_id]) for event in events if event.stream_id in records]


def newer_page_start(position: int, limit: int) -> int | None:
    """For paging the changes newest first: the `before` of the page just newer than `position` (None: the
    first page)."""
    published_streams = AgreementRecord.objects.filter(publication=PUBLISHED).values("stream_id")
    newer = list(
        StoredEvent.objects.filter(stream_id__in=published_streams, position__gt=position)
        .order_by("position").values_list("position", flat=True)[:limit + 1]
    )
    return newer[limit] if len(newer) > limit else None


def returned_note(slug: str) -> str:
    """The reviewer's comment when the agreement was last returned to draft, while it still is a draft."""
    last = (
        StoredEvent.objects.filter(stream_id=f"agreement:{slug}",
                                   type__in=("ReturnedToDraft", "SubmittedForReview", "Published", "Unpublished"))
        .order_by("-stream_version").values_list("type", "payload").first()
    )
    return last[1].get("note", "") if last and last[0] == "ReturnedToDraft" else ""
