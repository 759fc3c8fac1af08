"""The admin's status-table paste: a depositary's table (Participant / Signature / Ratification, A, AA, a...)
previewed as the commands it would issue, lines it cannot read faithfully refused by number, then every command
written in one transaction through the write path."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.domain.commands import parse_command
from agreements.models import AgreementRecord
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db
SLUG = "admin-status-table-2010"
HEADER = "Participant\tSignature\tRatification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"


@pytest.fixture(autouse=True)
def agreement(db):
    for type_name, fields in (("DraftAgreement", {"slug": SLUG, "title": "Status table", "kind": "treaty"}),
                              ("AddParty", {"party": "TUR"}), ("AddParty", {"party": "AZE"})):
        services.handle(parse_command(type_name, fields), slug=SLUG)


def record():
    return AgreementRecord.objects.get(slug=SLUG)


def paste(client, *lines, confirm=False, version=None):
    url = reverse("admin:agreements_agreementrecord_status_table", args=[record().pk])
    data = {"table": "\n".join([HEADER, *lines]), "version": record().version if version is None else version}
    if confirm:
        data["confirm"] = "1"
    return client.post(url, data)


def actions():
    from agreements.projections.models import LifecycleFact

    return sorted(LifecycleFact.objects.filter(agreement__slug=SLUG, known_to__isnull=True)
                  .values_list("party_code", "action", "date"))


def test_the_preview_lists_the_commands_of_each_line_and_writes_nothing(archivist_client):
    before = StoredEvent.objects.count()
    response = paste(archivist_client, "Azerbaijan\t16 Aug 2010\t21 Dec 2010", "Türkiye 2\t16 Aug 2010\t2 Feb 2011 A")
    html = response.content.decode()
    assert response.status_code == 200 and "Preview: 4 commands" in html
    assert "action=ratification, date=2010-12-21, party=AZE" in html
    assert "action=acceptance, date=2011-02-02, party=TUR" in html  # the footnote number left out
    assert StoredEvent.objects.count() == before and actions() == []


def test_confirming_writes_every_command_in_one_transaction(archivist_client):
    response = paste(archivist_client, "AZE\t16 Aug 2010\t21 Dec 2010 AA", "State of Israel\t\t6 Jun 2012 a",
                     confirm=True)
    assert response.status_code == 302
    assert actions() == [("AZE", "approval", "2010-12-21"), ("AZE", "signature", "2010-08-16"),
                         ("ISR", "accession", "2012-06-06")]
    assert "ISR" in {p.party_code for p in record().party_rows.filter(known_to__isnull=True)}


def test_a_line_it_cannot_read_faithfully_is_refused_by_its_number_and_nothing_is_written(archivist_client):
    before = StoredEvent.objects.count()
    response = paste(archivist_client, "AZE\t16 Aug 2010\t21 Dec 2010", "Nowhereland\t\t1 Jan 2011",
                     "TUR\t30 Feb 2011", "ISR\t\t1 Jan 2011 d", "ISR\t\t1 Jan 2011 Z", confirm=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 3: no party in the registry is named &#x27;Nowhereland&#x27;" in html
    assert "Line 4: 30 Feb 2011 is not a day of the calendar." in html
    assert "Line 5: a succession (d): the table does not name the predecessor" in html
    assert "Line 6: &#x27;Z&#x27; is not a depositary&#x27;s marker" in html
    assert "Nothing was written" in html and StoredEvent.objects.count() == before


def test_a_command_the_rules_refuse_is_named_on_its_line_before_anything_is_written(archivist_client):
    services.handle(parse_command("RecordLifecycle", {"action": "ratification", "date": "2010-12-21",
                                                      "party": "AZE"}), slug=SLUG)
    before = StoredEvent.objects.count()
    response = paste(archivist_client, "TUR\t16 Aug 2010\t2 Feb 2011", "AZE\t\t1 Jan 2012 a", confirm=True)
    html = response.content.decode()
    assert "Line 3:" in html and "consent_twice" in html
    assert StoredEvent.objects.count() == before  # the rules were checked in a transaction rolled back


def test_an_action_recorded_already_with_its_date_is_left_out(archivist_client):
    services.handle(parse_command("RecordLifecycle", {"action": "ratification", "date": "2010-12-21",
                                                      "party": "AZE"}), slug=SLUG)
    response = paste(archivist_client, "AZE\t16 Aug 2010\t21 Dec 2010", confirm=True)
    assert response.status_code == 302
    assert actions() == [("AZE", "ratification", "2010-12-21"), ("AZE", "signature", "2010-08-16")]


def test_a_table_without_its_participant_header_is_refused_naming_line_1(archivist_client):
    url = reverse("admin:agreements_agreementrecord_status_table", args=[record().pk])
    response = archivist_client.post(url, {"table": "Azerbaijan\t16 Aug 2010", "version": record().version})
    assert "Line 1: the table starts with its header" in response.content.decode()


def test_a_stale_preview_writes_nothing(archivist_client):
    stale = record().version
    services.handle(parse_command("AddParty", {"party": "ISR"}), slug=SLUG)
    response = paste(archivist_client, "AZE\t16 Aug 2010", confirm=True, version=stale)
    assert "Someone changed this agreement meanwhile" in response.content.decode() and actions() == []


def test_the_participation_grid_links_to_the_paste(archivist_client):
    grid = reverse("admin:agreements_agreementrecord_participation", args=[record().pk])
    assert reverse("admin:agreements_agreementrecord_status_table", args=[record().pk]) in \
        archivist_client.get(grid).content.decode()
