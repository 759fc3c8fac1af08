"""The events of published agreements, read in batches along the position index."""

import pytest

from agreements import services
from agreements.queries.events import published_events
from registry.eventstore.models import StoredEvent
from tests.browser.conftest import commands_for

pytestmark = pytest.mark.django_db

CLAUSE = [{"eid": "art_1", "text": "Text."}]


def write(slug, publish=True):
    services.handle_many(commands_for(slug, f"Agreement {slug}", CLAUSE, publish=publish), slug=slug)


def published_positions():
    from agreements.projections.models import AgreementRecord

    streams = set(AgreementRecord.objects.filter(publication="published").values_list("stream_id", flat=True))
    return [e.position for e in StoredEvent.objects.order_by("position") if e.stream_id in streams]


def test_the_feed_reads_every_published_event_in_position_order_and_no_other():
    write("published-one-2012")
    write("a-draft-2012", publish=False)
    write("published-two-2012")
    assert [e.position for e in published_events(0, 10_000)] == published_positions()


def test_a_run_of_drafts_longer_than_a_batch_is_stepped_over():
    write("before-drafts-2012")
    for n in range(4):  # ~6 events each: several batches of 5
        write(f"draft-{n}-2012", publish=False)
    write("after-drafts-2012")
    last_before = max(e.position for e in StoredEvent.objects.filter(stream_id__endswith="before-drafts-2012"))
    found = published_events(last_before, 3, batch=5)
    assert len(found) == 3 and all(e.stream_id.endswith("after-drafts-2012") for e in found)


def test_newest_first_gives_the_latest_published_events():
    write("old-2012")
    write("hidden-2012", publish=False)
    assert [e.position for e in published_events(limit=5, newest_first=True)] == published_positions()[::-1][:5]


def test_paging_by_after_sees_each_event_once():
    for n in range(3):
        write(f"paged-{n}-2012")
    seen, after = [], 0
    while True:
        page = published_events(after, 7)
        seen += [e.position for e in page]
        if len(page) < 7:
            break
        after = page[-1].position
    assert seen == published_positions()
