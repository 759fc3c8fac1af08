"""Registration and depositary through the API: written as commands, read in the detail, the list, the CSV, the
Akoma Ntoso export and the OpenAPI schema."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from .conftest import run
from .test_akoma_ntoso import _validate, akn

pytestmark = pytest.mark.django_db
PACTA = "{https://pacta.invalid/ns/dates}"


def detail(client, slug, **params):
    return client.get(f"/api/v1/agreements/{slug}/", params).json()


@pytest.fixture
def registered(make_agreement):
    slug = make_agreement("registered-2012", clauses=1, publish=True)
    run(slug, "RecordRegistration", registration_number="I-50001", date="2012-09-03", registering_body="UN Secretariat")
    run(slug, "NameDepositary", depositary="TUR")
    run(slug, "NameDepositary", depositary="Government of the Republic of Azerbaijan")
    return slug


def test_the_detail_gives_the_registration_and_the_depositaries(anon, registered):
    body = detail(anon, registered)
    [registration] = body["registrations"]
    assert {k: registration[k] for k in ("registration_number", "date", "registering_body")} == \
        {"registration_number": "I-50001", "date": "2012-09-03", "registering_body": "UN Secretariat"}
    assert [(d["depositary"], d["party"], d["name"]) for d in body["depositaries"]] == [
        ("TUR", "TUR", "Republic of Türkiye"), ("Government of the Republic of Azerbaijan", None, "")]


def test_as_of_before_the_registration_date_gives_no_registration(anon, registered):
    assert detail(anon, registered, as_of="2012-09-02")["registrations"] == []
    assert len(detail(anon, registered, as_of="2012-09-03")["registrations"]) == 1


def test_the_seeded_charter_gives_its_depositary_and_no_invented_registration(anon):
    body = detail(anon, "un-charter-1945")
    assert [d["depositary"] for d in body["depositaries"]] == ["Government of the United States of America"]
    assert body["registrations"] == []
    assert any(c["supports"] == "depositary" and c["locator"] == "Article 111" for c in body["citations"])


def test_the_list_and_the_csv_give_the_first_registration_and_the_depositaries(anon, registered):
    [row] = [r for r in anon.get("/api/v1/agreements/", {"page_size": 100}).json()["results"]
             if r["slug"] == registered]
    assert (row["registration_number"], row["registration_date"]) == ("I-50001", "2012-09-03")
    assert row["depositaries"] == ["TUR", "Government of the Republic of Azerbaijan"]
    rows = csv.DictReader(io.StringIO(anon.get("/api/v1/agreements/", {"format": "csv"}).content.decode()))
    [line] = [r for r in rows if r["slug"] == registered]
    assert line["registration_number"] == "I-50001"
    assert line["depositaries"] == "TUR; Government of the Republic of Azerbaijan"


def test_a_bad_registration_is_a_400_naming_the_field(archivist_client, make_agreement):
    slug = make_agreement("bad-registration-2012")
    version = detail(archivist_client, slug)["version"]
    response = archivist_client.post(f"/api/v1/agreements/{slug}/commands/", {
        "type": "RecordRegistration", "registration_number": "I-1", "date": "3 September 2012"},
        format="json", HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 400 and "date" in response.json()["errors"]


def test_a_second_registration_with_the_same_body_is_a_409(archivist_client, registered):
    version = detail(archivist_client, registered)["version"]
    response = archivist_client.post(f"/api/v1/agreements/{registered}/commands/", {
        "type": "RecordRegistration", "registration_number": "I-2", "date": "2013",
        "registering_body": "UN Secretariat"}, format="json", HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 409 and response.json()["rule"] == "already_registered"


def test_the_akoma_ntoso_export_carries_them_and_stays_valid(anon, registered):
    content = akn(anon, registered)
    _validate(content)
    root = ET.fromstring(content)
    [registration] = root.iter(f"{PACTA}registration")
    assert (registration.get("number"), registration.get("edtf"), registration.get("body")) == \
        ("I-50001", "2012-09-03", "UN Secretariat")
    assert [(d.get("name"), d.get("refersTo")) for d in root.iter(f"{PACTA}depositary")] == [
        ("Republic of Türkiye", "#party_TUR"), ("Government of the Republic of Azerbaijan", None)]


def test_a_depositary_party_outside_the_agreement_gets_its_own_reference_and_validates(anon, make_agreement):
    slug = make_agreement("un-depositary-2012", clauses=1, publish=True)
    run(slug, "NameDepositary", depositary="UN")
    content = akn(anon, slug)
    _validate(content)
    ids = [o.get("eId") for o in ET.fromstring(content).iter("{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
                                                             "TLCOrganization")]
    assert "party_UN" in ids


def test_the_command_schema_describes_both_commands(anon):
    schemas = anon.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    registration = schemas["RecordRegistrationCommandRequest"]
    assert set(registration["required"]) >= {"registration_number", "date", "type"}
    assert registration["properties"]["registration_number"]["maxLength"] == 100
    assert schemas["NameDepositaryCommandRequest"]["properties"]["depositary"]["maxLength"] == 500
