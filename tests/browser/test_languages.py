"""The public clause page in several authentic languages: each language, and two side by side."""

import pytest

from agreements import services
from agreements.domain.commands import parse_command

pytestmark = pytest.mark.django_db
URL = "/akn/int/treaty/2012/bilingual-page-2012/art_1/"


def run(type_name, **fields):
    services.handle(parse_command(type_name, fields), slug="bilingual-page-2012")


@pytest.fixture
def bilingual():
    services.handle(parse_command("DraftAgreement", {"slug": "bilingual-page-2012", "title": "Bilingual",
                                                     "kind": "agreement", "work_date": "2012-05-01"}))
    run("AddClause", eid="art_1", number="1", text="The parties cooperate.", text_kind="official", effective="2012-05-01")
    run("AddClause", eid="art_1", number="1", heading="İşbirliği", text="Taraflar işbirliği yapar.",
        text_kind="official", language="tr", effective="2012-05-01")
    run("SubmitForReview")
    run("Publish", uncited_reason="test texts cite no source")


def test_the_page_lists_the_languages_and_shows_the_first_one(client, bilingual):
    html = client.get(URL).content.decode()
    assert "Authentic languages:" in html and "The parties cooperate." in html
    assert "Taraflar işbirliği yapar." not in html


def test_lang_shows_the_clause_in_that_language(client, bilingual):
    html = client.get(URL, {"lang": "tr"}).content.decode()
    assert '<blockquote class="clause-text" lang="tr">Taraflar işbirliği yapar.</blockquote>' in html


def test_two_languages_side_by_side(client, bilingual):
    html = client.get(URL, {"lang": "en", "with": "tr"}).content.decode()
    block = html[html.index('class="side-by-side languages-side-by-side"'):]
    assert block.index('lang="en">The parties cooperate.') < block.index('lang="tr">Taraflar işbirliği yapar.')


def test_an_unknown_or_malformed_language_falls_back_to_the_first(client, bilingual):
    for params in ({"lang": "de"}, {"lang": "<script>", "with": "x y"}):
        response = client.get(URL, params)
        assert response.status_code == 200 and "The parties cooperate." in response.content.decode()
