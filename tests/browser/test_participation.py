"""The public participation table (as a depositary prints a status list) and a party's agreements in force."""

import datetime as dt
import io
import re

import pyarrow.parquet as parquet
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.domain.identities import statement_identity
from agreements.domain.commands import parse_command
from sources.models import Party

pytestmark = pytest.mark.django_db


def run(stream, type_name, **fields):
    return services.handle(parse_command(type_name, fields), slug=stream)


def convention(slug, codes, statements=True):
    """A published multilateral convention: every participant signs, consents (cycling through the consent
    kinds), and, with `statements`, the first makes a reservation the others object to."""
    run(slug, "DraftAgreement", slug=slug, title=f"Convention {slug}", kind="treaty", work_date="2000-01-01")
    for code in codes:
        Party.objects.get_or_create(code=code, defaults={"name": f"State {code}", "kind": "state"})
        run(slug, "AddParty", party=code)
    run(slug, "SetEntryIntoForceRule", instruments=2, days_after=30)
    consents = ["ratification", "acceptance", "approval", "accession"]
    for i, code in enumerate(codes):
        consent = consents[i % 4]
        if consent != "accession":
            run(slug, "RecordLifecycle", action="signature", date="2000-01-01", party=code)
        run(slug, "RecordLifecycle", action=consent, date=f"2000-02-{1 + i % 28:02}", party=code)
    if statements:
        reservation = statement_identity(slug, 1)
        run(slug, "MakeStatement", party=codes[0], kind="reservation", text="<script>alert(1)</script> Art. 1 aside.",
            date="2000-02-01", made_at="consent")
        for code in codes[1:]:
            run(slug, "MakeStatement", party=code, kind="objection", text=f"{code} objects & <b>insists</b>.",
                date="2000-06-01", objects_to=reservation, opposes_entry_into_force=code == codes[1])
    run(slug, "Publish", uncited_reason="test texts cite no source")
    return f"/akn/int/treaty/2000/{slug}/"


def test_the_table_prints_each_consent_with_its_marker_and_the_date_it_took_effect(client):
    url = convention("markers-2000", ["TUR", "AZE", "ISR", "USA"])
    html = client.get(url + "@2001-01-01/").content.decode()
    assert 'id="participation"' in html
    assert '<abbr title="Acceptance" class="marker">A</abbr>' in html
    assert '<abbr title="Approval" class="marker">AA</abbr>' in html
    assert '<abbr title="Accession" class="marker">a</abbr>' in html
    assert "3 March 2000" in html  # 30 days after the second instrument (2 February 2000, a leap year)
    assert "derived from the entry-into-force rule" in html
    assert "Party (in force for it)" in html


def test_objections_sit_under_the_reservation_and_every_text_is_escaped(client):
    url = convention("objections-2000", ["TUR", "AZE", "ISR"])
    html = client.get(url + "@2001-01-01/").content.decode()
    reservation = html.index("Art. 1 aside.")
    assert html.index("Objection by", reservation) > reservation
    assert "opposing entry into force between them" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>insists</b>" not in html and "&lt;b&gt;insists&lt;/b&gt;" in html


@pytest.mark.parametrize("language, words", [
    ("tr", ["tarafından itiraz", "aralarında yürürlüğe girmeye karşı"]),
    ("az", ["tərəfindən etiraz", "aralarında qüvvəyə minməyə qarşı"]),
    ("ru", ["Возражение", "возражая против вступления в силу в отношениях между ними"]),
])
def test_the_objections_under_a_reservation_are_told_in_the_readers_language(client, language, words):
    url = convention(f"objections-{language}-2000", ["TUR", "AZE", "ISR"])
    html = client.get(url + f"@2001-01-01/?hl={language}").content.decode()
    assert all(word in html for word in words) and "Objection by" not in html


def test_the_agreement_status_says_when_no_ratification_is_recorded(client):
    slug = "signed-only-2012"
    run(slug, "DraftAgreement", slug=slug, title="Signed only", kind="agreement", work_date="2012-05-01")
    run(slug, "RecordLifecycle", action="signature", date="2012-05-01")
    run(slug, "Publish", uncited_reason="test")
    assert "Signed; ratification not recorded" in client.get("/akn/int/treaty/2012/signed-only-2012/").content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_makes_as_many_queries_with_40_participants_as_with_3(client):
    small = convention("few-2000", ["TUR", "AZE", "ISR"])
    large = convention("many-2000", ["TUR", "AZE", "ISR"] + [f"X{i:02}" for i in range(37)])
    assert count_queries(client, small + "@2001-01-01/") == count_queries(client, large + "@2001-01-01/")


def test_a_party_page_lists_the_agreements_in_force_for_it_on_the_date(client):
    convention("party-page-2000", ["TUR", "AZE"], statements=False)
    assert "Convention party-page-2000" in client.get("/parties/AZE/@2001-01-01/").content.decode().split(
        'id="in-force-for"')[1].split("</section>")[0]
    before = client.get("/parties/AZE/@2000-02-15/").content.decode()
    assert "Convention party-page-2000" not in before.split('id="in-force-for"')[1].split("</section>")[0]


def participant_rows(html):
    return re.findall(r'<tr id="participant-([A-Z0-9]+)">', html)


def test_the_page_shows_each_participant_and_its_actions_once_in_one_table(client):
    url = convention("once-2000", ["TUR", "AZE", "ISR", "USA"])
    html = client.get(url + "@2001-01-01/").content.decode()
    assert html.count("<table") == 1
    assert participant_rows(html) == ["TUR", "AZE", "ISR", "USA"]
    assert html.count("Art. 1 aside.") == 1


@override_settings(PACTA_PARTICIPANTS_INLINE=2)
def test_past_the_bound_the_page_lists_the_first_participants_and_links_to_all_of_them(client):
    url = convention("bounded-2000", ["TUR", "AZE", "ISR", "USA"])
    html = client.get(url + "@2001-01-01/").content.decode()
    assert participant_rows(html) == ["TUR", "AZE"]
    full = url + "participation/@2001-01-01/"
    assert f'The first 2 of 4 participants are listed here: <a href="{full}">see every participant</a>' in html
    response = client.get(full)
    assert response.status_code == 200
    assert participant_rows(response.content.decode()) == ["TUR", "AZE", "ISR", "USA"]


@override_settings(PACTA_PARTICIPANTS_INLINE=1)
def test_the_citations_of_participants_left_to_the_participation_page_are_shown_there_only(client):
    url = convention("cited-2000", ["TUR", "AZE"], statements=False)
    run("cited-2000", "AttachCitation", source="usc-dornsife-2023", locator="p. 9", quote="ratified by Azerbaijan",
        supports="lifecycle:acceptance:AZE")
    assert "ratified by Azerbaijan" not in client.get(url).content.decode()
    assert "ratified by Azerbaijan" in client.get(url + "participation/").content.decode()


def test_an_unknown_agreements_participation_page_is_a_404(client):
    assert client.get("/akn/int/treaty/2000/no-such-convention/participation/").status_code == 404


def test_participation_downloads_as_parquet_one_row_per_action_with_the_status_on_the_date(client):
    convention("parquet-2000", ["TUR", "AZE", "ISR"])
    response = client.get("/data/agreements/parquet-2000/participation.parquet", {"as_of": "2000-03-03"})
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.apache.parquet"
    table = parquet.read_table(io.BytesIO(response.content))
    assert table.column_names[:4] == ["agreement", "party", "party_name", "action"]
    rows = table.to_pylist()
    assert len(rows) == 6  # each signs and consents
    # Two instruments (1 and 2 February 2000), plus 30 days: 3 March; the third's 30 days: 4 March.
    assert {(r["party"], r["action"], r["status"], r["in_force"]) for r in rows if r["kind"] == "consent"} == {
        ("TUR", "ratification", "party", dt.date(2000, 3, 3)), ("AZE", "acceptance", "party", dt.date(2000, 3, 3)),
        ("ISR", "approval", "consented", dt.date(2000, 3, 4))}


def test_statements_download_as_parquet_and_csv_with_lists_and_defused_formulas(client):
    convention("statements-2000", ["TUR", "AZE"])
    run("statements-2000", "AddClause", eid="art_1", text="Scope.", text_kind="official")
    run("statements-2000", "MakeStatement", party="AZE", kind="declaration", text="=1+1", date="2000-03-01",
        eids=["art_1"])
    table = parquet.read_table(io.BytesIO(client.get("/data/agreements/statements-2000/statements.parquet").content))
    rows = {r["kind"]: r for r in table.to_pylist()}
    assert rows["declaration"]["eids"] == ["art_1"] and rows["objection"]["opposes_entry_into_force"] is True
    csv_text = client.get("/data/agreements/statements-2000/statements.csv").content.decode()
    assert "'=1+1" in csv_text and csv_text.splitlines()[0].startswith("agreement,statement_id,party,kind,language")


def test_a_download_with_an_unreadable_date_is_a_400_and_an_unknown_agreement_a_404(client):
    convention("bad-date-2000", ["TUR", "AZE"], statements=False)
    assert client.get("/data/agreements/bad-date-2000/participation.csv", {"as_of": "2000-02-30"}).status_code == 400
    assert client.get("/data/agreements/no-such-2000/statements.parquet").status_code == 404


def test_the_participation_page_makes_as_many_queries_with_40_participants_as_with_3(client):
    small = convention("few-all-2000", ["TUR", "AZE", "ISR"])
    large = convention("many-all-2000", ["TUR", "AZE", "ISR"] + [f"X{i:02}" for i in range(37)])
    assert count_queries(client, small + "participation/") == count_queries(client, large + "participation/")


def test_a_party_with_an_objection_opposing_entry_into_force_is_not_bound_to_the_reserving_party(client):
    url = convention("opposed-2000", ["TUR", "AZE", "ISR"])  # AZE's objection to TUR's reservation opposes it
    html = client.get(url + "@2001-01-01/").content.decode()
    row = html[html.index('<tr id="participant-TUR">'):html.index('<tr id="participant-AZE">')]
    assert "Not in force between it and Republic of Azerbaijan" in row
    isr = html[html.index('<tr id="participant-ISR">'):html.index("</tr>", html.index('<tr id="participant-ISR">'))]
    assert "Not in force between" not in isr  # its objection does not oppose entry into force
