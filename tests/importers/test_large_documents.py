"""A large document imports and reads back bounded: past PACTA_CLAUSES_INLINE clauses the API detail holds the
first page of them and links the paged clause list, and the public page shows a table of contents and one page
of articles at a time. (Here the bound is 5 and the act has 12 sections; bench/akn_large.py measures 20,000.)"""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from bench.akn_import import write_act

pytestmark = pytest.mark.django_db
SLUG = "za-act-2020-bench"
URL = f"/api/v1/agreements/{SLUG}/"


@pytest.fixture
def large(tmp_path, settings):
    settings.PACTA_CLAUSES_INLINE = 5
    path = tmp_path / "large.xml"
    write_act(path, 12, words="the parties shall cooperate")
    call_command("import_akn", str(path), "--publish", stdout=io.StringIO())
    return settings


def test_the_api_detail_holds_the_first_page_and_links_the_rest(large):
    detail = APIClient().get(URL).json()
    assert detail["clause_count"] == 13 and len(detail["clauses"]) == 5
    assert detail["clauses_url"] == f"http://testserver/api/v1/agreements/{SLUG}/clauses/"
    assert detail["clauses_next"] == f"http://testserver/api/v1/agreements/{SLUG}/clauses/?page=2"


def test_the_clause_list_pages_every_clause_once_in_document_order(large):
    client, url, seen = APIClient(), f"{URL}clauses/?as_of=2021", []
    while url:
        page = client.get(url).json()
        assert page["count"] == 13
        seen += [c["eid"] for c in page["results"]]
        url = page["next"]
    assert seen == ["part_1"] + [f"sec_{n}" for n in range(1, 13)]
    assert "as_of=2021-12-31" in client.get(f"{URL}clauses/?as_of=2021").json()["next"]


def test_a_page_number_that_is_no_number_is_a_400_naming_the_field(large):
    response = APIClient().get(f"{URL}clauses/?page=0")
    assert response.status_code == 400 and "page" in response.json()["errors"]


def test_an_agreement_under_the_bound_is_inlined_whole(large):
    large.PACTA_CLAUSES_INLINE = 1000
    detail = APIClient().get(URL).json()
    assert len(detail["clauses"]) == detail["clause_count"] == 13 and detail["clauses_next"] is None


def test_the_page_shows_a_table_of_contents_and_one_page_of_articles(large, client):
    html = client.get("/akn/za/act/2020/bench/").content.decode()
    assert "This agreement has 13 articles and parts; this page shows 1 to 5" in html
    assert html.count('class="clause-text"') == 5 and 'href="/akn/za/act/2020/bench/?page=3#articles"' in html
    second = client.get("/akn/za/act/2020/bench/?page=3").content.decode()
    assert second.count('class="clause-text"') == 3 and "this page shows 11 to 13" in second


def test_a_page_past_the_last_is_not_found(large, client):
    assert client.get("/akn/za/act/2020/bench/?page=4").status_code == 404
    assert client.get("/akn/za/act/2020/bench/?page=x").status_code == 404
