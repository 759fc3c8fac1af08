"""The change form shows the registration and depositaries and records new ones as commands; a recorded one is
corrected from the History page like any event."""

import pytest

from agreements.models import AgreementRecord
from agreements.projections.models import Depositary, Registration
from registry.eventstore.models import StoredEvent

from .conftest import change_url
from .formdata import form_data

pytestmark = pytest.mark.django_db
SLUG = "tr-az-strategic-partnership-2010"


@pytest.fixture
def record():
    return AgreementRecord.objects.get(slug=SLUG)


def last_events(n):
    return list(StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").order_by("-stream_version")[:n])[::-1]


def correct_url(record, event):
    from django.urls import reverse

    return reverse("admin:agreements_agreementrecord_correct", args=[record.pk, event.event_id])


def test_a_save_records_a_registration_and_names_a_depositary(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    data.update({"registrations-0-registration_number": "I-48111", "registrations-0-date": "2011-03-01",
                 "registrations-0-registering_body": "UN Secretariat",
                 "depositaries-0-depositary": "Government of the Republic of Türkiye", "_continue": "1"})
    response = archivist_client.post(change_url(record), data)
    assert response.status_code == 302
    registered, named = last_events(2)
    assert (registered.type, registered.payload) == ("RegistrationRecorded", {
        "registration_number": "I-48111", "date": "2011-03-01", "registering_body": "UN Secretariat"})
    assert (named.type, named.payload["depositary"]) == ("DepositaryNamed", "Government of the Republic of Türkiye")


def test_the_change_form_shows_what_is_recorded(archivist_client):
    charter = AgreementRecord.objects.get(slug="un-charter-1945")
    html = archivist_client.get(change_url(charter)).content.decode()
    section = html[html.index('id="registration"'):html.index("</fieldset>", html.index('id="registration"'))]
    assert "<td>Depositary</td><td>Government of the United States of America</td>" in section
    assert 'name="registrations-0-registration_number"' in section and 'name="depositaries-0-depositary"' in section


def test_a_registration_without_a_date_is_refused_next_to_the_field(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    data.update({"registrations-0-registration_number": "I-48111", "_continue": "1"})
    response = archivist_client.post(change_url(record), data)
    assert response.status_code == 200
    form = response.context["editor"].registrations.forms[0]
    assert form.errors["date"][0].startswith("Enter a date in EDTF")
    assert not Registration.objects.filter(agreement=record).exists()


def test_an_unknown_party_code_as_depositary_is_refused_with_advice(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    data.update({"depositaries-0-depositary": "USA", "_continue": "1"})
    response = archivist_client.post(change_url(record), data)
    assert response.status_code == 200
    assert "name in full" in response.context["editor"].depositaries.forms[0].errors["depositary"][0]
    assert not Depositary.objects.filter(agreement=record).exists()


def test_a_depositary_is_corrected_from_the_history_page(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    data.update({"depositaries-0-depositary": "Government of Turkey", "_continue": "1"})
    archivist_client.post(change_url(record), data)
    [named] = last_events(1)
    data = form_data(archivist_client.get(correct_url(record, named)), "correct_form")
    assert data["depositary"] == "Government of Turkey"
    data.update({"depositary": "TUR", "reason": "It is a party of the registry."})
    assert archivist_client.post(correct_url(record, named), data).status_code == 302
    current = Depositary.objects.get(agreement=record, known_to__isnull=True)
    assert (current.depositary, current.party_code) == ("TUR", "TUR")


# ------------------------------------------------------------------ hostile input: a form error, nothing written


def post_rows(client, record, **rows):
    data = form_data(client.get(change_url(record)))
    data.update({**rows, "_continue": "1"})
    return client.post(change_url(record), data)


def row_errors(response, formset, field):
    return getattr(response.context["editor"], formset).forms[0].errors.get(field, [])


@pytest.mark.parametrize("rows, formset, field", [
    ({"registrations-0-registration_number": "I-\x001", "registrations-0-date": "2011"}, "registrations",
     "registration_number"),
    ({"registrations-0-registration_number": "I-1", "registrations-0-date": "2011",
      "registrations-0-registering_body": "UN\x00"}, "registrations", "registering_body"),
    ({"depositaries-0-depositary": "Secretary\x00-General"}, "depositaries", "depositary"),
    ({"registrations-0-registration_number": "1" * 10_000, "registrations-0-date": "2011"}, "registrations",
     "registration_number"),
    ({"registrations-0-registration_number": "I-1", "registrations-0-date": "2011",
      "registrations-0-registering_body": "x" * 10_000}, "registrations", "registering_body"),
    ({"registrations-0-registration_number": "I-1", "registrations-0-date": "2" * 10_000}, "registrations", "date"),
    ({"depositaries-0-depositary": "x" * 10_000}, "depositaries", "depositary"),
    ({"registrations-0-registration_number": "I-1", "registrations-0-date": "Y170000000"}, "registrations", "date"),
    ({"registrations-0-registration_number": "I-1", "registrations-0-date": "-0500"}, "registrations", "date"),
])
def test_hostile_input_is_a_form_error_next_to_the_field_and_writes_nothing(archivist_client, record, rows, formset,
                                                                             field):
    before = StoredEvent.objects.count()
    response = post_rows(archivist_client, record, **rows)
    assert response.status_code == 200
    assert row_errors(response, formset, field), getattr(response.context["editor"], formset).errors
    assert StoredEvent.objects.count() == before


def test_a_registration_before_the_signature_is_refused_next_to_the_date(archivist_client, record):
    """The seed agreement was signed in 2010."""
    before = StoredEvent.objects.count()
    response = post_rows(archivist_client, record, **{"registrations-0-registration_number": "I-1",
                                                      "registrations-0-date": "2009-12-31"})
    assert response.status_code == 200
    assert "registered after it is signed" in row_errors(response, "registrations", "date")[0]
    assert StoredEvent.objects.count() == before
