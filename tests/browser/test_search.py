"""The search page: agreements and clauses; full-text on PostgreSQL, every word (icontains) elsewhere;
highlighted hits; filters; misspellings corrected on PostgreSQL."""

import re

import pytest

from .conftest import STRATEGIC

pytestmark = pytest.mark.django_db


def result_links(html):
    """The clause hits, best first."""
    return re.findall(r'<h3 class="result-title result-clause"><a href="([^"]+)">', html)


def agreement_links(html):
    return re.findall(r'<h3 class="result-title result-agreement"><a href="([^"]+)">', html)


def test_mutual_assistance_finds_article_2_of_the_2010_agreement_among_the_first(client):
    html = client.get("/search/", {"q": "mutual assistance"}).content.decode()
    assert STRATEGIC + "art_2/" in result_links(html)[:3]  # beside the Charter's Article 49, "mutual assistance"


def test_hits_are_highlighted(client):
    html = client.get("/search/", {"q": "mutual assistance"}).content.decode()
    assert "<mark>Mutual</mark>" in html
    assert re.search(r"<mark>assistance</mark>", html)


def test_a_search_matching_nothing_says_so(client):
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "No agreement or clause matches" in html and not result_links(html) and not agreement_links(html)


def test_the_party_filter_keeps_only_that_partys_agreements(client):
    # the Charter's official 1945 text spells it "self-defense"
    assert result_links(client.get("/search/", {"q": "self-defense", "party": "UN"}).content.decode()) == [
        "/akn/int/treaty/1945/un-charter-1945/art_51/"
    ]
    assert STRATEGIC + "art_2/" in result_links(
        client.get("/search/", {"q": "self-defence", "party": "AZE"}).content.decode())


def test_the_kind_filter_keeps_only_that_kind(client):
    links = result_links(client.get("/search/", {"q": "self-defense", "kind": "charter"}).content.decode())
    assert links == ["/akn/int/treaty/1945/un-charter-1945/art_51/"]


def test_the_date_filter_keeps_agreements_dated_in_the_range(client):
    links = result_links(client.get("/search/", {"q": "self-defence", "from": "2000-01-01"}).content.decode())
    assert STRATEGIC + "art_2/" in links
    assert "/akn/int/treaty/1945/un-charter-1945/art_51/" not in links
    assert client.get("/search/", {"q": "x", "from": "yesterday"}).status_code == 400


def test_search_finds_only_published_agreements(client, make_agreement):
    make_agreement("search-draft-2012", "Unpublished draft", [
        {"eid": "art_1", "text": "Zanzibar clause in a draft."}], publish=False)
    make_agreement("search-public-2012", "Published one", [
        {"eid": "art_1", "text": "Zanzibar clause in a published agreement."}])
    links = result_links(client.get("/search/", {"q": "zanzibar"}).content.decode())
    assert links == ["/akn/int/treaty/2012/search-public-2012/art_1/"]


def test_highlighted_text_is_escaped(client, make_agreement):
    make_agreement("search-markup-2012", "Markup", [{"eid": "art_1", "text": "<b>Quokka</b> & <i>friends</i>"}])
    html = client.get("/search/", {"q": "quokka"}).content.decode()
    assert "&lt;b&gt;<mark>Quokka</mark>&lt;/b&gt; &amp; &lt;i&gt;friends&lt;/i&gt;" in html


@pytest.mark.postgres
def test_postgresql_search_is_stemmed(client):
    links = result_links(client.get("/search/", {"q": "assisting attacks"}).content.decode())
    assert links and links[0] == STRATEGIC + "art_2/"


def test_a_word_of_a_title_finds_the_agreement(client):
    """The Shusha Declaration's name is in its title, not in a clause."""
    html = client.get("/search/", {"q": "Shusha"}).content.decode()
    assert "/akn/int/treaty/2021/tr-az-shusha-declaration-2021/" in agreement_links(html)


def test_a_word_of_a_title_finds_an_agreement_without_clauses(client):
    html = client.get("/search/", {"q": "training"}).content.decode()
    assert "/akn/int/treaty/1996/tr-az-military-training-1996/" in agreement_links(html)


@pytest.mark.postgres
@pytest.mark.parametrize("typed, meant, found", [
    ("trainig", "training", "/akn/int/treaty/1996/tr-az-military-training-1996/"),
    ("Shusa", "shusha", "/akn/int/treaty/2021/tr-az-shusha-declaration-2021/"),
])
def test_postgresql_corrects_a_misspelt_word_and_says_so(client, typed, meant, found):
    html = client.get("/search/", {"q": typed}).content.decode()
    assert found in agreement_links(html)
    assert f"showing results for “<a href=\"?q={meant}\">{meant}</a>”" in html


def test_agreements_are_found_by_title_and_summary_with_the_words_marked(client):
    html = client.get("/search/", {"q": "strategic partnership"}).content.decode()
    section = html[html.index('id="agreement-results"'):html.index('id="clause-results"')]
    assert f'<a href="{STRATEGIC}"><mark>Strategic</mark> <mark>Partnership</mark>' in section.replace(
        "Agreement on ", "")


def test_the_status_filter_keeps_agreements_with_that_status_today(client):
    html = client.get("/search/", {"q": "charter", "status": "terminated"}).content.decode()
    assert "Agreements (0)" in html
    assert "Agreements (0)" not in client.get("/search/", {"q": "charter", "status": "in_force"}).content.decode()


def test_the_empty_search_page_says_what_can_be_searched_and_offers_examples(client):
    html = client.get("/search/").content.decode()
    assert "What you can search" in html and 'href="?q=mutual%20assistance"' in html


def test_a_date_range_without_words_lists_the_agreements_dated_in_it(client):
    html = client.get("/search/", {"from": "2009-01-01", "to": "2011-12-31"}).content.decode()
    assert "What you can search" not in html
    assert agreement_links(html) == [STRATEGIC]


def test_a_date_range_with_nothing_in_it_says_so(client):
    html = client.get("/search/", {"from": "1800-01-01", "to": "1800-12-31"}).content.decode()
    assert "What you can search" not in html and not agreement_links(html)
    assert "No agreement or clause matches these filters" in html


def test_an_agreement_result_shows_its_date_parties_and_status(client):
    html = client.get("/search/", {"q": "strategic partnership"}).content.decode()
    result = html[html.index(f'<a href="{STRATEGIC}">'):]
    meta = result[:result.index("</li>")]
    assert '<span class="result-date">16 August 2010</span>' in meta
    assert "Türkiye" in meta and "Azerbaijan" in meta
    assert '<span class="result-status">' in meta


def test_a_clause_result_shows_its_agreements_date_parties_and_status(client):
    html = client.get("/search/", {"q": "mutual assistance"}).content.decode()
    first = html[html.index('class="result-title result-clause"><a href="/akn/int/treaty/2010/'):]
    meta = first[:first.index("</li>")]
    assert '<span class="result-date">16 August 2010</span>' in meta and "Azerbaijan" in meta
    assert '<span class="result-status">' in meta
