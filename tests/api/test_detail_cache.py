"""An agreement's detail asked again is answered from the body kept under its ETag: a version lookup and a
cache read instead of a dozen projection queries, with the answer's record time still the moment asked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db
URL = f"/api/v1/agreements/{STRATEGIC}/"


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def test_a_detail_asked_again_costs_a_version_lookup_not_the_projection_queries(anon):
    first, body = queries(anon, URL)
    again, cached = queries(anon, URL)
    assert again < first and again <= 2
    assert {**cached, "known_at": None} == {**body, "known_at": None}


def test_a_cached_detail_still_says_it_was_known_at_the_moment_asked(anon):
    _, body = queries(anon, URL)
    _, cached = queries(anon, URL)
    assert cached["known_at"] > body["known_at"]


def test_a_detail_asked_with_known_at_keeps_that_record_time(anon):
    _, body = queries(anon, URL, known_at="2030-01-01T00:00:00Z")
    _, cached = queries(anon, URL, known_at="2030-01-01T00:00:00Z")
    assert cached["known_at"] == body["known_at"] == "2030-01-01T00:00:00Z"


def test_a_new_version_is_never_answered_from_the_body_of_the_old_one(anon, make_agreement):
    slug = make_agreement("cached-detail-2012", clauses=1, publish=True)
    assert anon.get(f"/api/v1/agreements/{slug}/").json()["title"] == f"Agreement {slug}"
    run(slug, "EditDetails", title="A title given later")
    assert anon.get(f"/api/v1/agreements/{slug}/").json()["title"] == "A title given later"


def test_what_staff_see_is_never_served_to_the_public_from_the_cache(anon, archivist_client, make_agreement):
    slug = make_agreement("cached-draft-2012", clauses=1, publish=False)
    assert archivist_client.get(f"/api/v1/agreements/{slug}/").status_code == 200
    assert anon.get(f"/api/v1/agreements/{slug}/").status_code == 404


def test_a_list_page_asked_again_costs_the_head_lookup_not_the_page_queries(anon):
    first, body = queries(anon, "/api/v1/agreements/", kind="agreement")
    again, cached = queries(anon, "/api/v1/agreements/", kind="agreement")
    assert again < first and again <= 2 and cached == body


def test_any_write_to_the_registry_gives_list_pages_anew(anon, make_agreement):
    before = [a["slug"] for a in anon.get("/api/v1/agreements/", {"page_size": 100}).json()["results"]]
    slug = make_agreement("listed-after-a-write-2012", clauses=1, publish=True)
    after = [a["slug"] for a in anon.get("/api/v1/agreements/", {"page_size": 100}).json()["results"]]
    assert slug not in before and slug in after


def test_a_kept_body_puts_the_record_time_in_its_place_only(anon, make_agreement):
    slug = make_agreement("cached-marker-2012", clauses=1, publish=True)
    run(slug, "EditDetails", title='A title that writes "known_at": "1999-01-01" in itself')
    _, first = queries(anon, f"/api/v1/agreements/{slug}/")
    _, again = queries(anon, f"/api/v1/agreements/{slug}/")
    assert again["title"] == first["title"] == 'A title that writes "known_at": "1999-01-01" in itself'
    assert again["known_at"] >= first["known_at"] > "2026"
