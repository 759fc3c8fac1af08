"""The public participation table (as a depositary prints a status list) and a party's agreements in force."""

import pytest
from django.db import connection
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
