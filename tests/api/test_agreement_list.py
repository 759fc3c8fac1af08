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
    # The one search reads summaries too: the Shusha Declaration's names the 2010 agreement.
    found = slugs(anon.get(URL, {"q": "Agreement on Strategic Partnership"}))
    assert "tr-az-strategic-partnership-2010" in found
    assert "un-charter-1945" not in found


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


@pytest.mark.parametrize("cursor", ["cD0lMDA=", "n0_%00", "n0_a\x00b", "x", "n0_", "n99999"])
def test_a_cursor_that_was_never_handed_out_is_a_400_naming_it(anon, cursor):
    response = anon.get(URL, {"cursor": cursor})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["cursor"]


def test_following_next_and_previous_cursors_walks_the_list_both_ways(anon):
    first = anon.get(URL, {"page_size": 2}).json()
    second = anon.get(first["next"]).json()
    assert not set(slugs_of(first)) & set(slugs_of(second))
    assert slugs_of(anon.get(second["previous"]).json()) == slugs_of(first)


def slugs_of(body):
    return [row["slug"] for row in body["results"]]


@pytest.mark.parametrize("param", ["q", "party", "cursor", "page_size", "kind"])
def test_an_empty_query_parameter_is_a_400_naming_it(anon, param):
    response = anon.get(f"{URL}?{param}=")
    assert response.status_code == 400 and param in response.json()["errors"]


@pytest.mark.parametrize("param, values", [("party", ["TUR", "AZE"]), ("party", ["TUR", "TUR"]),
                                           ("kind", ["treaty", "agreement"])])
def test_a_query_parameter_given_twice_is_a_400_naming_it_rather_than_the_last_value_read(anon, param, values):
    response = anon.get(URL + "?" + "&".join(f"{param}={value}" for value in values))
    assert response.status_code == 400 and list(response.json()["errors"]) == [param]


def test_a_party_filter_in_lower_case_lists_the_same_agreements(anon):
    assert slugs_of(anon.get(URL, {"party": "tur"}).json()) == slugs_of(anon.get(URL, {"party": "TUR"}).json())


@pytest.mark.parametrize("value", ["Şuşa", "T UR", "-TUR", "TUR;", "Ş"])
def test_a_party_filter_that_is_no_party_code_is_a_400_naming_it(anon, value):
    response = anon.get(URL, {"party": value})
    assert response.status_code == 400 and response.json()["errors"] == {"party": ["Give a party code (TUR, AZE...)."]}


def test_a_party_filter_holding_a_nul_is_a_400_naming_it(anon):
    response = anon.get(URL + "?party=T%00R")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["party"]


@pytest.fixture
def year_only_signature(db):
    from .conftest import run

    slug = "year-only-2000"
    run(slug, "DraftAgreement", slug=slug, title="Known by its year", kind="agreement")
    run(slug, "RecordLifecycle", action="signature", date="2000")
    run(slug, "RecordLifecycle", action="entry_into_force", date="2001-06?")
    run(slug, "Publish", uncited_reason="test texts cite no source")
    return slug


def test_the_list_gives_dates_as_recorded_with_their_bounds_named(anon, year_only_signature):
    row = next(r for r in anon.get(URL, {"page_size": 500}).json()["results"] if r["slug"] == year_only_signature)
    assert (row["signed"], row["signed_earliest"], row["signed_latest"]) == ("2000", "2000-01-01", "2000-12-31")
    assert (row["in_force"], row["in_force_earliest"], row["in_force_latest"]) == ("2001-06?", "2001-06-01",
                                                                                  "2001-06-30")


def test_the_csv_gives_the_same_dates_and_bounds_as_the_json(anon, year_only_signature):
    rows = csv.DictReader(io.StringIO(anon.get(URL, {"format": "csv"}).content.decode()))
    row = next(r for r in rows if r["slug"] == year_only_signature)
    assert (row["signed"], row["signed_earliest"], row["signed_latest"]) == ("2000", "2000-01-01", "2000-12-31")
    assert row["in_force"] == "2001-06?" and row["in_force_latest"] == "2001-06-30"


def test_posting_to_the_list_never_answers_csv(archivist_client):
    response = archivist_client.post(f"{URL}?format=csv", {"slug": "x"}, format="json")
    assert response["Content-Type"].startswith("application/json")
