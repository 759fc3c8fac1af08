"""GET /api/v1/agreements/: filters, cursor pages, CSV, visibility."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/agreements/"


def slugs(response):
    return [row["slug"] for row in response.json()["results"]]


def test_the_list_is_a_page_with_results_and_next(anon):
    response = anon.get(URL, {"page_size": 5})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 5 and body["next"]
    assert {"slug", "title", "kind", "status", "parties", "version", "url"} <= set(body["results"][0])


def test_following_next_visits_every_published_agreement_once(anon):
    seen, url = [], URL + "?page_size=4"
    while url:
        body = anon.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 20


def test_party_filter_lists_the_agreements_of_that_party(anon):
    found = slugs(anon.get(URL, {"party": "TUR", "page_size": 100}))
    assert "tr-az-strategic-partnership-2010" in found
    assert "un-charter-1945" not in found


def test_kind_filter(anon):
    rows = anon.get(URL, {"kind": "protocol", "page_size": 100}).json()["results"]
    assert rows and all(row["kind"] == "protocol" for row in rows)


def test_status_filter_uses_status_today(anon):
    rows = anon.get(URL, {"status": "in_force", "page_size": 100}).json()["results"]
    assert "un-charter-1945" in [r["slug"] for r in rows]
    assert all(row["status"] == "in_force" for row in rows)


def test_in_force_on_filter_is_about_that_date(anon):
    assert "un-charter-1945" in slugs(anon.get(URL, {"in_force_on": "1950-01-01", "page_size": 100}))
    assert "un-charter-1945" not in slugs(anon.get(URL, {"in_force_on": "1945-01-01", "page_size": 100}))


def test_signed_from_and_to_bound_the_first_signature(anon):
    found = slugs(anon.get(URL, {"signed_from": "2010-01-01", "signed_to": "2010-12-31", "page_size": 100}))
    assert "tr-az-strategic-partnership-2010" in found
    assert "un-charter-1945" not in found


def test_q_searches_titles(anon):
    assert slugs(anon.get(URL, {"q": "Agreement on Strategic Partnership"})) == ["tr-az-strategic-partnership-2010"]


@pytest.mark.parametrize("param", ["in_force_on", "signed_from", "signed_to", "kind", "status", "page_size", "cursor"])
def test_a_bad_filter_value_is_a_400_naming_it(anon, param):
    response = anon.get(URL, {param: "not-a-value"})
    assert response.status_code == 400
    assert param in response.json()["errors"]


def test_drafts_are_listed_only_for_archivists(anon, archivist_client, draft):
    assert draft not in slugs(anon.get(URL, {"page_size": 500}))
    assert draft in slugs(archivist_client.get(URL, {"page_size": 500}))


def test_the_list_as_csv_has_one_row_per_matching_agreement(anon):
    response = anon.get(URL, {"format": "csv", "party": "AZE"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(slugs(anon.get(URL, {"party": "AZE", "page_size": 500})))
    assert "tr-az-strategic-partnership-2010" in [r["slug"] for r in rows]
    assert "AZE" in rows[0]["parties"].split()


def test_public_reads_carry_cache_control(anon, archivist_client):
    assert "public" in anon.get(URL)["Cache-Control"]
    assert "private" in archivist_client.get(URL)["Cache-Control"]
