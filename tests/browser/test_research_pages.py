"""What a researcher reads: sources beside each fact, exports and a dated citation, point in time made
visible, status badges, the party page's network and time travel, the source page, valid HTML."""

import re

import html5lib
import pytest

pytestmark = pytest.mark.django_db

STRATEGIC = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/"
OTTOMAN = "/akn/int/treaty/1918/ottoman-az-1918/"


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_each_fact_carries_its_sources_as_numbered_notes(client):
    html = html_of(client, STRATEGIC)
    numbers = [int(n) for n in re.findall(r'<details class="note" id="note-(\d+)">', html)]
    assert numbers == sorted(numbers) and numbers[0] == 1 and len(numbers) == len(set(numbers)) >= 17
    party_row = html[html.index('href="/parties/TUR/"'):html.index("</th>", html.index('href="/parties/TUR/"'))]
    assert '<details class="note"' in party_row  # the party's own note, beside it
    art_2 = html[html.index('id="art_2"'):html.index("</li>", html.index('id="art_2"'))]
    assert "if one of the parties is subjected to an armed attack" in art_2
    assert "usc-dornsife-2023" in html and 'href="/sources/usc-dornsife-2023/"' in html


def test_the_source_page_shows_the_source_and_what_cites_it(client):
    html = html_of(client, "/sources/usc-dornsife-2023/")
    assert "USC Dornsife Institute of Armenian Studies" in html
    assert f'href="{STRATEGIC}art_2/"' in html and "Perspective" in html
    assert client.get("/sources/no-such-source/").status_code == 404


def test_pages_link_their_data_as_akoma_ntoso_json_and_csv(client):
    html = html_of(client, STRATEGIC)
    assert 'href="/api/v1/agreements/tr-az-strategic-partnership-2010/?format=akn"' in html
    assert 'href="/api/v1/agreements/tr-az-strategic-partnership-2010/"' in html
    csv = client.get("/data/agreements/tr-az-strategic-partnership-2010/articles.csv")
    assert csv.status_code == 200 and csv.content.decode().splitlines()[0].startswith("eid,number,heading")
    assert 'href="/api/v1/agreements/tr-az-strategic-partnership-2010/clauses/art_2/"' in html_of(client, STRATEGIC + "art_2/")


def test_the_cite_box_gives_the_dated_address_and_the_record_time(client):
    html = html_of(client, STRATEGIC + "@2015-01-01/")
    cite = html[html.index('class="cite-box"'):html.index("</aside>")]
    assert re.search(r"/akn/int/treaty/2010/tr-az-strategic-partnership-2010/@2015-01-01/\?known_at=20\d\d-", cite)
    assert "as it stood on 1 January 2015" in cite


def test_the_cited_address_shows_the_page_as_it_was_known(client):
    html = html_of(client, STRATEGIC)
    url = re.search(r'class="address"><a href="([^"]+)"', html).group(1)
    assert client.get(url.replace("http://testserver", "")).status_code == 200


def test_a_print_stylesheet_hides_navigation():
    from django.contrib.staticfiles import finders

    css = open(finders.find("browser/browser.css")).read()
    assert "@media print" in css and ".site-header" in css[css.index("@media print"):]


def test_status_badges_for_the_agreement_and_each_party(client):
    html = html_of(client, "/akn/int/treaty/1945/un-charter-1945/")
    assert '<span class="badge status-in_force">In force</span>' in html
    table = html[html.index('<table class="lifecycle">'):html.index("</table>", html.index('<table class="lifecycle">'))]
    assert table.count('class="badge status-') == 1  # the agreement's own status
    assert table.count('class="badge participant-') == table.count('<tr id="participant-') >= 1  # each party's


def test_an_amended_article_is_marked_with_its_date_and_its_history_links_each_version(client, make_agreement):
    make_agreement("amended-research-2012", "Amended Research Agreement",
                   [{"eid": "art_1", "number": "1", "text": "First text.", "effective": "2012-05-01"}],
                   extra=[("AmendClause", {"eid": "art_1", "text": "Second text.", "effective": "2015-06-01"})])
    base = "/akn/int/treaty/2012/amended-research-2012/"
    assert "Amended with effect from 1 June 2015" in html_of(client, base)
    assert "Amended with effect from" not in html_of(client, base + "@2014-01-01/")
    history = html_of(client, base + "art_1/")
    assert f'href="{base}art_1/@2012-05-01/"' in history and f'href="{base}art_1/@2015-06-01/"' in history


def test_the_date_control_asks_for_the_record_time_too(client):
    html = html_of(client, STRATEGIC)
    assert 'name="known_at"' in html and "as the registry knew it on" in html
    response = client.get(STRATEGIC, {"as_of": "2015-01-01", "known_at": "2030-06-01"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{STRATEGIC}@2015-01-01/?known_at=2030-06-01T23%3A59%3A59")


def test_the_party_page_links_wikidata_and_groups_agreements_by_status(client):
    html = html_of(client, "/parties/TUR/")
    assert 'href="https://www.wikidata.org/wiki/Q43"' in html
    assert re.search(r'<h3 id="status-[a-z_]+"><span class="badge', html)


def test_the_party_page_draws_its_partners_as_an_svg_network(client):
    html = html_of(client, "/parties/AZE/")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'href="/parties/TUR/"' in svg and "<line" in svg and "<title" in svg


def test_the_party_network_travels_in_time(client):
    assert 'href="/parties/TUR/"' not in html_of(client, "/parties/AZE/@1991-01-01/").split("<svg")[-1][:2000]
    assert 'href="/parties/TUR/"' in html_of(client, "/parties/AZE/@2011-01-01/")
    assert client.get("/parties/AZE/date/", {"as_of": "2011-01-01"})["Location"] == "/parties/AZE/@2011-01-01/"


@pytest.mark.parametrize("url", ["/", STRATEGIC, STRATEGIC + "art_2/", "/parties/AZE/", "/sources/usc-dornsife-2023/",
                                 "/data/obligations/codebook/", "/timeline/", "/search/?q=assistance"])
def test_main_pages_parse_as_strict_html5(client, url):
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html_of(client, url))


@pytest.mark.parametrize("url", ["/", STRATEGIC, STRATEGIC + "art_2/", "/parties/AZE/", OTTOMAN])
def test_time_elements_carry_valid_datetimes(client, url):
    valid = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
    for value in re.findall(r'<time datetime="([^"]*)"', html_of(client, url)):
        assert valid.match(value), value
