"""The agreement page shows the registration and the depositary, UNTC-style, each with its numbered notes."""

import re

import pytest

from agreements import services
from agreements.domain.commands import parse_command

pytestmark = pytest.mark.django_db

CHARTER = "/akn/int/treaty/1945/un-charter-1945/"
STRATEGIC_SLUG = "tr-az-strategic-partnership-2010"
STRATEGIC = f"/akn/int/treaty/2010/{STRATEGIC_SLUG}/"


def do(type_, **fields):
    return services.handle(parse_command(type_, fields), slug=STRATEGIC_SLUG)


def fact(html, term):
    """The <dd> of a fact in the page's list of facts."""
    start = html.index(f"<dt>{term}</dt>")
    return html[start:html.index("</dd>", start)]


def test_the_charter_page_names_its_depositary_with_the_note_citing_article_111(client):
    html = client.get(CHARTER).content.decode()
    depositary = fact(html, "Depositary")
    assert "Government of the United States of America" in depositary
    assert '<details class="note"' in depositary and "Article 111" in depositary
    assert "shall remain deposited in the archives of the Government of the United States of America" in depositary
    assert "<dt>Registration</dt>" not in html  # no source gives the Charter's registration number


def test_a_registration_reads_no_number_date_and_body_with_its_note(client):
    do("RecordRegistration", registration_number="I-48111", date="2011-03-01", registering_body="UN Secretariat")
    do("AttachCitation", source="usc-dornsife-2023", locator="p. 2", quote="Strategic Partnership",
       supports="registration")
    registration = fact(client.get(STRATEGIC).content.decode(), "Registration")
    assert re.search(r'No\. I-48111, <time datetime="2011-03-01">1 March 2011</time> <span class="meta">\(UN '
                     r'Secretariat\)</span>', registration)
    assert '<details class="note"' in registration and "p. 2" in registration


def test_before_its_date_the_page_shows_no_registration(client):
    do("RecordRegistration", registration_number="I-48111", date="2011-03-01")
    assert "<dt>Registration</dt>" not in client.get(f"{STRATEGIC}@2011-02-28/").content.decode()
    assert "<dt>Registration</dt>" in client.get(f"{STRATEGIC}@2011-03-01/").content.decode()


def test_a_depositary_that_is_a_party_links_to_the_party_page(client):
    do("NameDepositary", depositary="TUR")
    depositary = fact(client.get(STRATEGIC).content.decode(), "Depositary")
    assert '<a href="/parties/TUR/">Republic of Türkiye (TUR)</a>' in depositary


def test_a_depositary_name_is_escaped_like_any_data(client):
    do("NameDepositary", depositary="<script>alert(1)</script> Ministry")
    html = client.get(STRATEGIC).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Ministry" in html


def test_before_the_agreement_existed_its_page_names_no_depositary(client):
    assert "<dt>Depositary</dt>" not in client.get(f"{CHARTER}@1944-12-31/").content.decode()
    assert "<dt>Depositary</dt>" in client.get(f"{CHARTER}@1945-06-26/").content.decode()
