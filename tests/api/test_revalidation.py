"""An anonymous conditional GET that the API answered before is answered 304 at the door while nothing has been
written since (registry/revalidation.py): no query, no view; any write sends the next one back to the view."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from .conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db
URL = f"/api/v1/agreements/{STRATEGIC}/"


def conditional(client, url, etag, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_IF_NONE_MATCH=etag, **headers)
    return response, len(ctx.captured_queries)


def test_a_revalidation_asked_again_is_answered_without_a_query(anon):
    etag = anon.get(URL)["ETag"]
    first, first_queries = conditional(anon, URL, etag)
    again, again_queries = conditional(anon, URL, etag)
    assert first.status_code == again.status_code == 304
    assert first_queries >= 1 and again_queries == 0


def test_the_304_at_the_door_repeats_the_views_validator_and_caching_headers(anon):
    etag = anon.get(URL)["ETag"]
    from_view, _ = conditional(anon, URL, etag)
    at_door, _ = conditional(anon, URL, etag)
    for header in ("ETag", "Cache-Control", "Vary"):
        assert at_door[header] == from_view[header]


def test_a_write_to_the_agreement_gives_the_new_version_to_the_next_revalidation(anon, make_agreement):
    slug = make_agreement("revalidated-2012", clauses=1, publish=True)
    url = f"/api/v1/agreements/{slug}/"
    etag = anon.get(url)["ETag"]
    conditional(anon, url, etag)
    run(slug, "EditDetails", title="A title given later")
    response, _ = conditional(anon, url, etag)
    assert response.status_code == 200 and response.json()["title"] == "A title given later"
    assert response["ETag"] != etag


def test_a_write_anywhere_sends_the_next_revalidation_back_to_the_view(anon, make_agreement):
    etag = anon.get(URL)["ETag"]
    conditional(anon, URL, etag)
    make_agreement("another-write-2012", clauses=1, publish=True)
    response, queries = conditional(anon, URL, etag)
    assert response.status_code == 304 and queries >= 1


def test_another_etag_is_not_answered_at_the_door(anon):
    etag = anon.get(URL)["ETag"]
    conditional(anon, URL, etag)
    response, queries = conditional(anon, URL, '"1-0000000000000000"')
    assert response.status_code == 200 and queries >= 1


def test_a_caller_with_a_token_is_always_answered_by_the_view(archivist_client):
    etag = archivist_client.get(URL)["ETag"]
    conditional(archivist_client, URL, etag)
    response, queries = conditional(archivist_client, URL, etag)
    assert response.status_code == 304 and queries >= 1


def test_the_throttle_counts_revalidations_answered_at_the_door(anon):
    etag = anon.get(URL)["ETag"]
    with override_settings(PACTA_API_ANON_RATE="3/minute"):
        cache.clear()
        statuses = [conditional(anon, URL, etag)[0].status_code for _ in range(5)]
    assert statuses[:3] == [304, 304, 304] and statuses[3:] == [429, 429]


def test_a_cache_that_does_not_answer_leaves_the_revalidation_to_the_view(anon, monkeypatch, settings):
    settings.PACTA_READ_GENERATION_SECONDS = 0  # the generation is read from the shared cache every time
    etag = anon.get(URL)["ETag"]
    conditional(anon, URL, etag)

    def down(*args, **kwargs):
        raise ConnectionError("the cache does not answer")

    monkeypatch.setattr(cache, "get", down)
    response, queries = conditional(anon, URL, etag)
    assert response.status_code == 304 and queries >= 1


def test_another_process_s_write_reaches_the_door_when_the_generation_is_read_again(anon, settings):
    from registry import generation

    settings.PACTA_READ_GENERATION_SECONDS = 0
    etag = anon.get(URL)["ETag"]
    conditional(anon, URL, etag)
    cache.set(generation.KEY, "written-by-another-process", None)  # what another process's advance leaves
    response, queries = conditional(anon, URL, etag)
    assert response.status_code == 304 and queries >= 1


def test_a_304_at_the_door_is_logged_under_the_views_route(anon, caplog):
    etag = anon.get(URL)["ETag"]
    conditional(anon, URL, etag)
    with caplog.at_level("INFO", logger="pacta.access"):
        caplog.clear()
        response, queries = conditional(anon, URL, etag)
    assert response.status_code == 304 and queries == 0
    assert [r.getMessage() for r in caplog.records if r.name == "pacta.access"] == [
        "GET /api/v1/agreements/<path:slug>/ 304"]


def test_a_host_django_refuses_is_never_answered_at_the_door(anon):
    etag = anon.get(URL)["ETag"]
    conditional(anon, URL, etag)  # remembered for the allowed host
    response, _ = conditional(anon, URL, etag, HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_another_query_string_is_another_address(anon):
    etag = anon.get(URL)["ETag"]
    conditional(anon, URL, etag)
    response, queries = conditional(anon, URL + "?as_of=2011-01-01", etag)
    assert queries >= 1 and response.status_code in (200, 304)
