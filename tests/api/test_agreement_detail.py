"""GET /api/v1/agreements/{slug}/: the contract's names, time travel, ETag/304, visibility."""

from unittest import mock

import pytest

from .conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db


def url(slug):
    return f"/api/v1/agreements/{slug}/"


def test_detail_has_the_fields_the_contract_names(anon):
    body = anon.get(url(STRATEGIC)).json()
    assert {"slug", "title", "kind", "status", "version", "parties", "clauses", "relations", "citations"} <= set(body)
    assert body["slug"] == STRATEGIC and body["status"] == "in_force"
    assert {p["code"] for p in body["parties"]} == {"TUR", "AZE"}
    assert {"code", "name", "role"} == set(body["parties"][0])
    clause = next(c for c in body["clauses"] if c["eid"] == "art_2")
    assert {"eid", "number", "heading", "text", "text_kind"} <= set(clause)
    assert clause["text_kind"] == "summary"
    assert body["citations"] and body["citations"][0]["source"]["key"]


def test_version_is_the_stream_version(anon, make_agreement):
    slug = make_agreement("versioned-2012", clauses=3, publish=True)
    # Drafted, two parties, a signature, three clauses, published.
    assert anon.get(url(slug)).json()["version"] == 8


def test_as_of_shows_the_text_in_force_on_that_date(anon, make_agreement):
    slug = make_agreement("amended-2012", clauses=1, publish=True)
    run(slug, "AmendClause", eid="art_1", text="New text of article 1.", effective="2020-01-01")
    old = anon.get(url(slug), {"as_of": "2015-01-01"}).json()
    new = anon.get(url(slug), {"as_of": "2021-01-01"}).json()
    assert old["clauses"][0]["text"] == "Text of article 1."
    assert new["clauses"][0]["text"] == "New text of article 1."


def test_known_at_shows_what_the_registry_said_then(anon, make_agreement):
    slug = make_agreement("corrected-2012", clauses=1, publish=True)
    before = run(slug, "EditDetails", title="First title").events[-1].recorded_at
    run(slug, "EditDetails", title="Corrected title")
    assert anon.get(url(slug), {"known_at": before.isoformat()}).json()["title"] == "First title"
    assert anon.get(url(slug)).json()["title"] == "Corrected title"


@pytest.mark.parametrize("param,value", [("as_of", "2015-13-45"), ("as_of", "yesterday"),
                                         ("known_at", "not-a-time"), ("known_at", "2024-02-30T00:00Z")])
def test_a_bad_time_parameter_is_a_400_naming_it(anon, param, value):
    response = anon.get(url(STRATEGIC), {param: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [param]


def test_an_unknown_agreement_is_a_404(anon):
    response = anon.get(url("no-such-agreement"))
    assert response.status_code == 404 and response.json()["detail"]


def test_a_draft_is_a_404_to_anonymous_callers_not_a_403(anon, plain_client, draft):
    assert anon.get(url(draft)).status_code == 404
    assert plain_client.get(url(draft)).status_code == 404


def test_archivists_see_drafts(archivist_client, draft):
    response = archivist_client.get(url(draft))
    assert response.status_code == 200 and response.json()["publication"] == "draft"


def test_incoming_relations_from_drafts_are_not_shown_to_the_public(anon, archivist_client, draft):
    run(draft, "AddRelation", relation="refers_to", target=STRATEGIC)
    public = anon.get(url(STRATEGIC)).json()["relations"]["incoming"]
    internal = archivist_client.get(url(STRATEGIC)).json()["relations"]["incoming"]
    assert draft not in [r["source"] for r in public]
    assert draft in [r["source"] for r in internal]


def test_the_etag_changes_with_the_version_and_the_time_parameters(anon, make_agreement):
    slug = make_agreement("etagged-2012", clauses=1, publish=True)
    first = anon.get(url(slug))["ETag"]
    assert anon.get(url(slug))["ETag"] == first
    assert anon.get(url(slug), {"as_of": "2015-01-01"})["ETag"] != first
    assert anon.get(url(slug), {"known_at": "2030-01-01T00:00:00Z"})["ETag"] != first
    run(slug, "EditDetails", summary="Changed.")
    assert anon.get(url(slug))["ETag"] != first


def test_if_none_match_gives_304_without_building_the_body(anon):
    etag = anon.get(url(STRATEGIC))["ETag"]
    with mock.patch("agreements.api.views.agreements.agreement_detail") as build:
        response = anon.get(url(STRATEGIC), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    build.assert_not_called()


def test_a_stale_if_none_match_gets_the_body(anon):
    response = anon.get(url(STRATEGIC), HTTP_IF_NONE_MATCH='"1-0000000000000000"')
    assert response.status_code == 200 and response.json()["slug"] == STRATEGIC


def test_public_detail_is_cacheable_by_anyone_and_private_for_archivists(anon, archivist_client):
    assert "public" in anon.get(url(STRATEGIC))["Cache-Control"]
    assert "private" in archivist_client.get(url(STRATEGIC))["Cache-Control"]
