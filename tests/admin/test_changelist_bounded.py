"""The agreement list costs the same whatever the size of the corpus: a capped count, vocabulary filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.admin import bounded

CHANGELIST = reverse("admin:agreements_agreementrecord_changelist")


def test_the_count_stops_at_the_cap_and_the_list_says_more_match(archivist_client, monkeypatch):
    monkeypatch.setattr(bounded.CappedCountPaginator, "cap", 2)
    response = archivist_client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3  # counted up to cap + 1, not every agreement
    assert "More than 2 agreements match" in response.content.decode()


def test_a_list_under_the_cap_is_counted_exactly(archivist_client):
    response = archivist_client.get(CHANGELIST, {"kind": "charter"})
    assert response.context["cl"].result_count == 1
    assert "More than" not in response.content.decode()


def test_no_query_of_the_list_reads_the_whole_table(archivist_client):
    with CaptureQueriesContext(connection) as queries:
        assert archivist_client.get(CHANGELIST).status_code == 200
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not [s for s in sql if "SELECT DISTINCT" in s]  # filter choices come from the vocabulary
    counts = [s for s in sql if s.startswith("SELECT COUNT(*)")]
    assert counts and all("LIMIT" in s for s in counts)
    assert not [s for s in sql if "GROUP BY" in s and "LIMIT" not in s]  # open findings: counted per row shown


@pytest.mark.parametrize("param, value, expected", [("kind", "charter", {"un-charter-1945"}),
                                                    ("publication", "draft", set())])
def test_the_vocabulary_filters_keep_their_addresses(archivist_client, param, value, expected):
    response = archivist_client.get(CHANGELIST, {param: value})
    assert {r.slug for r in response.context["cl"].result_list} == expected
