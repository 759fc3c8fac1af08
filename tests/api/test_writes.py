"""Writes: POST /api/v1/agreements/ and POST /api/v1/agreements/{slug}/commands/ with If-Match."""

import json

import pytest

from registry.eventstore.models import StoredEvent

from .conftest import STRATEGIC

pytestmark = pytest.mark.django_db
LIST = "/api/v1/agreements/"


def commands_url(slug):
    return f"/api/v1/agreements/{slug}/commands/"


def version_of(client, slug):
    return client.get(f"/api/v1/agreements/{slug}/").json()["version"]


def send(client, slug, body, version=None, **headers):
    if version is not None:
        headers["HTTP_IF_MATCH"] = f'"{version}"'
    return client.post(commands_url(slug), body, format="json", **headers)


DRAFT = {"slug": "new-pact-2025", "title": "A new pact", "kind": "pact", "work_date": "2025-03-01"}


# ------------------------------------------------------------------ drafting


def test_an_archivist_drafts_an_agreement(archivist_client):
    response = archivist_client.post(LIST, DRAFT, format="json")
    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert response.json()["events"][0]["type"] == "AgreementDrafted"
    assert response["Location"].endswith("/api/v1/agreements/new-pact-2025/")
    assert archivist_client.get("/api/v1/agreements/new-pact-2025/").json()["publication"] == "draft"


def test_anonymous_callers_cannot_write(anon):
    assert anon.post(LIST, DRAFT, format="json").status_code == 401
    assert send(anon, STRATEGIC, {"type": "SubmitForReview"}, version=1).status_code == 401


def test_a_user_without_the_archivist_role_is_forbidden(plain_client):
    assert plain_client.post(LIST, DRAFT, format="json").status_code == 403


def test_a_bad_draft_is_a_400_with_field_messages(archivist_client):
    response = archivist_client.post(LIST, {"slug": "Not A Slug", "kind": "poem"}, format="json")
    assert response.status_code == 400
    assert {"slug", "kind", "title"} <= set(response.json()["errors"])


def test_drafting_an_existing_slug_is_a_409_naming_the_rule(archivist_client):
    response = archivist_client.post(LIST, {**DRAFT, "slug": STRATEGIC}, format="json")
    assert response.status_code == 409 and response.json()["rule"] == "agreement_exists"


def test_a_retried_draft_with_the_same_idempotency_key_appends_nothing_twice(archivist_client):
    first = archivist_client.post(LIST, DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="draft-1")
    again = archivist_client.post(LIST, DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="draft-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["replayed"] is True
    assert again.json()["events"] == first.json()["events"]
    assert StoredEvent.objects.filter(stream_id="agreement:new-pact-2025").count() == 1


# ------------------------------------------------------------------ commands


def test_a_command_with_the_current_version_is_a_201_with_the_new_version_and_events(archivist_client, draft):
    version = version_of(archivist_client, draft)
    response = send(archivist_client, draft, {"type": "AmendClause", "eid": "art_1", "text": "New.",
                                              "effective": "2020-01-01"}, version)
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == version + 1 and body["events"][0]["type"] == "ClauseAmended"
    assert response["ETag"] == f'"{version + 1}"'


def test_without_if_match_a_command_is_a_428(archivist_client, draft):
    response = send(archivist_client, draft, {"type": "SubmitForReview"})
    assert response.status_code == 428 and "If-Match" in response.json()["detail"]


def test_a_stale_if_match_is_a_412_with_the_current_version(archivist_client, draft):
    version = version_of(archivist_client, draft)
    response = send(archivist_client, draft, {"type": "SubmitForReview"}, version - 1)
    assert response.status_code == 412
    assert response.json()["current_version"] == version
    assert StoredEvent.objects.filter(stream_id=f"agreement:{draft}").count() == version


def test_a_malformed_if_match_is_a_400_naming_it(archivist_client, draft):
    response = archivist_client.post(commands_url(draft), {"type": "SubmitForReview"}, format="json",
                                     HTTP_IF_MATCH="yesterday")
    assert response.status_code == 400 and "If-Match" in response.json()["errors"]


def test_the_etag_of_a_get_is_accepted_as_if_match(archivist_client, draft):
    etag = archivist_client.get(f"/api/v1/agreements/{draft}/")["ETag"]
    response = archivist_client.post(commands_url(draft), {"type": "SubmitForReview"}, format="json",
                                     HTTP_IF_MATCH=etag)
    assert response.status_code == 201, response.json()


def test_a_stale_etag_as_if_match_is_a_412(archivist_client, draft):
    etag = archivist_client.get(f"/api/v1/agreements/{draft}/")["ETag"]
    send(archivist_client, draft, {"type": "SubmitForReview"}, version_of(archivist_client, draft))
    response = archivist_client.post(commands_url(draft), {"type": "SubmitForReview"}, format="json",
                                     HTTP_IF_MATCH=etag)
    assert response.status_code == 412


@pytest.mark.parametrize("header", ['W/"1"', '"1", "2"', '"1-xyz"', "*"])
def test_a_weak_listed_or_foreign_if_match_is_a_400_naming_it(archivist_client, draft, header):
    response = archivist_client.post(commands_url(draft), {"type": "SubmitForReview"}, format="json",
                                     HTTP_IF_MATCH=header)
    assert response.status_code == 400 and "If-Match" in response.json()["errors"]


def test_an_invalid_command_is_a_400_with_field_messages(archivist_client, draft):
    response = send(archivist_client, draft, {"type": "AmendClause", "eid": "Article One"}, 1)
    assert response.status_code == 400
    assert {"eid", "text", "effective"} <= set(response.json()["errors"])


def test_an_unknown_command_type_is_a_400(archivist_client, draft):
    response = send(archivist_client, draft, {"type": "Burn"}, 1)
    assert response.status_code == 400 and "type" in response.json()["errors"]


@pytest.mark.parametrize("body", [[1, 2], {"eid": "art_1"}, {"type": 7}, {"type": "DraftAgreement"}])
def test_a_body_that_is_no_command_is_a_400(archivist_client, draft, body):
    assert send(archivist_client, draft, body, 1).status_code == 400


def test_a_broken_rule_is_a_409_naming_the_rule(archivist_client, draft):
    version = version_of(archivist_client, draft)
    response = send(archivist_client, draft, {"type": "AddClause", "eid": "art_1", "text": "Again.",
                                              "text_kind": "official"}, version)
    assert response.status_code == 409
    assert response.json()["rule"] == "duplicate_eid" and "eid" in response.json()["errors"]


def test_publishing_needs_a_reviewer(archivist_client, reviewer_client, draft):
    version = version_of(archivist_client, draft)
    assert send(archivist_client, draft, {"type": "Publish"}, version).status_code == 403
    assert send(reviewer_client, draft, {"type": "Publish", "uncited_reason": "a test draft"}, version).status_code == 201


def test_commands_to_an_unknown_agreement_are_404(archivist_client):
    assert send(archivist_client, "no-such-agreement", {"type": "SubmitForReview"}, 1).status_code == 404


def test_anonymous_callers_cannot_even_learn_a_draft_exists_through_commands(anon, draft):
    assert send(anon, draft, {"type": "SubmitForReview"}, 1).status_code == 401


def test_a_retried_command_with_the_same_idempotency_key_appends_nothing_twice(archivist_client, draft):
    version = version_of(archivist_client, draft)
    body = {"type": "EditDetails", "summary": "Once."}
    first = send(archivist_client, draft, body, version, HTTP_IDEMPOTENCY_KEY="edit-42")
    again = send(archivist_client, draft, body, version, HTTP_IDEMPOTENCY_KEY="edit-42")
    assert first.status_code == again.status_code == 201
    assert again.json()["version"] == first.json()["version"] == version + 1
    assert again.json()["replayed"] is True and again["Idempotent-Replayed"] == "true"
    assert StoredEvent.objects.filter(stream_id=f"agreement:{draft}").count() == version + 1


def test_a_body_over_one_mebibyte_is_a_json_413(archivist_client, draft):
    body = json.dumps({"type": "EditDetails", "summary": "x" * (1024 * 1024 + 10)})
    response = archivist_client.post(commands_url(draft), body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


def test_a_body_over_one_mebibyte_without_content_length_is_a_413(archivist_client, draft, rf):
    from agreements.api.errors import PayloadTooLarge
    from agreements.api.parsers import LimitedJSONParser
    import io

    stream = io.BytesIO(b'{"summary": "' + b"x" * (1024 * 1024 + 10) + b'"}')
    request = rf.post("/x", content_type="application/json")
    request.META.pop("CONTENT_LENGTH", None)
    with pytest.raises(PayloadTooLarge):
        LimitedJSONParser().parse(stream, parser_context={"request": request})


def test_text_the_database_cannot_store_is_a_400(archivist_client, draft):
    response = send(archivist_client, draft, {"type": "EditDetails", "summary": "nul \x00 here"}, 1)
    assert response.status_code == 400


def test_a_non_json_body_is_a_415(archivist_client, draft):
    response = archivist_client.post(commands_url(draft), "type=Publish", content_type="text/plain",
                                     HTTP_IF_MATCH='"1"')
    assert response.status_code == 415


def test_every_command_type_goes_through_the_api(archivist_client, reviewer_client, draft):
    """The whole vocabulary, in an order the rules accept, each sent with the version it is based on."""
    client = archivist_client

    def do(body, who=client):
        response = send(who, draft, body, version_of(client, draft))
        assert response.status_code == 201, (body["type"], response.json())
        return response.json()

    do({"type": "EditDetails", "place": "Baku"})
    do({"type": "AddParty", "party": "UN"})
    do({"type": "RemoveParty", "party": "UN"})
    lifecycle = do({"type": "RecordLifecycle", "action": "entry_into_force", "date": "2012-06-01"})
    do({"type": "AddClause", "eid": "art_3", "text": "Third.", "text_kind": "official"})
    do({"type": "AmendClause", "eid": "art_3", "text": "Third, amended.", "effective": "2015-01-01"})
    do({"type": "RenumberClause", "eid": "art_3", "new_eid": "art_4", "number": "4", "effective": "2016-01-01"})
    do({"type": "RepealClause", "eid": "art_4", "effective": "2017-01-01"})
    do({"type": "AddRelation", "relation": "refers_to", "target": STRATEGIC})
    do({"type": "RemoveRelation", "relation": "refers_to", "target": STRATEGIC})
    do({"type": "AddReference", "eid": "art_1", "target": "un-charter-1945", "target_eid": "art_51"})
    do({"type": "RemoveReference", "eid": "art_1", "target": "un-charter-1945", "target_eid": "art_51"})
    cited = do({"type": "AttachCitation", "source": "usc-dornsife-2023", "locator": "para. 1", "supports": "art_1"})
    do({"type": "DetachCitation", "citation_id": cited["events"][0]["payload"]["citation_id"]})
    do({"type": "CorrectEvent", "event_id": lifecycle["events"][0]["event_id"], "reason": "Typo.",
        "corrections": {"date": "2012-07-01"}})
    do({"type": "RecordRegistration", "registration_number": "I-1", "date": "2012-08", "registering_body": "UN"})
    do({"type": "NameDepositary", "depositary": "Secretary-General of the United Nations"})
    coded = do({"type": "CodeObligation", "eid": "art_1", "obligation": "consultation", "modality": "obliges"})
    do({"type": "UncodeObligation", "obligation_id": coded["events"][0]["payload"]["obligation_id"],
        "reason": "Misread."})
    do({"type": "SubmitForReview"})
    do({"type": "ReturnToDraft", "note": "Cite article 1."}, reviewer_client)
    do({"type": "SubmitForReview"})
    do({"type": "Publish", "uncited_reason": "A test draft."}, reviewer_client)
    do({"type": "Unpublish", "note": "Withdrawn for checks."}, reviewer_client)
    types = [e["type"] for e in client.get(f"/api/v1/agreements/{draft}/events/", {"limit": 1000}).json()["results"]]
    assert {"DetailsEdited", "PartyRemoved", "ClauseRenumbered", "ClauseRepealed", "RelationRemoved",
            "ReferenceRemoved", "CitationDetached", "EventCorrected", "Published", "Unpublished",
            "ObligationCoded", "ObligationUncoded", "ReturnedToDraft", "RegistrationRecorded",
            "DepositaryNamed"} <= set(types)


def test_an_unknown_source_is_a_409_not_a_500(archivist_client, draft):
    version = version_of(archivist_client, draft)
    response = send(archivist_client, draft, {"type": "AttachCitation", "source": "no-such-source"}, version)
    assert response.status_code == 409 and response.json()["rule"] == "unknown_source"


@pytest.mark.parametrize("source", ["²", "9" * 40, "12", "key with spaces"])
def test_a_source_that_is_not_a_key_is_a_400_naming_the_field(archivist_client, draft, source):
    version = version_of(archivist_client, draft)
    response = send(archivist_client, draft, {"type": "AttachCitation", "source": source}, version)
    assert response.status_code == 400 and "source" in response.json()["errors"]


# ------------------------------------------------------------------ registration and depositary, hostile input

REGISTRATION = {"type": "RecordRegistration", "registration_number": "I-1", "date": "2013-01-10",
                "registering_body": "UN Secretariat"}
DEPOSITARY = {"type": "NameDepositary", "depositary": "Secretary-General of the United Nations"}


def refused_writes_nothing(client, slug, body):
    before = StoredEvent.objects.count()
    response = send(client, slug, body, version_of(client, slug))
    assert StoredEvent.objects.count() == before
    return response


@pytest.mark.parametrize("body, field", [
    ({**REGISTRATION, "registration_number": "I-\x001"}, "registration_number"),
    ({**REGISTRATION, "registering_body": "UN\x00"}, "registering_body"),
    ({**REGISTRATION, "date": "2013\x00"}, "date"),
    ({**DEPOSITARY, "depositary": "Secretary\x00-General"}, "depositary"),
])
def test_a_nul_byte_in_a_registration_or_depositary_is_a_400_naming_the_field(archivist_client, draft, body, field):
    response = refused_writes_nothing(archivist_client, draft, body)
    assert response.status_code == 400 and field in response.json()["detail"]


@pytest.mark.parametrize("body, field", [
    ({**REGISTRATION, "registration_number": "1" * 10_000}, "registration_number"),
    ({**REGISTRATION, "registering_body": "x" * 10_000}, "registering_body"),
    ({**REGISTRATION, "date": "2" * 10_000}, "date"),
    ({**DEPOSITARY, "depositary": "x" * 10_000}, "depositary"),
])
def test_a_ten_thousand_character_value_is_a_400_naming_the_field(archivist_client, draft, body, field):
    response = refused_writes_nothing(archivist_client, draft, body)
    assert response.status_code == 400 and list(response.json()["errors"]) == [field]
    assert len(response.content) < 2000  # the message quotes the value cut short, not 10,000 characters


@pytest.mark.parametrize("date", ["Y170000000", "-0500", "0000", "2013-02-30"])
def test_a_registration_date_the_registry_cannot_hold_is_a_400(archivist_client, draft, date):
    response = refused_writes_nothing(archivist_client, draft, {**REGISTRATION, "date": date})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["date"]


def test_a_depositary_code_of_no_party_is_a_409_with_advice(archivist_client, draft):
    response = refused_writes_nothing(archivist_client, draft, {**DEPOSITARY, "depositary": "ZZZ"})
    assert response.status_code == 409
    assert (response.json()["rule"], response.json()["field"]) == ("unknown_party", "depositary")
    assert "name in full" in response.json()["detail"]


def test_a_registration_before_the_signature_is_a_409_saying_why(archivist_client, draft):
    """The draft was signed on 2012-05-01 (make_agreement)."""
    response = refused_writes_nothing(archivist_client, draft, {**REGISTRATION, "date": "2012-04-30"})
    assert response.status_code == 409
    assert (response.json()["rule"], response.json()["field"]) == ("registered_before_signature", "date")
    assert "registered after it is signed" in response.json()["detail"]
