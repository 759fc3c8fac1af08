"""Bounded queries: an agreement's detail, a clause and a list page cost the same number of queries whatever
their size (counted with Django's CaptureQueriesContext)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def count(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response


def test_agreement_detail_costs_the_same_with_5_and_200_clauses(anon, make_agreement):
    small = make_agreement("five-clauses-2012", clauses=5, publish=True)
    large = make_agreement("two-hundred-clauses-2012", clauses=200, publish=True)
    n_small, r_small = count(anon, f"/api/v1/agreements/{small}/")
    n_large, r_large = count(anon, f"/api/v1/agreements/{large}/")
    assert len(r_small.json()["clauses"]) == 5 and len(r_large.json()["clauses"]) == 200
    print(f"\nagreement detail queries: 5 clauses -> {n_small}, 200 clauses -> {n_large}")
    assert n_small == n_large


def test_akoma_ntoso_export_costs_the_same_with_5_and_200_clauses(anon, make_agreement):
    small = make_agreement("five-clauses-akn-2012", clauses=5, publish=True)
    large = make_agreement("two-hundred-clauses-akn-2012", clauses=200, publish=True)
    assert count(anon, f"/api/v1/agreements/{small}/", format="akn")[0] == \
        count(anon, f"/api/v1/agreements/{large}/", format="akn")[0]


def test_agreement_list_pages_cost_the_same_with_5_and_60_agreements(anon, make_agreement):
    for n in range(45):
        make_agreement(f"bulk-{n:02d}-2012", publish=True)
    n_small, r_small = count(anon, "/api/v1/agreements/", page_size=5)
    n_large, r_large = count(anon, "/api/v1/agreements/", page_size=60)
    assert len(r_small.json()["results"]) == 5 and len(r_large.json()["results"]) == 60
    print(f"\nagreement list queries: page of 5 -> {n_small}, page of 60 -> {n_large}")
    assert n_small == n_large


def test_csv_export_costs_the_same_whatever_the_number_of_rows(anon, make_agreement):
    few = count(anon, "/api/v1/agreements/", format="csv", kind="charter")[0]
    for n in range(10):
        make_agreement(f"csv-bulk-{n:02d}-2012", publish=True)
    assert count(anon, "/api/v1/agreements/", format="csv")[0] == few


def test_party_and_source_pages_cost_the_same_whatever_their_size(anon):
    assert count(anon, "/api/v1/parties/", page_size=2)[0] == count(anon, "/api/v1/parties/", page_size=50)[0]
    assert count(anon, "/api/v1/sources/", page_size=2)[0] == count(anon, "/api/v1/sources/", page_size=50)[0]


def test_feed_pages_cost_the_same_whatever_their_size(anon):
    assert count(anon, "/api/v1/events/", limit=2)[0] == count(anon, "/api/v1/events/", limit=500)[0]


def test_a_304_costs_one_query(anon):
    url = "/api/v1/agreements/un-charter-1945/"
    etag = anon.get(url)["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(ctx.captured_queries) == 1
