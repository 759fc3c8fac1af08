"""A copy catching up on many pages pipelines them as a bulk load does its batches (services.copying): while page
k is written, on a connection of its own in a writer thread, page k+1 is read, verified against page k's last
link and projected in memory. Each page is still one transaction, committed in order: positions gap-free, the
chain whole, the feed's order kept; a page that does not verify is refused whole (the pages before it stay); a
copy interrupted mid-way holds every page up to its last committed one, and the next pass resumes after it.

The remote is a small HTTP server (tests/remote.py) serving the feed of events made on this very database and
rolled back: the primary's events, continuing this copy's head, that the copy then follows."""

import json
import threading
from io import StringIO
from urllib.parse import parse_qs

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from rest_framework.test import APIClient

from agreements import services
from agreements.projections.rebuild import projection_hash
from registry.eventstore import store
from registry.eventstore.models import StoredEvent
from tests.remote import FEED
from tests.services.test_bulk_index_upkeep import new

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
AGREEMENTS, EVENTS, PAGE = 8, 5, 7  # `new` makes 5 events an agreement; a page cuts them


class Primary:
    """The feed of a primary that holds this copy's log and `AGREEMENTS` agreements more (made here, read
    through the feed as an archivist, rolled back), and the projection hash it reached."""

    def __init__(self, archivist):
        self.head = store.head()
        client = APIClient()
        client.force_authenticate(archivist)
        with transaction.atomic():
            services.handle_bulk([new(f"caught-up-{n}") for n in range(AGREEMENTS)])
            self.hash = projection_hash()
            last = store.head().position
            body = client.get(FEED, {"after": self.head.position - 1, "limit": 1000}).json()
            transaction.set_rollback(True)
        self.entries = body["results"]
        assert [e["position"] for e in self.entries] == list(range(self.head.position, last + 1))
        self.new = self.entries[1:]  # the events the copy does not hold yet

    def serve(self, remote, failing=lambda after: False):
        """The feed's pages (`after`, `limit`, a `next` link while more follow); `failing(after)`: answer 500."""

        def answer(query):
            asked = parse_qs(query)
            after, limit = int(asked["after"][0]), int(asked["limit"][0])
            if failing(after):
                return 500, {}, b"down"
            page = [e for e in self.entries if e["position"] > after][:limit]
            more = page and page[-1]["position"] < self.entries[-1]["position"]
            following = f"{remote.url}{FEED}?after={page[-1]['position']}&limit={limit}" if more else None
            return 200, {"Content-Type": "application/json"}, json.dumps({"results": page, "next": following}).encode()

        remote.routes[FEED] = answer


@pytest.fixture
def primary(archivist):
    return Primary(archivist)


@pytest.fixture
def pages_written(monkeypatch):
    """The thread that wrote each page's transaction, and the page's first and last positions."""
    written, original = [], services._write_copied

    def recording(database, deferred, page):
        written.append((threading.current_thread(), page.copied.entries[0].position, page.done))
        return original(database, deferred, page)

    monkeypatch.setattr(services, "_write_copied", recording)
    return written


def follow(remote, *extra):
    out = StringIO()
    call_command("follow", remote.url, "--token", "t", "--once", "--page", str(PAGE), *extra, stdout=out,
                 stderr=StringIO())
    return out.getvalue()


def verified():
    out = StringIO()
    call_command("verify_log", stdout=out, stderr=StringIO())  # the chain and the Merkle tree
    return out.getvalue()


def stored_after(position):
    return list(StoredEvent.objects.filter(position__gt=position).order_by("position").values_list(
        "position", "event_id"))


def test_a_copy_catching_up_writes_each_page_beside_the_thread_that_reads_the_next(remote, primary, pages_written):
    primary.serve(remote)
    assert follow(remote).startswith(f"copied {AGREEMENTS * EVENTS} events")
    assert len(pages_written) > 2
    assert threading.main_thread() not in [thread for thread, _, _ in pages_written]


def test_pages_written_beside_keep_the_feeds_order_with_gap_free_positions_and_the_chain_whole(remote, primary,
                                                                                               pages_written):
    primary.serve(remote)
    follow(remote)
    assert [(e["position"], e["event_id"]) for e in primary.new] == [
        (position, str(event_id)) for position, event_id in stored_after(primary.head.position)]
    # One transaction a page, committed in the feed's order, each continuing the one before.
    assert [first for _, first, _ in pages_written] == [primary.head.position + 1] + [
        last + 1 for _, _, last in pages_written[:-1]]
    assert verified().startswith(f"verified {store.head().position} events")


def test_pages_written_beside_project_what_the_primary_projected(remote, primary):
    primary.serve(remote)
    follow(remote)
    assert projection_hash() == primary.hash


def test_a_page_that_does_not_verify_is_refused_whole_and_the_pages_before_it_stay(remote, primary,
                                                                                pages_written):
    bad = primary.new[3 * PAGE]["position"]  # in the fourth page or so: pages before it are written meanwhile
    primary.entries = [{**e, "payload": {**e["payload"], "title": "Rewritten"}} if e["position"] == bad else e
                       for e in primary.entries]
    primary.serve(remote)
    with pytest.raises(CommandError, match=f"refused: .*position {bad}.*nothing of that page was written"):
        follow(remote)
    held = store.head().position
    assert pages_written and held == pages_written[-1][2] < bad
    assert [position for position, _ in stored_after(primary.head.position)] == list(
        range(primary.head.position + 1, held + 1))
    assert verified().startswith(f"verified {held} events")


def test_a_copy_interrupted_mid_way_resumes_from_its_last_committed_page(remote, primary, pages_written):
    cut = primary.new[3 * PAGE]["position"]
    primary.serve(remote, failing=lambda after: after >= cut)  # the remote goes down mid-way
    with pytest.raises(CommandError, match="unavailable"):
        follow(remote)
    held = store.head().position
    assert primary.head.position < held == pages_written[-1][2] < primary.new[-1]["position"]
    primary.serve(remote)  # back up: the next pass starts after the last committed page
    assert follow(remote).startswith(f"copied {primary.new[-1]['position'] - held} events")
    assert [(e["position"], e["event_id"]) for e in primary.new] == [
        (position, str(event_id)) for position, event_id in stored_after(primary.head.position)]
    assert projection_hash() == primary.hash
    assert verified().startswith(f"verified {store.head().position} events")


def test_a_page_that_fails_in_the_writer_leaves_nothing_of_it_and_nothing_after_it(remote, primary, monkeypatch):
    original, written = services._write_copied, []

    def failing(database, deferred, page):
        written.append(page.done)
        if len(written) == 2:
            raise RuntimeError("the disk is full")
        return original(database, deferred, page)

    monkeypatch.setattr(services, "_write_copied", failing)
    primary.serve(remote)
    with pytest.raises(RuntimeError, match="the disk is full"):
        follow(remote)
    assert len(written) == 2 and store.head().position == written[0]
    assert verified().startswith(f"verified {written[0]} events")


def test_the_copy_text_of_a_page_written_beside_is_built_by_the_thread_that_checks_it(remote, primary,
                                                                                      pages_written, monkeypatch):
    from registry.eventstore.postgres import PostgresWriter

    built, original = [], PostgresWriter.prepare_copied

    def recording(self, *args):
        built.append(threading.current_thread())
        return original(self, *args)

    monkeypatch.setattr(PostgresWriter, "prepare_copied", recording)
    primary.serve(remote)
    follow(remote)
    assert built == [threading.main_thread()] * len(pages_written)
    assert verified().startswith(f"verified {store.head().position} events")
