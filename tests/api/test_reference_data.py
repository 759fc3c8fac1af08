"""Parties, sources, findings and search."""

import pytest
from django.utils import timezone

from sources.models import Party
from agreements.projections.models import AgreementRecord
from agreements.findings.models import Finding
from sources.models import Source

from .conftest import STRATEGIC

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ parties


def test_parties_are_listed_by_code(anon):
    body = anon.get("/api/v1/parties/", {"page_size": 500}).json()
    codes = [p["code"] for p in body["results"]]
    assert codes == sorted(codes) and {"TUR", "AZE", "OTTOMAN"} <= set(codes)


def test_a_party_by_code_has_names_over_time_and_its_predecessor(anon):
    body = anon.get("/api/v1/parties/TUR/").json()
    assert body["predecessor"] == "OTTOMAN"
    assert [n["name"] for n in body["names"]] == ["Republic of Turkey", "Republic of Türkiye"]


def test_an_unknown_party_is_404(anon):
    assert anon.get("/api/v1/parties/NOPE/").status_code == 404


def test_bad_party_filter_is_400(anon):
    response = anon.get("/api/v1/parties/", {"kind": "planet"})
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_an_archivist_adds_a_party(archivist_client, archivist):
    response = archivist_client.post("/api/v1/parties/", {"code": "GEO", "name": "Georgia", "kind": "state",
                                                         "iso3166": "GEO"}, format="json")
    assert response.status_code == 201 and response.json()["code"] == "GEO"
    assert Party.objects.get(code="GEO").history.first().history_user == archivist


def test_a_party_code_and_kind_are_checked(archivist_client):
    response = archivist_client.post("/api/v1/parties/", {"code": "t", "name": "Again", "kind": "galaxy"},
                                     format="json")
    assert response.status_code == 400 and {"code", "kind"} <= set(response.json()["errors"])


def test_anonymous_callers_cannot_add_parties(anon, plain_client):
    body = {"code": "GEO", "name": "Georgia", "kind": "state"}
    assert anon.post("/api/v1/parties/", body, format="json").status_code == 401
    assert plain_client.post("/api/v1/parties/", body, format="json").status_code == 403


# ------------------------------------------------------------------ sources


def test_sources_are_listed(anon):
    rows = anon.get("/api/v1/sources/", {"page_size": 500}).json()["results"]
    assert "usc-dornsife-2023" in [s["key"] for s in rows]


def test_a_source_by_key(anon):
    assert anon.get("/api/v1/sources/usc-dornsife-2023/").json()["key"] == "usc-dornsife-2023"
    assert anon.get("/api/v1/sources/no-such-source/").status_code == 404


def test_an_archivist_adds_a_source_and_gets_a_key(archivist_client):
    response = archivist_client.post("/api/v1/sources/", {"title": "Defence White Paper", "publisher": "MoD",
                                                         "kind": "official_text", "published": "2019-05",
                                                         "url": "https://example.org/paper"}, format="json")
    assert response.status_code == 201
    assert response.json()["key"] == "defence-white-paper"
    assert Source.objects.get(key="defence-white-paper").published_lower.isoformat() == "2019-05-01"


def test_a_source_with_a_bad_date_or_url_is_400(archivist_client):
    response = archivist_client.post("/api/v1/sources/", {"title": "T", "publisher": "P", "kind": "news",
                                                         "published": "last spring", "url": "not a url"},
                                     format="json")
    assert response.status_code == 400 and {"published", "url"} <= set(response.json()["errors"])


def test_anonymous_callers_cannot_add_sources(anon):
    assert anon.post("/api/v1/sources/", {"title": "T", "publisher": "P", "kind": "news"},
                     format="json").status_code == 401


# ------------------------------------------------------------------ findings


@pytest.fixture
def no_other_findings(db):
    """The seeds' own info findings exist only when their validation ran eagerly (the SQLite default)."""
    Finding.objects.all().delete()


def _finding(slug, key, **kw):
    now = timezone.now()
    return Finding.objects.create(key=key, code=kw.pop("code", "anachronistic_reference"), severity="warning",
                                  subject_type="clause", agreement=AgreementRecord.objects.get(slug=slug),
                                  subject="art_1", message="A finding.", first_seen=now, last_seen=now, **kw)


def test_open_findings_are_listed(no_other_findings, archivist_client):
    _finding(STRATEGIC, "a")
    _finding(STRATEGIC, "b", resolved_at=timezone.now())
    rows = archivist_client.get("/api/v1/findings/").json()["results"]
    assert [r["agreement"] for r in rows] == [STRATEGIC]
    assert len(archivist_client.get("/api/v1/findings/", {"include_resolved": "true"}).json()["results"]) == 2


def test_findings_filter_by_agreement_and_severity(no_other_findings, archivist_client):
    _finding(STRATEGIC, "a")
    assert archivist_client.get("/api/v1/findings/", {"agreement": "un-charter-1945"}).json()["results"] == []
    assert archivist_client.get("/api/v1/findings/", {"severity": "error"}).json()["results"] == []
    assert archivist_client.get("/api/v1/findings/", {"severity": "bad"}).status_code == 400


def test_findings_are_for_staff_only(no_other_findings, anon, plain_client, archivist_client, draft):
    _finding(draft, "draft-finding")
    assert anon.get("/api/v1/findings/").status_code in (401, 403)
    assert plain_client.get("/api/v1/findings/").status_code == 403
    assert len(archivist_client.get("/api/v1/findings/").json()["results"]) == 1


# ------------------------------------------------------------------ search


def test_search_finds_clauses_by_their_words(anon):
    rows = anon.get("/api/v1/search/", {"q": "armed attack"}).json()["results"]
    assert ("un-charter-1945", "art_51") in [(r["agreement"], r["eid"]) for r in rows]
    charter = next(r for r in rows if r["agreement"] == "un-charter-1945")
    assert "«armed»" in charter["snippet"].lower() and "«attack»" in charter["snippet"].lower()


def test_search_matches_headings_too(anon):
    rows = anon.get("/api/v1/search/", {"q": "joint action"}).json()["results"]  # art_1's heading, not its text
    assert ("tr-az-strategic-partnership-2010", "art_1") in [(r["agreement"], r["eid"]) for r in rows]


def test_search_needs_q(anon):
    response = anon.get("/api/v1/search/")
    assert response.status_code == 400 and "q" in response.json()["errors"]


def test_search_does_not_show_drafts_to_the_public(anon, archivist_client, make_agreement):
    make_agreement("hidden-words-2012", clauses=1)
    public = anon.get("/api/v1/search/", {"q": "article", "page_size": 100}).json()["results"]
    assert "hidden-words-2012" not in [r["agreement"] for r in public]
    found = archivist_client.get("/api/v1/search/", {"q": "article", "page_size": 100}).json()["results"]
    assert "hidden-words-2012" in [r["agreement"] for r in found]


def test_search_pages_with_cursor_and_page_size_like_every_list(anon):
    first = anon.get("/api/v1/search/", {"q": "military", "page_size": 1}).json()
    assert len(first["results"]) == 1 and "cursor=" in first["next"]
    second = anon.get(first["next"]).json()
    assert second["results"][0] != first["results"][0]
    assert anon.get(second["previous"]).json()["results"] == first["results"]


@pytest.mark.parametrize("cursor", ["x", "o-1", "o10001", "n0_tr"])
def test_a_search_cursor_that_was_never_handed_out_is_a_400_naming_it(anon, cursor):
    response = anon.get("/api/v1/search/", {"q": "military", "cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json()["errors"]
