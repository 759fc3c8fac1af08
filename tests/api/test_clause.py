"""GET /api/v1/agreements/{slug}/clauses/{eid}/: text as of a time, versions, references both ways, findings."""

import pytest
from django.utils import timezone

from agreements.findings.models import Finding

from .conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db


def url(slug, eid):
    return f"/api/v1/agreements/{slug}/clauses/{eid}/"


def test_the_clause_has_text_versions_and_references(anon):
    body = anon.get(url(STRATEGIC, "art_2")).json()
    assert body["eid"] == "art_2" and body["text"]
    assert len(body["versions"]) >= 1 and {"valid_from", "known_from"} <= set(body["versions"][0])
    assert {"target": "un-charter-1945", "target_eid": "art_51"}.items() <= body["references_out"][0].items()


def test_incoming_references_are_shown_on_the_target(anon):
    body = anon.get(url("un-charter-1945", "art_51")).json()
    assert (STRATEGIC, "art_2") in [(r["source"], r["eid"]) for r in body["references_in"]]


def test_the_text_follows_as_of(anon, make_agreement):
    slug = make_agreement("clause-time-2012", clauses=1, publish=True)
    run(slug, "AmendClause", eid="art_1", text="Amended.", effective="2020-01-01")
    assert anon.get(url(slug, "art_1"), {"as_of": "2015-06-01"}).json()["text"] == "Text of article 1."
    body = anon.get(url(slug, "art_1"), {"as_of": "2020-06-01"}).json()
    assert body["text"] == "Amended." and len(body["versions"]) == 2


def test_before_the_clause_existed_its_text_is_null(anon, make_agreement):
    slug = make_agreement("clause-early-2012", clauses=1, publish=True)
    assert anon.get(url(slug, "art_1"), {"as_of": "2000-01-01"}).json()["text"] is None


def test_open_findings_of_the_clause_are_listed_for_staff_only(anon, archivist_client):
    from agreements.projections.models import AgreementRecord

    now = timezone.now()
    Finding.objects.filter(agreement__slug=STRATEGIC, subject="art_2").delete()  # the test's own state only
    Finding.objects.create(key="x|art_2", code="reference_target_missing", severity="warning", subject_type="clause",
                           agreement=AgreementRecord.objects.get(slug=STRATEGIC), subject="art_2",
                           message="Check me.", first_seen=now, last_seen=now)
    body = archivist_client.get(url(STRATEGIC, "art_2")).json()
    assert "reference_target_missing" in [f["code"] for f in body["findings"]]
    assert anon.get(url(STRATEGIC, "art_2")).json()["findings"] == []


def test_unknown_clause_is_404(anon):
    assert anon.get(url(STRATEGIC, "art_999")).status_code == 404


def test_clause_of_a_draft_is_404_to_the_public(anon, draft):
    assert anon.get(url(draft, "art_1")).status_code == 404


def test_bad_as_of_is_400_naming_it(anon):
    response = anon.get(url(STRATEGIC, "art_2"), {"as_of": "2015-02-31"})
    assert response.status_code == 400 and "as_of" in response.json()["errors"]
