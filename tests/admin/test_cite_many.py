"""Citing several facts to one source with one form: an AttachCitation per fact ticked, in one transaction."""

import pytest

from agreements.models import AgreementRecord
from registry.eventstore.models import StoredEvent
from sources.models import Source

from .conftest import change_url
from .formdata import form_data

SLUG = "tr-az-strategic-partnership-2010"


@pytest.fixture
def record(db):
    return AgreementRecord.objects.get(slug=SLUG)


def events(slug=SLUG):
    return list(StoredEvent.objects.filter(stream_id=f"agreement:{slug}").order_by("stream_version"))


def cite_many(client, record, facts, **more):
    source = Source.objects.get(key="usc-dornsife-2023")
    data = form_data(client.get(change_url(record)))
    data.update({"citemany-source": str(source.pk), "citemany-locator": "para. 30",
                 "citemany-quote": "The signing of the Strategic Partnership Agreement in 2010",
                 "citemany-facts": facts, "_continue": "1", **more})
    return client.post(change_url(record), data)


def test_the_change_page_offers_every_fact_of_the_agreement_to_cite_at_once(archivist_client, record):
    form = archivist_client.get(change_url(record)).context["editor"].cite_many
    values = [value for value, _ in form.fields["facts"].choices]
    assert {"@agreement", "party:TUR", "party:AZE", "art_1", "art_2"} <= set(values)


def test_one_save_cites_each_fact_ticked_to_the_same_source_and_passage(archivist_client, record):
    before = len(events())
    response = cite_many(archivist_client, record, ["@agreement", "party:TUR", "art_2"])
    assert response.status_code == 302
    added = events()[before:]
    assert [e.type for e in added] == ["CitationAttached"] * 3
    assert [e.payload["supports"] for e in added] == ["", "party:TUR", "art_2"]
    assert {(e.payload["source"], e.payload["locator"], e.payload["quote"]) for e in added} == {
        ("usc-dornsife-2023", "para. 30", "The signing of the Strategic Partnership Agreement in 2010")}


def test_the_citations_and_the_rest_of_the_save_are_stored_together_or_not_at_all(archivist_client, record):
    before = len(events())
    # A coding of a clause that does not exist is refused by the domain after the citations were planned.
    response = cite_many(archivist_client, record, ["party:TUR", "art_2"],
                         **{"obligations-0-eid": "art_999", "obligations-0-obligation": "consultation",
                            "obligations-0-modality": "obliges"})
    assert response.status_code == 200
    assert response.context["editor"].obligations.forms[0].errors  # the domain's refusal, next to its field
    assert len(events()) == before


def test_facts_ticked_without_a_source_are_an_error_on_the_form(archivist_client, record):
    before = len(events())
    response = cite_many(archivist_client, record, ["party:TUR"], **{"citemany-source": ""})
    assert response.status_code == 200
    assert response.context["editor"].cite_many.errors["source"]
    assert len(events()) == before


def test_a_fact_that_is_not_the_agreements_is_refused(archivist_client, record):
    response = cite_many(archivist_client, record, ["party:XYZ"])
    assert response.status_code == 200 and response.context["editor"].cite_many.errors["facts"]
