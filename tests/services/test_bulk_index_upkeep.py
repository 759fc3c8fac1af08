"""A large bulk load defers the upkeep of the indexes that take each row at once (the search's GIN indexes on
PostgreSQL, registry.database): each batch's rows gather in the indexes' pending lists, emptied into the
indexes before the batch commits, and afterwards the indexes take each row at once again."""

import pytest
from django.db import connection, transaction

from agreements import services
from agreements.domain import commands
from agreements.projections import rebuild
from registry.database import backend

SEARCH_INDEXES = ["agreement_document_idx", "agreement_slug_trgm_idx", "clause_version_document_idx",
                  "search_word_trigram_idx"]


def new(slug, word="cooperate"):
    return services.NewAgreement(slug, [
        commands.DraftAgreement(slug=slug, title=slug.title(), kind="agreement"),
        commands.AddParty(party="TUR"),
        commands.AddClause(eid="art_1", text=f"The parties {word} in good faith.", text_kind="official"),
        commands.AmendClause(eid="art_1", text=f"The parties {word} closely.", effective="2011-01-01"),
        commands.AddClause(eid="art_2", text="Entry into force.", text_kind="official"),
    ])


@pytest.fixture
def large(monkeypatch):
    """Loads of two agreements or more count as large here (batches of two)."""
    monkeypatch.setattr(services, "DEFER_INDEX_UPKEEP_FROM", 2)


@pytest.fixture
def deferrals(monkeypatch):
    """The indexes each batch wrote with their upkeep deferred."""
    seen = []
    database = backend(connection)
    original = type(database).upkeep_deferred

    def recording(self, conn, indexes):
        seen.append(list(indexes))
        return original(self, conn, indexes)

    monkeypatch.setattr(type(database), "upkeep_deferred", recording)
    return seen


def fastupdate(index):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [index])
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_each_batch_of_a_large_load_writes_with_the_search_indexes_upkeep_deferred(large, deferrals):
    services.handle_bulk([new(f"upkeep-{n}-2010") for n in range(5)], batch=2)
    assert deferrals == [SEARCH_INDEXES] * 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("index", SEARCH_INDEXES)
def test_after_a_large_load_the_search_indexes_take_each_row_at_once_with_nothing_pending(large, index):
    services.handle_bulk([new(f"upkeep-{n}-2011") for n in range(4)], batch=2)
    assert fastupdate(index) == ["fastupdate=off"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])  # pages it found pending
        assert cursor.fetchone()[0] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_search_through_the_index_finds_every_clause_a_deferred_load_stored(large):
    services.handle_bulk([new(f"upkeep-{n}-2012", word="zanzibarite") for n in range(5)], batch=2)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SELECT count(DISTINCT agreement_id) FROM pacta_clause_version WHERE known_to IS NULL AND NOT repealed "
                       "AND search_document @@ to_tsquery('simple', 'zanzibarite')")
        assert cursor.fetchone()[0] == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_refused_large_load_leaves_the_search_indexes_taking_each_row_at_once(large):
    refused = services.NewAgreement("upkeep-refused-2013", [commands.AddParty(party="TUR")])
    with pytest.raises(services.BulkRefused):
        services.handle_bulk([new("upkeep-a-2013"), new("upkeep-b-2013"), refused], batch=2)
    assert [fastupdate(index) for index in SEARCH_INDEXES] == [["fastupdate=off"]] * 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_deferred_load_projects_what_a_rebuild_from_its_events_projects(large):
    services.handle_bulk([new(f"upkeep-{n}-2014") for n in range(5)], batch=2)
    loaded = rebuild.projection_hash()
    rebuild.rebuild(in_place=True)
    assert rebuild.projection_hash() == loaded


@pytest.mark.django_db
def test_a_load_inside_a_callers_transaction_defers_nothing(large, deferrals):
    # Changing an index's upkeep locks it until the caller commits: a caller's transaction keeps the usual upkeep.
    services.handle_bulk([new(f"upkeep-{n}-2015") for n in range(3)], batch=2)
    assert deferrals == [[], []]


@pytest.mark.django_db(transaction=True)
def test_a_small_load_defers_nothing(deferrals):
    services.handle_bulk([new("upkeep-small-2016")])
    assert deferrals == [[]]


def test_sqlite_has_no_index_upkeep_to_defer():
    from registry.database.sqlite import SQLite

    # Asked on any connection (it is never touched): the backend has no index to defer, on every database.
    assert SQLite().defer_index_upkeep(connection) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_copy_catching_up_defers_the_search_indexes_upkeep_until_it_is_done():
    with services.catching_up():
        during = [fastupdate(index) for index in SEARCH_INDEXES]
    assert during == [["fastupdate=on"]] * 4
    assert [fastupdate(index) for index in SEARCH_INDEXES] == [["fastupdate=off"]] * 4


@pytest.mark.django_db(transaction=True)
def test_a_copy_that_catches_up_on_many_events_refreshes_the_statistics_of_what_it_filled(monkeypatch):
    from agreements.projections.bulk import NewAgreementsProjector
    from registry import statistics

    refreshed = []
    monkeypatch.setattr(statistics, "refresh", lambda tables, using="default": refreshed.append(set(tables)))
    with services.catching_up():
        services._catching_up.copied += services.ANALYZE_AFTER_EVENTS  # as copy_events counts what it stored
    assert refreshed == [{"pacta_event", *NewAgreementsProjector.tables()}]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_large_load_given_as_a_generator_defers_the_upkeep_from_its_first_batch(large, deferrals):
    services.handle_bulk((new(f"upkeep-{n}-2018") for n in range(5)), batch=2)
    assert deferrals == [SEARCH_INDEXES] * 3
