"""Pages as they stood on a date: the permanent `@date` address, the date control, agreements and clauses
that did not exist yet, amended clauses, and record time (`known_at`)."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements import services
from agreements.domain.commands import parse_command

from .conftest import STRATEGIC

pytestmark = pytest.mark.django_db


def amend(slug, eid, text, effective):
    services.handle(parse_command("AmendClause", {"eid": eid, "text": text, "effective": effective}), slug=slug)


def test_the_date_control_redirects_to_the_permanent_at_date_address(client):
    response = client.get(STRATEGIC, {"as_of": "2009-06-01"})
    assert response.status_code == 302
    assert response["Location"] == STRATEGIC + "@2009-06-01/"


def test_an_empty_date_goes_back_to_today(client):
    response = client.get(STRATEGIC + "@2009-06-01/", {"as_of": ""})
    assert response["Location"] == STRATEGIC


def test_an_unreadable_date_is_a_400_that_says_what_to_enter(client):
    response = client.get(STRATEGIC, {"as_of": "June 2009"})
    assert response.status_code == 400
    assert "2015-06-01" in response.content.decode()  # the message shows the forms a date may take


def test_a_year_in_the_date_control_means_its_last_day(client):
    response = client.get(STRATEGIC, {"as_of": "2009"})
    assert response["Location"] == STRATEGIC + "@2009-12-31/"


def test_a_year_in_the_address_shows_the_page_as_it_stood_at_the_end_of_that_year(client):
    year = client.get(STRATEGIC + "@2015/")
    assert year.status_code == 200
    assert "31 December 2015" in year.content.decode()


def test_an_impossible_date_in_the_address_is_a_404(client):
    assert client.get(STRATEGIC + "@2009-02-30/").status_code == 404


def test_the_page_says_as_it_stood_on_the_date(client):
    html = client.get(STRATEGIC + "@2015-01-01/").content.decode()
    assert "As it stood on <strong>1 January 2015</strong>" in html
    assert 'value="2015-01-01"' in html


def test_an_agreement_that_did_not_exist_yet_says_so(client):
    response = client.get(STRATEGIC + "@2009-06-01/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This agreement did not exist yet on 1 June 2009." in html
    assert f'href="{STRATEGIC}art_2/' not in html  # no articles before it existed


def test_links_from_a_dated_page_keep_the_date(client):
    html = client.get(STRATEGIC + "@2015-01-01/").content.decode()
    assert f'href="{STRATEGIC}art_2/@2015-01-01/"' in html


def test_a_clause_of_an_agreement_that_did_not_exist_yet_says_so(client):
    html = client.get(STRATEGIC + "art_2/@2009-06-01/").content.decode()
    assert "did not exist yet on 1 June 2009" in html


def test_a_clause_shows_the_text_in_effect_on_the_date(client, make_agreement):
    slug = make_agreement("tt-amended-2012", "Amended test agreement", [
        {"eid": "art_1", "number": "1", "text": "The parties shall meet once a year.", "effective": "2012-05-01"},
    ])
    amend(slug, "art_1", "The parties shall meet twice a year.", "2016-01-01")
    base = "/akn/int/treaty/2012/tt-amended-2012/art_1/"
    assert "once a year" in client.get(base + "@2015-01-01/").content.decode()
    today = client.get(base).content.decode()
    assert "twice a year" in today and "<del>once</del><ins>twice</ins>" in today


def test_the_diff_page_compares_any_two_versions_word_by_word(client, make_agreement):
    slug = make_agreement("tt-diff-2012", "Diff test agreement", [
        {"eid": "art_1", "number": "1", "text": "Alpha beta gamma.", "effective": "2012-05-01"},
    ])
    amend(slug, "art_1", "Alpha delta gamma.", "2014-01-01")
    amend(slug, "art_1", "Alpha delta gamma epsilon.", "2016-01-01")
    url = "/akn/int/treaty/2012/tt-diff-2012/art_1/diff/"
    html = client.get(url, {"from": 1, "to": 3}).content.decode()
    assert "<del>beta</del><ins>delta</ins>" in html and "<ins> epsilon</ins>" in html
    assert client.get(url, {"from": 1, "to": 9}).status_code == 400


def test_known_at_shows_what_the_registry_recorded_before_a_change(client, make_agreement):
    slug = make_agreement("tt-known-2012", "Record time test agreement", [
        {"eid": "art_1", "number": "1", "text": "Original wording.", "effective": "2012-05-01"},
    ])
    before = timezone.now()
    amend(slug, "art_1", "Corrected wording.", "2012-05-01")
    base = "/akn/int/treaty/2012/tt-known-2012/art_1/"
    assert "Corrected wording." in client.get(base).content.decode()
    earlier = client.get(base, {"known_at": before.isoformat()}).content.decode()
    assert "Original wording." in earlier and "as the registry recorded it by" in earlier


def test_known_at_before_the_agreement_was_recorded_is_a_404(client):
    response = client.get(STRATEGIC, {"known_at": (timezone.now() - dt.timedelta(days=3650)).isoformat()})
    assert response.status_code == 404


def test_a_repealed_clause_leaves_the_agreement_page_from_its_repeal_on(client, make_agreement):
    slug = make_agreement("tt-repeal-2012", "Repeal test agreement", [
        {"eid": "art_1", "number": "1", "text": "Kept.", "effective": "2012-05-01"},
        {"eid": "art_2", "number": "2", "text": "Repealed later.", "effective": "2012-05-01"},
    ])
    services.handle(parse_command("RepealClause", {"eid": "art_2", "effective": "2018-01-01"}), slug=slug)
    base = "/akn/int/treaty/2012/tt-repeal-2012/"
    assert f'href="{base}art_2/"' not in client.get(base).content.decode()
    assert f'href="{base}art_2/@2015-01-01/"' in client.get(base + "@2015-01-01/").content.decode()
    assert "Repealed with effect from 1 January 2018" in client.get(base + "art_2/").content.decode()


def test_a_renumbered_clause_keeps_its_old_address(client, make_agreement):
    slug = make_agreement("tt-renumber-2012", "Renumber test agreement", [
        {"eid": "art_1", "number": "1", "text": "Moves.", "effective": "2012-05-01"},
    ])
    services.handle(parse_command("RenumberClause", {"eid": "art_1", "new_eid": "art_3", "number": "3",
                                                     "effective": "2019-01-01"}), slug=slug)
    old = client.get("/akn/int/treaty/2012/tt-renumber-2012/art_1/").content.decode()
    assert "it is now <code>art_3</code>" in old
    assert client.get("/akn/int/treaty/2012/tt-renumber-2012/art_3/").status_code == 200


def test_facts_and_related_agreements_after_the_date_are_not_presented_as_having_happened(client):
    html = client.get(STRATEGIC + "@2009-06-01/").content.decode()
    table = html[html.index('<table class="lifecycle">'): html.index("</table>")]
    assert '<time datetime="2010-08-16">' in table and '<span class="meta">(after this date)</span>' in table
    assert "Shusha Declaration" not in html  # 2021: it did not exist yet
    assert "Shusha Declaration" in client.get(STRATEGIC + "@2022-01-01/").content.decode()


def test_references_from_agreements_that_did_not_exist_yet_are_left_out(client):
    charter = "/akn/int/treaty/1945/un-charter-1945/art_51/"
    assert "Agreement on Strategic Partnership" not in client.get(charter + "@2000-01-01/").content.decode()
    assert "Agreement on Strategic Partnership" in client.get(charter + "@2011-01-01/").content.decode()


def test_a_clause_added_later_did_not_exist_yet_before_its_effective_date(client, make_agreement):
    make_agreement("tt-later-clause-2012", "Later clause agreement", [
        {"eid": "art_1", "number": "1", "text": "From the start.", "effective": "2012-05-01"},
        {"eid": "art_2", "number": "2", "text": "Added by a later protocol.", "effective": "2014-01-01"},
    ])
    html = client.get("/akn/int/treaty/2012/tt-later-clause-2012/art_2/@2013-01-01/").content.decode()
    assert "This clause did not exist yet on 1 January 2013." in html
    assert "Added by a later protocol." not in html.split('id="history"')[0]


def test_an_unreadable_record_time_is_a_400(client):
    response = client.get(STRATEGIC, {"known_at": "last tuesday"})
    assert response.status_code == 400
    assert "ISO 8601" in response.content.decode()
