"""Titles and party names in several languages: each shown in the reader's language when the registry has it,
with the others available; the API returns them with their language codes; the search finds them all; the
exports keep them. The names below are test data written here (the seed's reference file has English names
only)."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agreements import services
from agreements.domain.commands import parse_command
from agreements.queries.parties import names_in
from agreements.queries.search import SearchFilters, search
from sources.models import Party, PartyName

pytestmark = pytest.mark.django_db

SLUG = "titled-2021"
URL = "/akn/int/treaty/2021/titled-2021/"
NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def titled():
    def run(type_name, **fields):
        services.handle(parse_command(type_name, fields), slug=SLUG)

    run("DraftAgreement", slug=SLUG, title="Agreement on Cooperation in Culture", kind="agreement",
        work_date="2021-03-01", titles={"tr": "Kültür Alanında İşbirliği Anlaşması",
                                        "az": "Mədəniyyət sahəsində əməkdaşlıq haqqında Saziş"})
    run("AddParty", party="TUR")
    run("AddParty", party="AZE")
    run("AddClause", eid="art_1", number="1", text="The parties cooperate.", text_kind="official",
        effective="2021-03-01")
    run("SubmitForReview")
    run("Publish", uncited_reason="test data cites no source")
    return SLUG


@pytest.fixture
def turkish_names():
    tur, aze = Party.objects.get(code="TUR"), Party.objects.get(code="AZE")
    PartyName.objects.create(party=tur, name="Türkiye Cumhuriyeti", language="tr", valid_from="1923-10-29")
    PartyName.objects.create(party=tur, name="Турецкая Республика", language="ru", valid_from="1923-10-29")
    PartyName.objects.create(party=aze, name="Azərbaycan Respublikası", language="az", valid_from="1991")
    PartyName.objects.create(party=aze, name="Azerbaycan Cumhuriyeti", language="tr", valid_from="1991")


def html(path, language):
    return Client().get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_agreement_page_shows_the_title_in_the_readers_language(titled):
    page = html(URL, "tr")
    assert '<h1 lang="tr">Kültür Alanında İşbirliği Anlaşması</h1>' in page
    assert '<span lang="en">Agreement on Cooperation in Culture</span>' in page  # the others stay available
    assert '<span lang="az">Mədəniyyət sahəsində əməkdaşlıq haqqında Saziş</span>' in page


def test_a_reader_whose_language_has_no_title_sees_the_registrys_title(titled):
    page = html(URL, "ru")
    assert "<h1>Agreement on Cooperation in Culture</h1>" in page
    assert '<span lang="tr">Kültür Alanında İşbirliği Anlaşması</span>' in page


def test_the_parties_are_named_in_the_readers_language(titled, turkish_names):
    assert "Türkiye Cumhuriyeti" in html(URL, "tr") and "Azerbaycan Cumhuriyeti" in html(URL, "tr")
    assert "Azərbaycan Respublikası" in html(URL, "az") and "Republic of Türkiye" in html(URL, "az")


def test_the_party_page_is_headed_by_the_name_in_the_readers_language(turkish_names):
    assert "<h1>Турецкая Республика <span" in html("/parties/TUR/", "ru")
    assert "<h1>Republic of Türkiye <span" in html("/parties/TUR/", "en")


def test_a_name_in_a_language_is_the_one_it_bore_on_the_date(turkish_names):
    tur = Party.objects.get(code="TUR")
    PartyName.objects.create(party=tur, name="Osmanlı sonrası ad", language="tr", valid_from="1900",
                             valid_to="1923-10-28")
    import datetime as dt

    assert names_in(["TUR"], "tr", dt.date(1920, 1, 1)) == {"TUR": "Osmanlı sonrası ad"}
    assert names_in(["TUR"], "tr", dt.date(2020, 1, 1)) == {"TUR": "Türkiye Cumhuriyeti"}
    assert names_in(["TUR"], "de") == {}


def test_the_api_returns_titles_and_names_with_their_language_codes(titled, turkish_names):
    detail = APIClient().get(f"/api/v1/agreements/{SLUG}/").json()
    assert detail["titles"] == {"tr": "Kültür Alanında İşbirliği Anlaşması",
                                "az": "Mədəniyyət sahəsində əməkdaşlıq haqqında Saziş"}
    names = APIClient().get("/api/v1/parties/TUR/").json()["names"]
    assert {"name": "Türkiye Cumhuriyeti", "language": "tr"}.items() <= next(
        n for n in names if n["language"] == "tr").items()


@pytest.mark.parametrize("q", ["Türkiye Cumhuriyeti", "turkiye cumhuriyeti", "Турецкая", "Azərbaycan Respublikası"])
def test_the_api_party_list_finds_a_party_by_a_name_in_any_language(turkish_names, q):
    codes = [row["code"] for row in APIClient().get("/api/v1/parties/", {"q": q}).json()["results"]]
    assert codes and set(codes) <= {"TUR", "AZE"}


@pytest.mark.parametrize("q", ["Kültür İşbirliği", "kultur isbirligi", "Mədəniyyət", "medeniyyet"])
def test_the_search_finds_a_title_in_any_of_its_languages(titled, q):
    assert SLUG in [hit.slug for hit in search(SearchFilters(q=q)).agreements]


@pytest.mark.parametrize("q", ["Türkiye", "Azərbaycan Respublikası", "Турецкая Республика"])
def test_the_search_finds_the_agreements_of_a_party_named_in_any_language(titled, turkish_names, q):
    assert SLUG in [hit.slug for hit in search(SearchFilters(q=q), limit=200).agreements]


def test_the_api_list_q_finds_the_agreements_of_a_party_by_its_name(titled, turkish_names):
    rows = APIClient().get("/api/v1/agreements/", {"q": "Türkiye Cumhuriyeti", "page_size": 200}).json()["results"]
    assert SLUG in [row["slug"] for row in rows]


def test_the_akoma_ntoso_export_names_the_work_in_each_language(titled):
    root = ET.fromstring(APIClient().get(f"/api/v1/agreements/{SLUG}/", {"format": "akn"}).content)
    names = {n.get(XML_LANG): n.get("value") for n in root.findall(".//a:FRBRWork/a:FRBRname", NS) if n.get(XML_LANG)}
    assert names == {"en": "Agreement on Cooperation in Culture", "tr": "Kültür Alanında İşbirliği Anlaşması",
                     "az": "Mədəniyyət sahəsində əməkdaşlıq haqqında Saziş"}
    assert root.find(".//a:FRBRExpression/a:FRBRlanguage", NS).get("language")


def test_the_csv_export_keeps_the_titles_with_their_languages(titled):
    import csv
    import io
    import json

    body = APIClient().get("/api/v1/agreements/", {"format": "csv", "page_size": 500}).content.decode()
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["slug"] == SLUG)
    assert json.loads(row["titles"]) == {"az": "Mədəniyyət sahəsində əməkdaşlıq haqqında Saziş",
                                         "tr": "Kültür Alanında İşbirliği Anlaşması"}


def test_the_json_list_keeps_the_titles_with_their_languages(titled):
    rows = APIClient().get("/api/v1/agreements/", {"page_size": 500}).json()["results"]
    assert next(r for r in rows if r["slug"] == SLUG)["titles"]["tr"] == "Kültür Alanında İşbirliği Anlaşması"
