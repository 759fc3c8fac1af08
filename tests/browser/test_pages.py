"""Every page of the browser on the seeds: status, key content, title and description, headers."""

import re

import pytest

from .conftest import CHARTER, STRATEGIC

pytestmark = pytest.mark.django_db


def test_home_lists_agreements_by_party_and_by_kind_and_recent_changes(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="by-party"' in html and 'id="by-kind"' in html and 'id="recent"' in html
    assert 'href="/akn/int/treaty/2010/tr-az-strategic-partnership-2010/"' in html
    assert 'href="/parties/TUR/"' in html
    assert 'name="q"' in html


def test_timeline_draws_one_linked_mark_per_dated_agreement_in_svg(client):
    response = client.get("/timeline/")
    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg"): html.index("</svg>")]
    marks = re.findall(r'<a href="(/akn/[^"]+)" class="mark kind-([a-z_]+)">', svg)
    assert len(marks) == 19  # 20 published seeds, one of them undated
    assert ("/akn/int/treaty/2010/tr-az-strategic-partnership-2010/", "agreement") in marks
    assert "Training and cooperation agreement in the field of military medicine" in html[html.index("</svg>"):]


def test_timeline_draws_a_partial_date_as_a_bar_and_a_day_as_a_dot(client):
    svg = client.get("/timeline/").content.decode()
    education = re.search(
        r'class="mark kind-agreement">\s*<title>Military Education Cooperation Agreement[^<]*</title>(.*?)</a>', svg,
        re.S).group(1)
    charter = re.search(r'class="mark kind-charter">\s*<title>Charter of the United Nations[^<]*</title>(.*?)</a>',
                        svg, re.S).group(1)
    assert "<rect" in education and "<circle" not in education  # "1992": a year, drawn as a range
    assert "<circle" in charter and 'class="in-force"' in charter  # 1945-06-26, in force since 1945-10-24


def test_party_index_lists_parties_to_published_agreements(client):
    response = client.get("/parties/")
    assert response.status_code == 200
    assert 'href="/parties/OTTOMAN/"' in response.content.decode()


def test_party_page_shows_names_over_time_predecessor_and_agreements(client):
    response = client.get("/parties/TUR/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Republic of Turkey" in html and "Republic of Türkiye" in html
    assert 'href="/parties/OTTOMAN/">Ottoman Empire</a>' in html
    assert "Agreement on Strategic Partnership and Mutual Assistance" in html


def test_party_page_shows_successors_and_lifecycle_facts_of_the_party(client):
    ottoman = client.get("/parties/OTTOMAN/").content.decode()
    assert 'href="/parties/TUR/">Republic of Türkiye</a>' in ottoman
    aze = client.get("/parties/AZE/").content.decode()
    assert "Accession: <time" in aze  # NATO Partnership for Peace, 1994


def test_unknown_party_is_a_404(client):
    assert client.get("/parties/NOPE/").status_code == 404


def test_agreement_page_shows_title_kind_status_parties_articles_and_sources(client):
    response = client.get(STRATEGIC)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Agreement on Strategic Partnership and Mutual Assistance</h1>" in html
    assert '<span class="badge status-in_force">In force</span>' in html  # both ratifications are recorded
    assert 'href="/parties/TUR/">Republic of Türkiye</a>' in html
    assert f'href="{STRATEGIC}art_2/"' in html
    assert "USC Dornsife Institute of Armenian Studies" in html
    assert "Referred to by" in html and "Shusha Declaration" in html


def test_agreement_page_has_a_untc_like_lifecycle_table(client):
    html = client.get(CHARTER).content.decode()
    table = html[html.index('<table class="lifecycle">'): html.index("</table>")]
    assert "<th scope=\"col\">Signature</th>" in table and "Entry into force" in table
    assert "26 June 1945" in table and "24 October 1945" in table


def test_agreement_page_labels_summaries_as_the_archivists(client):
    html = client.get(STRATEGIC).content.decode()
    assert "Archivist&#x27;s summary, not the treaty&#x27;s wording" in html


def test_agreement_page_shows_relations_both_ways(client):
    shusha = client.get("/akn/int/treaty/2021/tr-az-shusha-declaration-2021/").content.decode()
    assert f'Refers to <a href="{STRATEGIC}">' in shusha
    assert 'Referred to by <a href="/akn/int/treaty/2021/tr-az-shusha-declaration-2021/">' in client.get(
        STRATEGIC).content.decode()


def test_agreement_at_a_wrong_year_redirects_to_its_work_uri(client):
    response = client.get("/akn/int/treaty/1999/tr-az-strategic-partnership-2010/")
    assert response.status_code == 301
    assert response["Location"] == STRATEGIC


def test_unknown_agreement_and_clause_are_404s(client):
    assert client.get("/akn/int/treaty/2010/no-such-agreement/").status_code == 404
    assert client.get(STRATEGIC + "art_99/").status_code == 404


def test_clause_page_shows_text_kind_references_versions_and_citations(client):
    response = client.get(STRATEGIC + "art_2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Article 2: Mutual assistance against armed attack" in html
    assert "Archivist&#x27;s summary, not the treaty&#x27;s wording" in html
    assert f'<a href="{CHARTER}art_51/">Article 51 of the Charter of the United Nations</a>' in html
    assert 'class="versions"' in html
    assert "right of self-defense recognized by Article 51 of the UN Charter" in html  # the reference's citation


def test_clause_page_lists_incoming_references(client):
    html = client.get(CHARTER + "art_51/").content.decode()
    refs_in = html[html.index('id="refs-in"'): html.index('id="history"')]
    link = f'<a href="{STRATEGIC}art_2/">Article 2 of the Agreement on Strategic Partnership and Mutual Assistance</a>'
    assert link in refs_in


def test_public_pages_show_no_finding(client):
    from django.utils import timezone

    from agreements.models import AgreementRecord, Finding

    now = timezone.now()
    Finding.objects.create(
        key="test:art_2", code="reference_anachronistic", severity="warning", subject_type="clause",
        agreement=AgreementRecord.objects.get(slug="tr-az-strategic-partnership-2010"), subject="art_2",
        message="A finding the page must show.", first_seen=now, last_seen=now,
    )
    for page in (STRATEGIC, STRATEGIC + "art_2/"):
        html = client.get(page).content.decode()
        assert "A finding the page must show." not in html
        assert "reference_anachronistic" not in html and "citation_unverifiable" not in html


def test_each_quote_says_whether_it_was_checked_against_the_stored_source_text(client):
    html = client.get(STRATEGIC).content.decode()
    # Wikipedia's article is stored as the excerpt quoted; the USC Dornsife analysis has no text in the tests.
    assert "(quote checked)" in html and "(quote not checked)" in html
    assert "(quote not found in the source)" not in html and "quote not yet checked" not in html


def test_every_page_has_a_title_a_description_and_lang(client):
    for url in ["/", "/timeline/", "/parties/", "/parties/AZE/", "/search/?q=defence", STRATEGIC,
                STRATEGIC + "art_2/", STRATEGIC + "art_2/diff/"]:
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, url
        assert re.search(r"<title>[^<]+ · Pacta</title>", html), url
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html), url
        assert html.count("<h1") == 1, url


def test_every_browser_page_sets_a_content_security_policy(client):
    for url in ["/", "/timeline/", "/parties/TUR/", "/search/?q=x", STRATEGIC, STRATEGIC + "art_2/",
                "/akn/int/treaty/2010/no-such-agreement/", "/no-such-page/"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url


def test_pages_load_no_script_and_no_inline_style(client):
    for url in ["/", "/timeline/", STRATEGIC, STRATEGIC + "art_2/", "/search/?q=mutual"]:
        html = client.get(url).content.decode()
        assert "<script" not in html, url
        assert "style=" not in html and "<style" not in html, url


def test_texts_in_other_languages_carry_their_lang(client, make_agreement):
    make_agreement(
        "lang-2012", "Language test agreement",
        [{"eid": "art_1", "number": "1", "text": "Taraflar her yıl toplanır.", "language": "tr",
          "text_kind": "translation"}],
        extra=[("EditDetails", {"titles": {"az": "Dil sınağı sazişi"}})],
    )
    agreement = client.get("/akn/int/treaty/2012/lang-2012/").content.decode()
    assert '<span lang="az">Dil sınağı sazişi</span>' in agreement
    assert '<p class="clause-text" lang="tr">Taraflar her yıl toplanır.</p>' in agreement
    clause = client.get("/akn/int/treaty/2012/lang-2012/art_1/").content.decode()
    assert 'lang="tr">Taraflar her yıl toplanır.</blockquote>' in clause
    assert "Translation" in clause


def test_agreement_page_lists_clauses_of_other_agreements_that_refer_to_it(client):
    html = client.get(STRATEGIC).content.decode()
    section = html[html.index('id="cited-by"'): html.index('id="articles"')]
    assert 'the Republic of Azerbaijan and the Republic of Turkey</a> refers to this agreement as a whole' in section
    charter = client.get(CHARTER).content.decode()
    assert f'refers to <a href="{CHARTER}art_51/">Article 51</a>' in charter
