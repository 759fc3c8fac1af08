"""An Atom feed of changes, read from the event log (published agreements only), in words a reader uses
("Article 2 amended, in effect from 1 June 2015"), paged as RFC 5005 says: the newest page at
/changes.atom, each page linking the next older one (`?before=<position>`) and back to the first."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from agreements.queries.events import log_head
from agreements.queries.history import newer_page_start, recent_changes

from .. import links
from ..present import describe_event, event_eid, human_date

PAGE_SIZE = 50


class PagedAtomFeed(Atom1Feed):
    """Atom with RFC 5005 paging links (`first`, `previous`, `next`), and summaries as plain text.

    Django writes an item's description as `<summary type="html">`: a feed reader then renders archivist text
    (titles, clause words) as HTML, `<script>` and `<img onerror>` included. Summaries are text here."""

    def add_item_elements(self, handler, item):
        description = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel in ("first", "previous", "next"):
            if self.feed.get(f"{rel}_url"):
                handler.addQuickElement("link", "", {"rel": rel, "href": self.feed[f"{rel}_url"]})


ABOUT = "Every change to a published agreement in the registry, newest first, from its event log."


class ChangesFeed(Feed):
    feed_type = PagedAtomFeed
    title = "Pacta: recent changes"

    def subtitle(self):
        head = log_head()
        return (f"{ABOUT} The record now ends at change number {head.position}; note it with its fingerprint to "
                f"check later that the history was not rewritten (details: log head position {head.position}, "
                f"hash {head.hash}).")

    link = "/"
    author_name = "Pacta"

    def get_object(self, request, *args, **kwargs):
        raw = request.GET.get("before", "")
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) < 19):
            raise Http404("`before` is an event position (a whole number).")
        before = int(raw) if raw else None
        changes = recent_changes(PAGE_SIZE, before)
        return {"before": before, "changes": changes, "request": request}

    def feed_url(self, page):
        return "/changes.atom" + (f"?before={page['before']}" if page["before"] else "")

    def feed_extra_kwargs(self, page):
        changes = page["changes"]
        extra = {"first_url": page["request"].build_absolute_uri("/changes.atom")}
        if page["before"] is not None:
            newer = newer_page_start(changes[0].event.position, PAGE_SIZE) if changes else None
            extra["previous_url"] = page["request"].build_absolute_uri(
                "/changes.atom" + (f"?before={newer}" if newer else ""))
        if len(changes) == PAGE_SIZE:
            extra["next_url"] = page["request"].build_absolute_uri(f"/changes.atom?before={changes[-1].event.position}")
        return extra

    def items(self, page):
        return page["changes"]

    def item_title(self, change):
        return f"{change.record.title}: {describe_event(change.event.type, change.payload, names=change.names)}"

    def item_description(self, change):
        event = change.event
        return (f"{describe_event(event.type, change.payload, names=change.names)} — {change.record.title}, "
                f"recorded on {human_date(event.recorded_at)}.")

    def item_link(self, change):
        eid = event_eid(change.event.type, change.payload)
        uri = change.record.work_uri
        return links.clause_url(uri, eid) if eid else links.agreement_url(uri)

    def item_guid(self, change):
        return f"urn:uuid:{change.event.event_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.event.recorded_at

    def item_updateddate(self, change):
        return change.event.recorded_at
