"""How PostgreSQL's search reads a word's candidates (agreements.queries.search_postgresql.read_for): a word found
in most clauses is read in the table's order and stops at the cap, a rare word through the index's bitmap of its
matches, and the table-order read finds the hits the index read finds. The plain backend (SQLite) has one read
only: the same corpus's hits are checked on both databases."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from agreements.projections.models import AgreementRecord, ClauseVersion
from agreements.projections.rows import agreement_search_text, clause_search_text
from agreements.queries import search as search_interface
from agreements.queries.search import SearchFilters, search

pytestmark = pytest.mark.django_db

AGREEMENTS = 120  # two clauses each: "işbirliği" in every first clause, "Xankəndi" in one clause of all
CAP = 20  # candidates ranked per search here: far fewer than the common word's matches


@pytest.fixture
def corpus():
    """Published agreements written into the read models (as bench/languages.py does), their statistics
    gathered as a real registry's are, so that PostgreSQL's estimates see the common word in half the clauses."""
    now = timezone.now()
    records = AgreementRecord.objects.bulk_create([
        AgreementRecord(stream_id=f"agreement:plan-{i}", slug=f"plan-{i:03d}", work_uri=f"/akn/int/treaty/2001/plan-{i}",
                        title=f"Plan agreement {i}", titles={}, kind="agreement", summary="", publication="published",
                        created_at=now, updated_at=now, earliest_date=dt.date(2001, 1, 1) + dt.timedelta(days=i),
                        search_text=agreement_search_text(f"Plan agreement {i}", {}, "", ""))
        for i in range(AGREEMENTS)])
    texts = {1: "Taraflar savunma alanında işbirliği yapar {i}.", 2: "Taraflar yılda bir kez görüşür {i}."}
    clauses = []
    for record in AgreementRecord.objects.filter(slug__startswith="plan-").order_by("slug"):  # clauses in the agreements' order
        i = int(record.slug.split("-")[1])
        for number, text in texts.items():
            text = text.format(i=i) + (" Xankəndi." if i == 7 and number == 2 else "")
            clauses.append(ClauseVersion(
                agreement_id=record.pk, clause_id=uuid.uuid4(), eid=f"art_{number}", number=str(number), text=text,
                text_kind="official", language="tr", sort_key=number, change="added", valid_from=dt.date(2001, 1, 1),
                known_from=now, event_id=uuid.uuid4(), position=0, search_text=clause_search_text("", text)))
    ClauseVersion.objects.bulk_create(clauses)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE pacta_agreement")
            cursor.execute("ANALYZE pacta_clause_version")
    return records


@pytest.fixture
def reads(monkeypatch):
    """The reads PostgreSQL's search chose, one per ranked kind (agreements, clauses), in order."""
    from agreements.queries import search_postgresql

    chosen = []
    choose = search_postgresql.read_for

    def spy(estimate, cap, rows):
        chosen.append(choose(estimate, cap, rows))
        return chosen[-1]

    monkeypatch.setattr(search_postgresql, "read_for", spy)
    monkeypatch.setattr(search_interface, "CANDIDATES", CAP)
    return chosen


def hits(q):
    return [(hit.slug, hit.eid, hit.rank) for hit in search(SearchFilters(q=q), limit=CAP).hits]


@pytest.mark.postgres
def test_a_word_in_half_the_clauses_is_read_in_the_tables_order(corpus, reads):
    hits("işbirliği")
    assert reads[-1] == "table order"  # the clauses' read: the last of the search's two


@pytest.mark.postgres
def test_a_word_in_one_clause_is_read_through_the_index(corpus, reads):
    assert [slug for slug, _, _ in hits("Xankəndi")] == ["plan-007"]
    assert reads[-1] == "index"


@pytest.mark.postgres
def test_the_table_order_read_finds_the_hits_the_index_read_finds(corpus, monkeypatch):
    """Each read forced in turn, with a cap above the word's 120 matches so that both rank every one: which
    matches a capped read ranks depends on where the rows lie in the table, which earlier tests' rolled-back rows
    change, not on the read."""
    from agreements.queries import search_postgresql

    monkeypatch.setattr(search_interface, "CANDIDATES", AGREEMENTS + 10)
    found = {}
    for read in search_postgresql.READS:
        monkeypatch.setattr(search_postgresql, "read_for", lambda estimate, cap, rows, read=read: read)
        found[read] = hits("işbirliği")
    assert found["table order"] == found["index"] and len(found["index"]) == CAP


def test_a_common_words_hits_are_its_first_clauses_in_agreement_order_on_every_database(corpus, monkeypatch):
    """Every clause holds the word once, in sentences of one length: ranks are equal, so the hits are the first
    ones in agreement order, whichever read found them."""
    monkeypatch.setattr(search_interface, "CANDIDATES", CAP)
    found = hits("işbirliği")
    assert [(slug, eid) for slug, eid, _ in found] == [(f"plan-{i:03d}", "art_1") for i in range(CAP)]


@pytest.mark.parametrize("estimate, cap, rows, read", [
    (50_000, 200, 200_000, "table order"),  # a word in a quarter of the clauses
    (1_000, 200, 200_000, "index"),  # a word in one agreement of a hundred
    (4_000, 200, 200_000, "index"),  # ... when PostgreSQL's estimate is four times too high
    (10, 200, 2_000, "index"),  # a rare word
])
def test_the_read_is_chosen_from_the_estimate_of_matches_against_the_cap_and_the_tables_rows(
        estimate, cap, rows, read):
    from agreements.queries.search_postgresql import read_for

    assert read_for(estimate, cap, rows) == read
