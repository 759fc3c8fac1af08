"""The one search (agreements.queries.search), as the API serves it: titles, other titles, summaries and
clause texts, ranked; on PostgreSQL from the stored documents and their indexes, misspellings corrected."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agreements import services
from agreements.domain.commands import parse_command
from agreements.projections.models import AgreementRecord, ClauseVersion
from agreements.queries.search import SearchFilters, _current_clauses, _matches, edit_distance, search

pytestmark = pytest.mark.django_db

SHUSHA = "tr-az-shusha-declaration-2021"
TRAINING = "tr-az-military-training-1996"


def found(q, **params):
    response = APIClient().get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def agreements_found(q):
    return [row["agreement"] for row in found(q)["results"] if row["match"] == "agreement"]


def test_shusha_finds_the_declaration_by_its_title():
    assert SHUSHA in agreements_found("Shusha")


def test_training_finds_the_1996_agreement_that_has_no_clauses():
    assert TRAINING in agreements_found("training")


def test_the_api_list_q_finds_what_the_search_finds():
    rows = APIClient().get("/api/v1/agreements/", {"q": "training", "page_size": 500}).json()["results"]
    assert TRAINING in {row["slug"] for row in rows}


def test_an_agreement_hit_links_to_the_agreement_and_a_clause_hit_to_the_clause():
    rows = found("Shusha")["results"]
    agreement = next(row for row in rows if row["match"] == "agreement")
    assert agreement["eid"] == "" and agreement["url"].endswith(f"/api/v1/agreements/{SHUSHA}/")
    clause = next(row for row in found("self-defence")["results"] if row["match"] == "clause")
    assert clause["match"] == "clause" and f"/clauses/{clause['eid']}/" in clause["url"]


def test_a_draft_is_never_found_nor_suggested_to_the_public():
    def run(type_name, **fields):
        services.handle(parse_command(type_name, fields), slug="search-secret-2024")

    run("DraftAgreement", slug="search-secret-2024", title="Quixotic secret arrangement", kind="agreement")
    run("AddClause", eid="art_1", text="Quixotic clause.", text_kind="official")
    assert found("quixotic")["results"] == []
    assert found("quixotik")["suggestion"] is None
    assert search(SearchFilters(q="quixotic"), include_unpublished=True).agreements


def test_edit_distance_counts_insertions_deletions_and_substitutions():
    assert edit_distance("trainig", "training") == 1
    assert edit_distance("trainig", "train") == 2
    assert edit_distance("shusa", "shusha") == 1


@pytest.mark.postgres
@pytest.mark.parametrize("typed, meant, slug", [("trainig", "training", TRAINING), ("Shushq", "shusha", SHUSHA)])
def test_postgresql_finds_through_a_misspelling_and_says_what_it_searched(typed, meant, slug):
    page = found(typed)
    assert page["suggestion"] == meant
    assert slug in [row["agreement"] for row in page["results"]]


@pytest.mark.postgres
def test_postgresql_search_computes_no_tsvector_per_row():
    with CaptureQueriesContext(connection) as queries:
        assert found("mutual assistance")["results"]
    sql = " ".join(q["sql"].lower() for q in queries.captured_queries)
    assert "search_document" in sql
    assert "to_tsvector" not in sql


@pytest.fixture
def many_clauses():
    """Twenty thousand current clause versions that do not say "assistance" (rows of a test table only, for
    the planner's statistics: a search reads few of many rows)."""
    import datetime as dt
    import uuid

    from django.utils import timezone

    record = AgreementRecord.objects.get(slug=SHUSHA)
    now = timezone.now()
    ClauseVersion.objects.bulk_create(
        ClauseVersion(agreement=record, clause_id=uuid.uuid4(), eid=f"art_{n}", text=f"Filler clause number {n}.",
                      text_kind="official", change="added", valid_from=dt.date(2000, 1, 1), known_from=now,
                      event_id=uuid.uuid4(), position=10**9 + n)
        for n in range(20000)
    )


@pytest.mark.postgres
@pytest.mark.parametrize("model, index, rows", [
    (ClauseVersion, "clause_version_document_idx", lambda: _current_clauses()),
    (AgreementRecord, "agreement_document_idx", lambda: AgreementRecord.objects.all()),
])
def test_postgresql_search_reads_the_gin_index(many_clauses, model, index, rows):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")  # the planner judges by the table's statistics
        cursor.execute("SET LOCAL enable_seqscan = off")  # the agreements are few: make a scan the last resort
    plan = rows().filter(_matches(model, "assistance")).explain()
    assert index in plan


@pytest.mark.postgres
def test_postgresql_ranks_at_most_the_first_candidates_of_each_kind(monkeypatch):
    """A word found in half the registry costs what a rare one does: only the first CANDIDATES matches of each
    kind are ranked (here 3 of the many clauses that say "parties"), best first."""
    from agreements.queries import search as search_module

    assert len(search(SearchFilters(q="parties"), limit=500).clauses) > 3
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    capped = search(SearchFilters(q="parties"), limit=500).clauses
    assert len(capped) == 3
    assert [hit.rank for hit in capped] == sorted((hit.rank for hit in capped), reverse=True)
