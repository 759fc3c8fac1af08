"""The admin's participation grid: one row per participant, its actions in columns and statements below; its
forms record actions and statements through the write path, a refusal next to the field it names."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.domain.commands import parse_command
from agreements.models import AgreementRecord
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db
SLUG = "admin-grid-2010"


@pytest.fixture(autouse=True)
def agreement(db):
    for type_name, fields in (("DraftAgreement", {"slug": SLUG, "title": "Grid", "kind": "agreement"}),
                              ("AddParty", {"party": "TUR"}), ("AddParty", {"party": "AZE"}),
                              ("RecordLifecycle", {"action": "signature", "date": "2010-08-16"})):
        services.handle(parse_command(type_name, fields), slug=SLUG)


def grid_url():
    return reverse("admin:agreements_agreementrecord_participation", args=[AgreementRecord.objects.get(slug=SLUG).pk])


def post(client, form, **fields):
    version = AgreementRecord.objects.get(slug=SLUG).version
    data = {"form": form, "version": version, **{f"{form}-{k}": v for k, v in fields.items()}}
    return client.post(grid_url(), data)


def test_the_grid_shows_one_row_per_participant(archivist_client):
    html = archivist_client.get(grid_url()).content.decode()
    assert 'id="participation-grid"' in html
    assert "(TUR)" in html and "(AZE)" in html


def test_recording_an_action_and_a_statement_through_the_grid(archivist_client):
    response = post(archivist_client, "action", action="ratification", party="AZE", date="2010-12-21",
                    notification="Law No. 1")
    assert response.status_code == 302
    response = post(archivist_client, "statement", party="AZE", kind="declaration", text="<b>Declared</b>.",
                    date="2010-12-21", language="en")
    assert response.status_code == 302
    html = archivist_client.get(grid_url()).content.decode()
    assert "2010-12-21" in html and "&lt;b&gt;Declared&lt;/b&gt;." in html


def test_a_refused_action_is_shown_next_to_its_field_and_nothing_is_stored(archivist_client):
    post(archivist_client, "action", action="ratification", party="AZE", date="2010-12-21")
    before = StoredEvent.objects.count()
    response = post(archivist_client, "action", action="accession", party="AZE", date="2012-01-01")
    assert response.status_code == 200
    assert "consent_twice" in response.content.decode()
    response = post(archivist_client, "action", action="ratification", party="TUR", date="2011-02-30")
    assert response.status_code == 200 and "not a valid EDTF date" in response.content.decode()
    assert StoredEvent.objects.count() == before
