"""Archivists code a clause's obligations in the change form, and uncode them with a reason."""

import pytest

from agreements.models import AgreementRecord
from agreements.projections.models import ObligationRow

from .conftest import change_url
from .formdata import form_data

SLUG = "tr-az-strategic-partnership-2010"


@pytest.fixture
def record(db):
    return AgreementRecord.objects.get(slug=SLUG)


def save(client, record, **changes):
    data = {**form_data(client.get(change_url(record))), **changes, "_continue": "1"}
    return client.post(change_url(record), data)


def test_a_clause_is_coded_from_the_change_form(archivist_client, record):
    eid = "art_1"
    response = save(archivist_client, record, **{
        "obligations-0-eid": eid, "obligations-0-obligation": "military_aid", "obligations-0-modality": "obliges",
        "obligations-0-conditions": ["on_request"], "obligations-0-note": "Training on request."})
    assert response.status_code == 302
    rows = ObligationRow.objects.filter(agreement=record, known_to__isnull=True, eid="art_1", obligation="military_aid")
    assert {r.party_code for r in rows} == set(record.party_rows.filter(known_to__isnull=True)
                                               .values_list("party_code", flat=True))
    assert all(r.conditions == ["on_request"] and r.modality == "obliges" for r in rows)
    assert "Military aid and cooperation, obliges" in archivist_client.get(change_url(record)).content.decode()


def test_a_coding_for_a_non_party_is_an_error_on_its_row(archivist_client, record):
    eid = "art_1"
    response = save(archivist_client, record, **{
        "obligations-0-eid": eid, "obligations-0-obligation": "defence", "obligations-0-modality": "obliges",
        "obligations-0-parties": "ISR"})
    assert response.status_code == 200
    assert "ISR is not a party" in str(response.context["editor"].obligations.forms[0].errors)


def test_uncoding_needs_a_reason(archivist_client):
    record = AgreementRecord.objects.get(slug="ottoman-az-1918")
    coding = ObligationRow.objects.get(agreement=record, known_to__isnull=True)
    response = save(archivist_client, record, **{"remove-uncode_obligations": [str(coding.obligation_id)]})
    assert response.status_code == 200
    assert ObligationRow.objects.filter(agreement=record, known_to__isnull=True).exists()
    response = save(archivist_client, record, **{"remove-uncode_obligations": [str(coding.obligation_id)],
                                                 "remove-uncode_reason": "Article 4 is read differently now."})
    assert response.status_code == 302
    assert not ObligationRow.objects.filter(agreement=record, known_to__isnull=True).exists()
