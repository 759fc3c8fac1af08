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
    # One read of the parties' names (reference data: is "training" a party's name?), then the probe.
    names, probe = queries.captured_queries
    assert "agreements_partyname" in names["sql"]
    assert "LIMIT" in probe["sql"] and "search_document" in probe["sql"]  # capped reads through the indexes
    assert rows.exists() and "search_document" not in str(rows.query)  # then the page reads those ids only


@pytest.mark.postgres
def test_postgresql_reads_a_slug_part_through_its_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pacta_agreement")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = AgreementRecord.objects.filter(slug__icontains="shusha").explain()
    assert "agreement_slug_trgm_idx" in plan
