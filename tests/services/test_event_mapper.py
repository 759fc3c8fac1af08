"""The store speaks domain events through the mapper: old payloads are upcast by the upcasters that live
beside the events, for the write path, the projector and the feed alike."""

import pytest
from rest_framework.test import APIClient

from agreements import eventmapper, services
from agreements.domain import events
from agreements.domain.identities import stream_id
from agreements.domain.commands import parse_command
from agreements.models import AgreementParty
from registry.eventstore import store
from registry.eventstore.store import NewEvent

pytestmark = pytest.mark.django_db

SLUG = "mapper-2012"


@pytest.fixture
def old_party_added():
    """A PartyAdded written by an older schema (version 0: the party under `code`), with its upcaster."""
    services.handle(parse_command("DraftAgreement", {"slug": SLUG, "title": "Mapper", "kind": "agreement"}), slug=SLUG)
    events.upcaster("PartyAdded", 0)(lambda p: {"party": p.pop("code"), **p})
    try:
        yield
    finally:
        events.UPCASTERS.pop(("PartyAdded", 0))


def test_a_domain_event_maps_to_what_the_store_appends():
    new = eventmapper.new_event(events.ClauseAmended(clause_id="c1", eid="art_1", text="T", effective="2015"))
    assert (new.type, new.schema_version, new.effective) == ("ClauseAmended", 1, "2015")
    assert new.payload["text"] == "T"


def test_an_old_payload_is_read_as_the_current_domain_event(old_party_added):
    [recorded] = store.append(stream_id(SLUG), 1, [NewEvent("PartyAdded", {"code": "TUR"}, schema_version=0)])
    assert eventmapper.domain_event(recorded) == events.PartyAdded(party="TUR")


def test_the_projector_and_the_write_path_see_the_upcast_event(old_party_added):
    recorded = store.append(stream_id(SLUG), 1, [NewEvent("PartyAdded", {"code": "TUR"}, schema_version=0)])
    services.project(SLUG, recorded)
    assert AgreementParty.objects.filter(agreement__slug=SLUG, party_code="TUR").exists()
    services.handle(parse_command("RemoveParty", {"party": "TUR"}), slug=SLUG)  # the aggregate knows TUR is a party


def test_the_feed_shows_the_upcast_payload(old_party_added, archivist):
    store.append(stream_id(SLUG), 1, [NewEvent("PartyAdded", {"code": "AZE"}, schema_version=0)])
    client = APIClient()
    client.force_authenticate(archivist)
    entries = client.get(f"/api/v1/agreements/{SLUG}/events/").json()["results"]
    assert entries[-1]["payload"] == {"party": "AZE"} and entries[-1]["schema_version"] == 1
