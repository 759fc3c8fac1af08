"""A party that did not exist on the agreement's date is refused, naming its years, unless the archivist says why
(domain/existence.py); pickers and errors show each party's years of existence."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from agreements import services
from agreements.domain import commands
from agreements.domain.errors import RuleViolated
from agreements.domain.existence import check_party_existed, existence_years
from agreements.queries.agreements import agreement_at
from agreements.queries.parties import existence_span, party_choices, party_matches
from registry.eventstore.models import StoredEvent

ADR = (dt.date(1918, 5, 28), dt.date(1920, 4, 28))


@pytest.mark.parametrize("date", ["2024-03-01", "1921", "1917-12-31", "1991"])
def test_a_date_outside_a_partys_years_is_refused_naming_them(date):
    with pytest.raises(RuleViolated) as refused:
        check_party_existed("ADR", ADR, date)
    assert refused.value.rule == "party_did_not_exist" and refused.value.field == "party"
    assert "1918–1920" in refused.value.message and date in refused.value.message


@pytest.mark.parametrize("date", ["1918-06-04", "1918", "1920", "1920-04-28", "1918-05-28/1918-06-04"])
def test_a_date_within_or_overlapping_the_years_is_accepted(date):
    check_party_existed("ADR", ADR, date)


def test_a_reason_unknown_years_or_an_undated_agreement_let_the_party_in():
    check_party_existed("ADR", ADR, "2024-03-01", reason="The memorandum names the historical republic.")
    check_party_existed("UN", None, "2024-03-01")
    check_party_existed("ADR", ADR, None)
    assert existence_years(ADR) == "1918–1920" and existence_years((dt.date(1991, 1, 1), None)) == "1991–"


@pytest.mark.django_db
def test_the_seed_parties_carry_their_years_from_their_names_over_time():
    assert existence_span("ADR") == ADR
    assert existence_span("AZE") == (dt.date(1991, 1, 1), None)
    assert existence_span("UN") is None
    assert "Azerbaijan Democratic Republic (ADR, 1918–1920)" in dict(party_choices()).values()
    assert ("ADR", "ADR — Azerbaijan Democratic Republic (1918–1920)") in party_matches("ADR")


def draft(slug, date):
    services.handle(commands.parse_command("DraftAgreement", {"slug": slug, "title": "Memorandum", "kind": "memorandum",
                                                       "work_date": date}), slug=slug)


@pytest.mark.django_db
def test_adding_the_1918_republic_to_a_2024_memorandum_is_refused_and_nothing_is_stored():
    draft("mou-2024-test", "2024-03-01")
    before = StoredEvent.objects.count()
    with pytest.raises(RuleViolated) as refused:
        services.handle(commands.parse_command("AddParty", {"party": "ADR"}), slug="mou-2024-test")
    assert "1918–1920" in refused.value.message
    assert StoredEvent.objects.count() == before


@pytest.mark.django_db
def test_with_a_reason_the_party_is_added_and_the_reason_kept_in_the_event():
    draft("mou-2024-reason", "2024-03-01")
    reason = "The text names the 1918 republic as a party in memoriam."
    services.handle(commands.parse_command("AddParty", {"party": "ADR", "reason": reason}), slug="mou-2024-reason")
    event = StoredEvent.objects.filter(stream_id="agreement:mou-2024-reason", type="PartyAdded").get()
    assert event.payload == {"party": "ADR", "role": "", "reason": reason}
    assert [p.code for p in agreement_at("mou-2024-reason", include_unpublished=True).parties] == ["ADR"]


@pytest.mark.django_db
def test_a_party_added_without_a_reason_keeps_the_payload_it_always_had():
    draft("mou-2024-plain", "2024-03-01")
    services.handle(commands.parse_command("AddParty", {"party": "AZE"}), slug="mou-2024-plain")
    event = StoredEvent.objects.filter(stream_id="agreement:mou-2024-plain", type="PartyAdded").get()
    assert event.payload == {"party": "AZE", "role": ""}


@pytest.mark.django_db
def test_the_api_refuses_it_with_a_409_naming_the_rule_and_the_years(archivist):
    from rest_framework.authtoken.models import Token

    draft("mou-2024-api", "2024-03-01")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=archivist)[0].key}")
    version = agreement_at("mou-2024-api", include_unpublished=True).version
    response = client.post("/api/v1/agreements/mou-2024-api/commands/", {"type": "AddParty", "party": "ADR"},
                           format="json", HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 409, response.content
    assert "party_did_not_exist" in response.content.decode() and "1918–1920" in response.content.decode()
