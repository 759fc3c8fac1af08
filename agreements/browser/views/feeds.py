"""An Atom feed of changes, read from the event log (published agreements only)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from agreements.queries.history import recent_changes

from .. import links
from ..present import describe_event, event_eid


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Pacta: recent changes"
    subtitle = "Every change to a published agreement in the registry, newest first, from its event log."
    link = "/"
    feed_url = "/changes.atom"
    author_name = "Pacta"

    def items(self):
        return recent_changes(50)

    def item_title(self, change):
        return f"{change.record.title}: {describe_event(change.event.type, change.event.payload)}"

    def item_description(self, change):
        event = change.event
        return (
            f"{describe_event(event.type, event.payload)}. Event {event.stream_version} of {change.record.slug}, "
            f"global position {event.position}."
        )

    def item_link(self, change):
        eid = event_eid(change.event.type, change.event.payload)
        uri = change.record.work_uri
        return links.clause_url(uri, eid) if eid else links.agreement_url(uri)

    def item_guid(self, change):
        return f"urn:uuid:{change.event.event_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.event.recorded_at

    def item_updateddate(self, change):
        return change.event.recorded_at
