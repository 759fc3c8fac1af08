"""The UN Charter's real amendment history: Articles 23, 27 and 61 (adopted 17 December 1963, in force
31 August 1965), Article 109 (adopted 20 December 1965, in force 12 June 1968) and Article 61 again
(adopted 20 December 1971, in force 24 September 1973)."""

import datetime as dt

import pytest

from agreements.queries.agreements import agreement_at
from agreements.queries.clauses import clause_at, clauses_on

pytestmark = pytest.mark.django_db
CHARTER = "un-charter-1945"
URI = "/akn/int/treaty/1945/un-charter-1945"


def text_on(eid, day):
    return clauses_on(CHARTER, dt.date.fromisoformat(day))[eid].text


@pytest.mark.parametrize("slug, adopted, in_force", [
    ("un-charter-amendments-1963", "1963-12-17", "1965-08-31"),
    ("un-charter-amendment-art109-1965", "1965-12-20", "1968-06-12"),
    ("un-charter-amendment-art61-1971", "1971-12-20", "1973-09-24"),
])
def test_each_amending_instrument_has_its_adoption_and_entry_into_force(slug, adopted, in_force):
    view = agreement_at(slug)
    assert {(f.action, f.date) for f in view.lifecycle} == {("adoption", adopted), ("entry_into_force", in_force)}
    assert [(r.relation, r.target_slug) for r in view.relations_out] == [("amends", CHARTER)]


@pytest.mark.parametrize("eid, before, day, after", [
    ("art_23", "eleven members", "1965-08-31", "fifteen members"),
    ("art_27", "seven members", "1965-08-31", "nine members"),
    ("art_61", "eighteen members", "1965-08-31", "twenty-seven members"),
    ("art_61", "twenty-seven members", "1973-09-24", "fifty-four members"),
    ("art_109", "any seven members", "1968-06-12", "any nine members"),
])
def test_an_article_changes_on_the_day_its_amendment_enters_into_force(eid, before, day, after):
    previous = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    assert before in text_on(eid, previous).lower()  # the official text writes "Members" where a member state
    assert after in text_on(eid, day).lower()


def test_each_amendment_names_its_instrument():
    versions = clause_at(CHARTER, "art_61").versions
    assert [(v.effective, v.amended_by) for v in versions if v.change == "amended"] == [
        ("1965-08-31", "un-charter-amendments-1963"), ("1973-09-24", "un-charter-amendment-art61-1971")]


def test_article_51_is_unchanged():
    assert [v.change for v in clause_at(CHARTER, "art_51").versions] == ["added"]


def test_the_documented_diff_example_answers_on_real_history(client):
    response = client.get(f"{URI}/art_61/diff/?from=1&to=3")
    assert response.status_code == 200
    assert "fifty-four" in response.content.decode()


def test_the_instrument_page_shows_its_adoption_in_the_lifecycle_table(client):
    html = client.get("/akn/int/treaty/1963/un-charter-amendments-1963/").content.decode()
    table = html[html.index('<table class="lifecycle">'): html.index("</table>")]
    assert "17 December 1963</time> (adoption)" in table and "31 August 1965" in table
