"""The API list's `q` (agreements.queries.search.matching): a rare word is filtered by the few agreements the
indexes name, a common one by the bounded walk; both find the same agreements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.projections.models import AgreementRecord
from agreements.queries import search as search_module
from agreements.queries.search import matching

pytestmark = pytest.mark.django_db

WORDS = ["training", "parties", "shusha", "az-shusha", "military training", "zebra"]


def found(text):
    return set(matching(AgreementRecord.objects.all(), text).values_list("slug", flat=True))


@pytest.mark.parametrize("text", WORDS)
def test_a_word_finds_the_same_agreements_whether_it_counts_as_rare_or_common(monkeypatch, text):
    rare = found(text)
    monkeypatch.setattr(search_module, "FEW", 0)  # every word is common: the walk of every agreement
    assert found(text) == rare


def test_the_words_compared_find_some_agreements_and_some_find_none():
    results = [found(text) for text in WORDS]
    assert any(results) and not all(results)


def test_a_slug_part_is_found_even_when_no_document_has_it():
    assert found("az-shusha") == {"tr-az-shusha-declaration-2021"}


@pytest.mark.postgres
def test_postgresql_filters_a_rare_word_by_the_ids_the_indexes_name_never_by_a_walk_of_every_agreement():
    with CaptureQueriesContext(connection) as queries:
        rows = matching(AgreementRecord.objects.order_by("slug"), "training")
    # One read of the parties' names (reference data: is "training" a party's name?), then the probe (in a
    # savepoint, under its own time limit: the statements around it only set and reset that).
    sqls = [query["sql"] for query in queries.captured_queries]
    probes = [sql for sql in sqls if "search_document" in sql]
    assert "agreements_partyname" in sqls[0]
    assert len(probes) == 1 and "LIMIT" in probes[0]  # capped reads through the indexes
    assert rows.exists() and "search_document" not in str(rows.query)  # then the page reads those ids only


@pytest.mark.postgres
def test_postgresql_reads_a_slug_part_through_its_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pacta_agreement")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = AgreementRecord.objects.filter(slug__icontains="shusha").explain()
    assert "agreement_slug_trgm_idx" in plan



def settings_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('enable_seqscan'), "
                       "current_setting('enable_indexscan')")
        return cursor.fetchone()


def cancel_the_scan(monkeypatch) -> list:
    """The probe's scan cancelled by its time limit, for real (PostgreSQL cancels a sleep given 1 ms), as a word
    found in no text meets it at a million agreements, where the scan reads every clause version; the read through
    the indexes that follows is the real one. Returns the cancellations, one per probe."""
    from agreements.queries import search_postgresql

    original, cancelled = search_postgresql._read, []

    def read(probe, settings):
        if "statement_timeout" in settings:
            cancelled.append(text)
            return original(AgreementRecord.objects.raw("SELECT pg_sleep(1) AS id"), {"statement_timeout": "1ms"})
        return original(probe, settings)

    text = None
    monkeypatch.setattr(search_postgresql, "_read", read)
    return cancelled


@pytest.mark.postgres
@pytest.mark.parametrize("text", [word for word in WORDS if word != "zebra"])  # zebra: no scan (below)
def test_a_probe_whose_scan_runs_out_of_time_finds_the_same_agreements_through_the_indexes(monkeypatch, text):
    scanned = found(text)
    cancelled = cancel_the_scan(monkeypatch)
    assert found(text) == scanned and cancelled


@pytest.mark.postgres
def test_the_probes_settings_end_with_it_whether_its_scan_ends_or_is_cancelled(monkeypatch):
    before = settings_now()  # inside the test's transaction: a setting that outlived the probe would show
    found("zebra")
    assert settings_now() == before
    cancel_the_scan(monkeypatch)
    found("zebra")
    assert settings_now() == before


@pytest.fixture
def read_copy():
    """A second database alias on the test database, as `DATABASE_REPLICA_URLS` adds one per replica, and the
    public's reads routed to it (what registry.replicas' middleware does for an anonymous GET). Its own connection
    sees the seeds (committed once per session), not the test's own rows."""
    from django.db import connections

    from registry import replicas

    primary = connections["default"]
    replica = primary.__class__({**primary.settings_dict}, alias="replica_1")
    connections["replica_1"] = replica  # made here, not from settings: the test case's guard allows it
    token = replicas._reader.set("replica_1")
    yield replica
    replicas._reader.reset(token)
    replica.close()
    del connections["replica_1"]


@pytest.mark.postgres
def test_a_probe_read_from_a_replica_is_cut_and_read_through_the_indexes_there(monkeypatch, read_copy):
    scanned = found("training")
    cancel_the_scan(monkeypatch)
    with CaptureQueriesContext(connection) as on_primary, CaptureQueriesContext(read_copy) as on_replica:
        assert found("training") == scanned
    replica_sqls = [query["sql"] for query in on_replica.captured_queries]
    assert any("pg_sleep" in sql for sql in replica_sqls)  # the cut scan
    assert any("enable_seqscan" in sql for sql in replica_sqls)  # the indexes' read
    assert not any("set_config" in sql or "SAVEPOINT" in sql for sql in
                   (query["sql"] for query in on_primary.captured_queries))


@pytest.mark.postgres
def test_a_word_in_no_text_is_read_from_the_indexes_without_a_scan():
    with CaptureQueriesContext(connection) as queries:
        assert found("zebra") == set()
    sqls = " ".join(query["sql"] for query in queries.captured_queries)
    assert "enable_seqscan" in sqls and "statement_timeout" not in sqls


@pytest.mark.postgres
@pytest.mark.parametrize("text", ["zebra", "zebra training", "işbirliğinin", "военного"])
def test_a_query_with_a_word_no_text_holds_is_judged_found_nowhere(text):
    from agreements.queries.search import search_terms
    from agreements.queries.search_postgresql import found_nowhere

    assert found_nowhere(search_terms(text), "default") and found(text) == set()


@pytest.mark.postgres
@pytest.mark.parametrize("text", ["training", "cooperating", "Şuşa", "Shusha", "az-shusha", "Azərbaycan"])
def test_a_word_a_text_holds_in_another_form_is_not_judged_found_nowhere(text):
    """"cooperating" is in no text, but its stem is ("cooperation"); "Shusha" is spelt "Şuşa" in the texts."""
    from agreements.queries.search import search_terms
    from agreements.queries.search_postgresql import found_nowhere

    assert not found_nowhere(search_terms(text), "default") and found(text)


@pytest.mark.postgres
@pytest.mark.parametrize("text", ["training", "Şuşa", "military training"])
def test_a_word_a_text_holds_as_written_is_judged_found_in_one_read(text):
    """Its own folded keys begin words of the registry: its stems are not looked up."""
    from agreements.queries.search import search_terms
    from agreements.queries.search_postgresql import found_nowhere

    with CaptureQueriesContext(connection) as queries:
        assert not found_nowhere(search_terms(text), "default")
    assert len(queries.captured_queries) == 1


@pytest.mark.postgres
def test_a_word_in_no_text_is_judged_by_its_stems_in_a_second_read():
    from agreements.queries.search import search_terms
    from agreements.queries.search_postgresql import found_nowhere

    with CaptureQueriesContext(connection) as queries:
        assert found_nowhere(search_terms("zebra"), "default")
    assert len(queries.captured_queries) == 2


@pytest.mark.postgres
def test_whether_a_word_begins_with_a_form_is_read_as_a_range_of_the_words_byte_ordered_index():
    """Not through the trigram index, whose posting lists of "ze", "zeb", "ebr"... grow with the corpus."""
    from agreements.queries.search_postgresql import _BEGINS_A_WORD

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pacta_search_word")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a seed-sized table would be read whole
        cursor.execute("EXPLAIN SELECT " + _BEGINS_A_WORD, ["zebr%"])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "search_word_prefix_idx" in plan and "~>=~ 'zebr'" in plan
