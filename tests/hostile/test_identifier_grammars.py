"""Every identifier grammar matches the whole text: Python's `$` also matches before a final newline, so
"x\\n" used to pass as a slug and "art_9\\n" as an eId, and every page built from them answered 500. What
may already be stored that way is read back repaired (domain/identifiers.py)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agreements import services
from agreements.domain import vocabulary
from agreements.domain.identities import stream_id
from agreements.domain.commands import parse_command
from agreements.domain.errors import InvalidCommand
from agreements.models import AgreementRecord
from registry.eventstore import store
from registry.eventstore.store import NewEvent

GRAMMARS = [(vocabulary.SLUG_RE, "x"), (vocabulary.EID_RE, "art_9"), (vocabulary.PARTY_CODE_RE, "TUR"), (vocabulary.LANGUAGE_RE, "tr"),
            (vocabulary.WORK_URI_RE, "/akn/int/treaty/2010/x"), (vocabulary.UUID_RE, "0b7c2f4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f")]


@pytest.mark.parametrize("grammar,valid", GRAMMARS)
def test_a_grammar_refuses_its_valid_value_with_a_final_newline(grammar, valid):
    assert grammar.match(valid) and not grammar.match(valid + "\n")


def test_a_draft_with_a_slug_ending_in_a_newline_is_refused():
    with pytest.raises(InvalidCommand):
        parse_command("DraftAgreement", {"slug": "x\n", "title": "X", "kind": "treaty"})


def test_a_clause_eid_ending_in_a_newline_is_refused():
    with pytest.raises(InvalidCommand):
        parse_command("AddClause", {"eid": "art_9\n", "text": "T", "text_kind": "official"})


@pytest.mark.django_db
def test_the_api_refuses_a_slug_ending_in_a_newline_naming_the_field(archivist):
    client = APIClient()
    client.force_authenticate(archivist)
    response = client.post("/api/v1/agreements/", {"slug": "x\n", "title": "X", "kind": "treaty"}, format="json")
    assert response.status_code == 400 and "slug" in response.json()["errors"]


@pytest.fixture
def stored_with_newlines(db):
    """An agreement stored before the fix: drafted as "x\\n", with a clause "art_9\\n", published."""
    sid = stream_id("x\n")
    recorded = store.append(sid, 0, [
        NewEvent("AgreementDrafted", {"slug": "x\n", "title": "Stored before the fix", "kind": "treaty",
                                      "work_uri": "/akn/int/treaty/2010/x", "work_date": "2010"}),
        NewEvent("ClauseAdded", {"clause_id": "6f1d2c3b-0a4e-4b5c-9d8e-7f6a5b4c3d2e", "eid": "art_9\n", "text": "Ninth.", "text_kind": "official"}),
        NewEvent("Published", {}),
    ])
    services.project("x\n", recorded)
    return sid


def test_a_stored_slug_and_eid_with_a_final_newline_are_read_without_it(stored_with_newlines):
    record = AgreementRecord.objects.get(stream_id=stored_with_newlines)
    assert record.slug == "x"
    assert list(record.clause_versions.values_list("eid", flat=True)) == ["art_9"]


def test_the_api_detail_of_an_agreement_stored_with_newlines_answers(stored_with_newlines):
    response = APIClient().get("/api/v1/agreements/x/")
    assert response.status_code == 200
    assert [c["eid"] for c in response.json()["clauses"]] == ["art_9"]


def test_the_public_pages_of_an_agreement_stored_with_newlines_answer(stored_with_newlines):
    client = Client()
    assert client.get("/akn/int/treaty/2010/x/").status_code in (200, 301, 302)
    assert client.get("/akn/int/treaty/2010/x/art_9/").status_code in (200, 301, 302)
    assert client.get("/").status_code == 200


def test_the_staff_list_holding_an_agreement_stored_with_newlines_answers(stored_with_newlines, admin_client):
    assert admin_client.get("/admin/agreements/agreementrecord/").status_code == 200


@pytest.mark.django_db
def test_the_api_refuses_a_title_of_only_zero_width_spaces_naming_the_field(archivist):
    client = APIClient()
    client.force_authenticate(archivist)
    response = client.post("/api/v1/agreements/", {"slug": "zw", "title": "\u200b\u200b", "kind": "treaty"},
                           format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
