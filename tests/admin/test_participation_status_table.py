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


def paste(client, *lines, confirm=False, version=None, header=HEADER):
    url = reverse("admin:agreements_agreementrecord_status_table", args=[record().pk])
    data = {"table": "\n".join([header, *lines]), "version": record().version if version is None else version}
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
    assert "Line 5: a succession (d) names its predecessor: add a Predecessor column" in html
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


# ---------------------------------------------------------------------------------------------- successions and notes

NOTES_HEADER = HEADER + "\tPredecessor\tTerritorial application\tNotification"


@pytest.fixture
def soviet_union(db):
    """A predecessor bound to the agreement (the USSR's ratification) and its successor, in the registry."""
    from sources.models import Party

    Party.objects.create(code="SUN", name="Union of Soviet Socialist Republics", kind="state")
    Party.objects.create(code="RUS", name="Russian Federation", kind="state")
    services.handle(parse_command("AddParty", {"party": "SUN"}), slug=SLUG)
    services.handle(parse_command("RecordLifecycle", {"action": "ratification", "date": "1990-05-01",
                                                      "party": "SUN"}), slug=SLUG)


def facts(party):
    from agreements.projections.models import LifecycleFact

    return list(LifecycleFact.objects.filter(agreement__slug=SLUG, party_code=party, known_to__isnull=True)
                .order_by("date_lower", "action").values_list("action", "date", "predecessor", "territory",
                                                              "notification"))


def test_a_succession_names_its_predecessor_in_the_predecessor_column(archivist_client, soviet_union):
    line = "Russian Federation\t\t24 Dec 1991 d\tUnion of Soviet Socialist Republics"
    preview = paste(archivist_client, line, header=NOTES_HEADER).content.decode()
    assert "action=succession, date=1991-12-24, predecessor=SUN, party=RUS" in preview
    assert paste(archivist_client, line, header=NOTES_HEADER, confirm=True).status_code == 302
    assert facts("RUS") == [("succession", "1991-12-24", "SUN", "", "")]


def test_a_predecessor_without_a_succession_is_refused_on_its_line(archivist_client, soviet_union):
    html = paste(archivist_client, "RUS\t\t24 Dec 1991\tSUN", header=NOTES_HEADER, confirm=True).content.decode()
    assert "Line 2: a predecessor (&#x27;SUN&#x27;) belongs to a succession (d) only." in html
    assert facts("RUS") == []


def test_an_unknown_predecessor_is_refused_on_its_line(archivist_client, soviet_union):
    html = paste(archivist_client, "RUS\t\t24 Dec 1991 d\tAtlantis", header=NOTES_HEADER).content.decode()
    assert "Line 2: no party in the registry is named &#x27;Atlantis&#x27;" in html


def test_a_predecessor_never_bound_is_refused_by_the_rules_on_its_line(archivist_client, soviet_union):
    html = paste(archivist_client, "RUS\t\t24 Dec 1991 d\tISR", header=NOTES_HEADER, confirm=True).content.decode()
    assert "Line 2:" in html and "predecessor_not_bound" in html
    assert facts("RUS") == []


def test_a_succession_loop_is_refused_by_the_rules_on_its_line(archivist_client, soviet_union):
    html = paste(archivist_client, "RUS\t\t24 Dec 1991 d\tSUN", "SUN\t\t1 Jan 1993 d\tRUS",
                 header=NOTES_HEADER, confirm=True).content.decode()
    assert "Line 3:" in html and "succession_loop" in html
    assert facts("RUS") == []


def test_a_territory_column_records_each_territorial_application(archivist_client):
    line = "AZE\t\t21 Dec 2010\t\tNakhchivan: 1 Jan 2011; Absheron, 2 Feb 2011"
    assert paste(archivist_client, line, header=NOTES_HEADER, confirm=True).status_code == 302
    assert facts("AZE") == [("ratification", "2010-12-21", "", "", ""),
                            ("territorial_application", "2011-01-01", "", "Nakhchivan", ""),
                            ("territorial_application", "2011-02-02", "", "Absheron", "")]


def test_a_territory_without_its_date_is_refused_on_its_line(archivist_client):
    html = paste(archivist_client, "AZE\t\t21 Dec 2010\t\tNakhchivan", header=NOTES_HEADER).content.decode()
    assert "Line 2: &#x27;Nakhchivan&#x27; is not a territory with its date" in html


def test_a_notification_column_goes_to_the_consent_of_its_line(archivist_client):
    line = "AZE\t16 Aug 2010\t21 Dec 2010\t\t\tC.N.12.2011.TREATIES-1"
    assert paste(archivist_client, line, header=NOTES_HEADER, confirm=True).status_code == 302
    assert facts("AZE") == [("signature", "2010-08-16", "", "", ""),
                            ("ratification", "2010-12-21", "", "", "C.N.12.2011.TREATIES-1")]


def test_a_notification_on_a_line_without_consent_is_refused(archivist_client):
    html = paste(archivist_client, "AZE\t16 Aug 2010\t\t\t\tC.N.12.2011.TREATIES-1",
                 header=NOTES_HEADER).content.decode()
    assert "Line 2: a notification (C.N.12.2011.TREATIES-1) belongs to a consent" in html


def test_a_column_given_twice_is_refused_naming_line_1(archivist_client):
    html = paste(archivist_client, "AZE\t16 Aug 2010", header=HEADER + "\tNotification\tNotification").content.decode()
    assert "Line 1: the column &#x27;Notification&#x27; is there twice." in html


def test_one_command_recorded_is_told_in_the_singular(archivist_client):
    response = paste(archivist_client, "AZE\t16 Aug 2010", confirm=True)
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["1 command recorded from the status table."]


def test_the_previews_dry_run_counts_in_no_metric(archivist_client):
    from registry.ops import metrics

    def counted():
        refused = metrics.REFUSED.labels("consent_twice")._value.get()
        appended = metrics.EVENTS.labels("LifecycleRecorded")._value.get()
        return refused, appended

    services.handle(parse_command("RecordLifecycle", {"action": "ratification", "date": "2010-12-21",
                                                      "party": "AZE"}), slug=SLUG)
    before = counted()
    html = paste(archivist_client, "TUR\t16 Aug 2010", "AZE\t\t1 Jan 2012 a").content.decode()
    assert "consent_twice" in html  # refused in the dry run, whose TUR signature was appended and rolled back
    assert counted() == before
