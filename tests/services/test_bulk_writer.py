"""A bulk load outside any transaction on PostgreSQL writes each batch on a connection of its own, in a writer
thread, while the loading thread decides, links and projects the next (services._BatchWriter): the batches
still commit one by one, in order, each whole or not at all, positions gap-free and the chain unbroken."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command

from agreements import services
from agreements.domain import commands
from agreements.projections import rebuild
from agreements.projections.bulk import NewAgreementsProjector
from agreements.projections.models import AgreementRecord
from registry.eventstore import store
from registry.eventstore.models import StoredEvent
from tests.services.test_bulk_index_upkeep import SEARCH_INDEXES, fastupdate, large, new  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
EVENTS = 5  # of each agreement `new` makes


@pytest.fixture
def failing_batch(monkeypatch):
    """The second batch written fails while its rows are stored (after its events), in whatever thread writes."""
    calls, original = [], NewAgreementsProjector.write

    def write(self):
        calls.append(threading.current_thread())
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return original(self)

    monkeypatch.setattr(NewAgreementsProjector, "write", write)
    return calls


def verified():
    out = StringIO()
    call_command("verify_log", stdout=out, stderr=StringIO())  # the chain and the Merkle tree
    return out.getvalue()


@pytest.fixture
def beside(monkeypatch):
    """The threads that wrote each batch's effects (the loading thread's is the main thread)."""
    writers, original = [], services._run_effects

    def recording(*args, **kwargs):
        writers.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_run_effects", recording)
    return writers


def written_beside(writers, batches):
    return len(writers) == batches and threading.main_thread() not in writers


def test_a_large_load_writes_its_batches_beside_the_thread_that_decides_them(beside):
    services.handle_bulk([new(f"beside-{n}") for n in range(6)], batch=2)
    assert written_beside(beside, 3)


def test_batches_written_beside_keep_positions_gap_free_and_the_chain_whole(beside):
    start = store.last_position()
    result = services.handle_bulk([new(f"beside-chain-{n}") for n in range(7)], batch=2)
    assert written_beside(beside, 4)
    assert result.created == [f"beside-chain-{n}" for n in range(7)] and result.events == 7 * EVENTS
    positions = list(StoredEvent.objects.filter(position__gt=start).order_by("position")
                     .values_list("position", flat=True))
    assert positions == list(range(start + 1, start + 7 * EVENTS + 1))
    assert verified().startswith(f"verified {store.head().position} events")


def test_batches_written_beside_project_what_a_rebuild_from_their_events_projects(beside):
    services.handle_bulk([new(f"beside-rebuild-{n}") for n in range(5)], batch=2)
    assert written_beside(beside, 3)
    loaded = rebuild.projection_hash()
    rebuild.rebuild(in_place=True)
    assert rebuild.projection_hash() == loaded


def test_a_batch_that_fails_in_the_writer_leaves_nothing_of_it_and_nothing_after_it(failing_batch):
    start = store.last_position()
    with pytest.raises(RuntimeError, match="the disk is full"):
        services.handle_bulk([new(f"fails-{n}") for n in range(8)], batch=2)
    assert threading.main_thread() not in failing_batch
    assert sorted(AgreementRecord.objects.filter(slug__startswith="fails-").values_list("slug", flat=True)) == [
        "fails-0", "fails-1"]
    assert store.last_position() == start + 2 * EVENTS
    assert StoredEvent.objects.filter(position__gt=start).count() == 2 * EVENTS
    assert verified().startswith(f"verified {store.head().position} events")


def test_a_batch_that_fails_in_the_writer_leaves_the_search_indexes_taking_each_row_at_once(large, failing_batch):
    with pytest.raises(RuntimeError):
        services.handle_bulk([new(f"fails-indexes-{n}") for n in range(6)], batch=2)
    assert [fastupdate(index) for index in SEARCH_INDEXES] == [["fastupdate=off"]] * 4


def test_an_agreement_refused_while_a_batch_is_written_leaves_the_batches_before_it_stored(beside):
    refused = services.NewAgreement("refused-late", [commands.AddParty(party="TUR")])
    with pytest.raises(services.BulkRefused):
        services.handle_bulk([*(new(f"before-refusal-{n}") for n in range(4)), refused], batch=2)
    assert written_beside(beside, 2)
    assert AgreementRecord.objects.filter(slug__startswith="before-refusal-").count() == 4
    assert verified().startswith(f"verified {store.head().position} events")


def test_a_slug_twice_in_batches_written_at_once_is_stored_once(beside):
    result = services.handle_bulk([new("twice-a"), new("twice-b"), new("twice-a"), new("twice-c")], batch=2)
    assert written_beside(beside, 2)
    assert result.created == ["twice-a", "twice-b", "twice-c"] and result.skipped == ["twice-a"]


def test_a_write_by_another_writer_between_batches_is_linked_after_and_the_chain_holds(monkeypatch):
    original, written = services._write_prepared, []

    def with_another_writer(database, deferred, prepared):
        if len(written) == 1:  # batch 2 was linked to the head batch 1 left: another writer moves it on
            services.handle(commands.DraftAgreement(slug="meanwhile", title="Meanwhile", kind="agreement"))
        written.append(prepared)
        return original(database, deferred, prepared)

    monkeypatch.setattr(services, "_write_prepared", with_another_writer)
    start = store.last_position()
    result = services.handle_bulk([new(f"interleaved-{n}") for n in range(6)], batch=2)
    assert result.events == 6 * EVENTS and len(written) == 3
    assert store.last_position() == start + 6 * EVENTS + 1
    positions = list(StoredEvent.objects.filter(position__gt=start).order_by("position")
                     .values_list("position", flat=True))
    assert positions == list(range(start + 1, start + 6 * EVENTS + 2))
    assert verified().startswith(f"verified {store.head().position} events")
    loaded = rebuild.projection_hash()
    rebuild.rebuild(in_place=True)
    assert rebuild.projection_hash() == loaded


def test_the_copy_text_of_a_batch_written_beside_is_built_by_the_thread_that_links_it(beside, monkeypatch):
    from registry.eventstore import postgres

    built, original = [], postgres.copy_text

    def recording(linked):
        built.append(threading.current_thread())
        return original(linked)

    monkeypatch.setattr(postgres, "COPY_FROM", 2)  # every batch's events go by COPY
    monkeypatch.setattr(postgres, "copy_text", recording)
    services.handle_bulk([new(f"copy-text-{n}") for n in range(6)], batch=2)
    assert written_beside(beside, 3)
    assert built == [threading.main_thread()] * 3
    assert verified().startswith(f"verified {store.head().position} events")


def test_the_rows_of_a_batch_written_beside_are_formatted_by_the_thread_that_links_it(beside, monkeypatch):
    from registry.database import postgresql

    formatted, original = [], postgresql._write_rows

    def recording(*args):
        formatted.append(threading.current_thread())
        return original(*args)

    monkeypatch.setattr(postgresql, "_write_rows", recording)
    services.handle_bulk([new(f"rows-ahead-{n}") for n in range(6)], batch=2)
    assert written_beside(beside, 3)
    assert formatted and set(formatted) == {threading.main_thread()}  # the writer only sends them
    loaded = rebuild.projection_hash()
    rebuild.rebuild(in_place=True)
    assert rebuild.projection_hash() == loaded
