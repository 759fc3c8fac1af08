"""The registration and the depositaries of an agreement, read as of a valid date and as known at a record time."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements import services
from agreements.domain.commands import parse_command
from agreements.projections.rebuild import projection_hash, rebuild
from agreements.queries.agreements import agreement_at
from agreements.queries.time import TimePoint

pytestmark = pytest.mark.django_db
SLUG = "tr-az-strategic-partnership-2010"


def do(type_, slug=SLUG, **fields):
    return services.handle(parse_command(type_, fields), slug=slug)


def at(as_of=None, known_at=None, slug=SLUG):
    return agreement_at(slug, TimePoint.of(as_of, known_at))


def test_the_seeded_charter_names_its_depositary():
    [depositary] = at(slug="un-charter-1945").depositaries
    assert depositary.depositary == "Government of the United States of America" and depositary.party is None


def test_a_registration_holds_from_its_date_on():
    do("RecordRegistration", registration_number="I-48111", date="2011-03-01", registering_body="UN Secretariat")
    assert at(dt.date(2011, 2, 28)).registrations == []
    [registration] = at(dt.date(2011, 3, 1)).registrations
    assert (registration.registration_number, registration.date, registration.registering_body) == \
        ("I-48111", "2011-03-01", "UN Secretariat")


def test_a_registration_dated_by_its_year_alone_holds_from_the_first_day_it_can_mean():
    do("RecordRegistration", registration_number="I-1", date="2011")
    assert at(dt.date(2010, 12, 31)).registrations == []
    assert len(at(dt.date(2011, 1, 1)).registrations) == 1


def test_known_at_shows_the_registration_as_recorded_before_its_correction():
    result = do("RecordRegistration", registration_number="I-1", date="2011")
    before_correction = timezone.now()
    do("CorrectEvent", event_id=str(result.events[0].event_id), reason="UNTS checked",
       corrections={"registration_number": "I-48111", "date": "2011-03-01"})
    assert [r.registration_number for r in at().registrations] == ["I-48111"]
    assert [r.registration_number for r in at(known_at=before_correction).registrations] == ["I-1"]


def test_known_at_before_the_depositary_was_named_shows_none():
    before = timezone.now()
    do("NameDepositary", depositary="TUR")
    assert at(known_at=before).depositaries == []
    [depositary] = at().depositaries
    assert (depositary.depositary, depositary.party, depositary.name) == ("TUR", "TUR", "Republic of Türkiye")


def test_a_corrected_depositary_replaces_the_first_reading():
    result = do("NameDepositary", depositary="Government of Turkey")
    do("CorrectEvent", event_id=str(result.events[0].event_id), reason="a party of the registry",
       corrections={"depositary": "TUR"})
    assert [(d.depositary, d.party) for d in at().depositaries] == [("TUR", "TUR")]


def test_rebuild_keeps_the_hash_with_registrations_depositaries_and_their_corrections():
    registered = do("RecordRegistration", registration_number="I-1", date="2011")
    do("CorrectEvent", event_id=str(registered.events[0].event_id), reason="r", corrections={"date": "2011-03"})
    named = do("NameDepositary", depositary="Government of Turkey")
    do("CorrectEvent", event_id=str(named.events[0].event_id), reason="r", corrections={"depositary": "TUR"})
    before = projection_hash()
    rebuild()
    assert projection_hash() == before
