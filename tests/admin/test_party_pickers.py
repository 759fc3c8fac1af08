"""The party pickers show each party's years of existence and, given the agreement's date, offer the parties
that existed on it first: the modern state before the historical one for a date after its independence."""

from django.urls import reverse

from agreements.models import AgreementRecord

from .conftest import add_url, change_url
from .formdata import form_data

PARTIES = reverse("admin:pacta_autocomplete_parties")


def _codes(client, **query):
    return [r["id"] for r in client.get(PARTIES, {"term": "azerb", **query}).json()["results"]]


def test_the_picker_shows_each_partys_years_of_existence(archivist_client):
    texts = {r["id"]: r["text"] for r in archivist_client.get(PARTIES, {"term": "azerb"}).json()["results"]}
    assert texts["ADR"].endswith("(1918–1920)") and texts["AZE"].endswith("(1991–)")


def test_for_a_2010_agreement_the_modern_state_comes_before_the_historical_one(archivist_client):
    codes = _codes(archivist_client, on="2010-08-16")
    assert codes.index("AZE") < codes.index("ADR")


def test_for_a_1918_agreement_the_state_of_that_time_comes_first(archivist_client):
    codes = _codes(archivist_client, on="1918-06-04")
    assert codes.index("ADR") < codes.index("AZE")


def test_without_a_date_the_parties_come_by_code(archivist_client):
    codes = _codes(archivist_client)
    assert codes == sorted(codes) and codes.index("ADR") < codes.index("AZE")


def test_a_date_that_is_no_date_leaves_the_parties_by_code(archivist_client):
    codes = _codes(archivist_client, on="not-a-date")
    assert codes == sorted(codes)


def test_the_change_page_points_its_party_pickers_at_the_agreements_date(archivist_client):
    record = AgreementRecord.objects.get(slug="tr-az-strategic-partnership-2010")
    html = archivist_client.get(change_url(record)).content.decode()
    for name in ("parties-0-party", "lifecycle-0-party"):
        start = html.index(f'name="{name}"')
        tag = html[html.rindex("<select", 0, start):html.index(">", start)]
        assert f'data-ajax--url="{PARTIES}?on=2010-08-16"' in tag, name


def test_a_posted_add_page_points_its_party_pickers_at_the_date_typed(archivist_client):
    data = form_data(archivist_client.get(add_url()))
    response = archivist_client.post(add_url(), {**data, "details-work_date": "2024-03-01", "_more_rows": "1"})
    assert f'data-ajax--url="{PARTIES}?on=2024-03-01"' in response.content.decode()
