"""The agreement change form writes through commands only: each save is the events it implies, or nothing."""

import pytest

from agreements.queries.agreements import agreement_at
from agreements.queries.clauses import clause_at
from agreements.queries.time import TimePoint
from agreements.models import AgreementRecord, ClauseVersion
from registry.eventstore.models import StoredEvent
from sources.models import Source

from .conftest import add_url, change_url
from .formdata import clause_prefix, form_data

SLUG = "tr-az-strategic-partnership-2010"


def events(slug):
    return list(StoredEvent.objects.filter(stream_id=f"agreement:{slug}").order_by("stream_version"))


def draft_data(client, **overrides):
    data = form_data(client.get(add_url()))
    data.update({
        "details-slug": "tr-az-test-protocol-2024", "details-title": "Test Protocol", "details-kind": "protocol",
        "details-work_date": "2024-03-01",
        "newclauses-0-number": "1", "newclauses-0-heading": "Purpose",
        "newclauses-0-text": "The parties cooperate in training.", "newclauses-0-text_kind": "official",
        "newclauses-1-number": "2", "newclauses-1-text": "Either party may denounce this protocol.",
        "newclauses-1-text_kind": "official",
        "_continue": "1",
    })
    data.update(overrides)
    return data


@pytest.fixture
def record():
    return AgreementRecord.objects.get(slug=SLUG)


def test_drafting_an_agreement_with_parties_and_clauses_is_one_save(archivist_client):
    data = draft_data(archivist_client, **{"parties-0-party": "TUR", "parties-1-party": "AZE",
                                            "lifecycle-0-action": "signature", "lifecycle-0-date": "2024-03-01"})
    response = archivist_client.post(add_url(), data)
    record = AgreementRecord.objects.get(slug="tr-az-test-protocol-2024")
    assert response.status_code == 302 and response.url == change_url(record)
    assert [e.type for e in events(record.slug)] == [
        "AgreementDrafted", "PartyAdded", "PartyAdded", "ClauseAdded", "ClauseAdded", "LifecycleRecorded"]
    view = agreement_at(record.slug, include_unpublished=True)
    assert [(c.eid, c.text_kind) for c in view.clauses] == [("art_1", "official"), ("art_2", "official")]
    assert all(e.actor == "ada-archivist" for e in events(record.slug))


def test_saving_writes_no_projection_row_directly_only_events(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_9")
    data.update({f"{prefix}-text": "Defence cooperation covers exercises only.", f"{prefix}-effective": "2015-01-01",
                 "_continue": "1"})
    before = record.version
    archivist_client.post(change_url(record), data)
    new = events(record.slug)[before:]
    assert [e.type for e in new] == ["ClauseAmended"]
    row = ClauseVersion.objects.get(event_id=new[0].event_id)
    assert (row.text, row.effective) == ("Defence cooperation covers exercises only.", "2015-01-01")


def test_amending_keeps_both_versions_with_their_effective_dates(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_2")
    data.update({f"{prefix}-text": "The parties shall assist each other.", f"{prefix}-effective": "2021-06-15",
                 f"{prefix}-by": "tr-az-shusha-declaration-2021", "_continue": "1"})
    assert archivist_client.post(change_url(record), data).status_code == 302
    clause = clause_at(SLUG, "art_2")
    assert [v.text.split()[0] for v in clause.versions] == ["Should", "The"]
    assert clause.current.amended_by == "tr-az-shusha-declaration-2021"
    before = clause_at(SLUG, "art_2", TimePoint.of(as_of=__import__("datetime").date(2020, 1, 1)))
    assert before.current.text.startswith("Should")


def test_unchanged_form_saves_nothing(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    response = archivist_client.post(change_url(record), {**data, "_continue": "1"})
    assert response.status_code == 200
    assert "Nothing to save" in response.content.decode()
    assert AgreementRecord.objects.get(pk=record.pk).version == record.version


def test_editing_details_sends_only_the_changed_fields(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    data.update({"details-place": "Istanbul", "_continue": "1"})
    archivist_client.post(change_url(record), data)
    last = events(SLUG)[-1]
    assert (last.type, last.payload) == ("DetailsEdited", {"changes": {"place": "Istanbul"}})


def test_repeal_and_renumber_from_the_clause_row(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    p1, p9 = clause_prefix(data, "art_1"), clause_prefix(data, "art_9")
    data.update({f"{p1}-repeal": "on", f"{p1}-effective": "2020-01-01",
                 f"{p9}-new_eid": "art_10", f"{p9}-new_number": "10", f"{p9}-effective": "2020-01-01",
                 "_continue": "1"})
    assert archivist_client.post(change_url(record), data).status_code == 302
    assert [e.type for e in events(SLUG)[-2:]] == ["ClauseRenumbered", "ClauseRepealed"] or \
        [e.type for e in events(SLUG)[-2:]] == ["ClauseRepealed", "ClauseRenumbered"]
    eids = [c.eid for c in agreement_at(SLUG).clauses]
    assert "art_1" not in eids and "art_10" in eids


def test_reference_relation_and_citation_are_added_in_the_same_save(archivist_client, record):
    source = Source.objects.get(key="usc-dornsife-2023")
    data = form_data(archivist_client.get(change_url(record)))
    data.update({
        "references-0-eid": "art_1", "references-0-target": "un-charter-1945", "references-0-target_eid": "art_51",
        "relations-0-relation": "refers_to", "relations-0-target": "un-charter-1945",
        "citations-0-source": str(source.pk), "citations-0-locator": "para. 18", "citations-0-supports": "art_1",
        "citations-0-quote": "they will act together",
        "_continue": "1",
    })
    assert archivist_client.post(change_url(record), data).status_code == 302
    assert [e.type for e in events(SLUG)[-3:]] == ["RelationAdded", "ReferenceAdded", "CitationAttached"]
    # The form picks the source by its row; the event names it by its key, as on every other path.
    assert events(SLUG)[-1].payload["source"] == "usc-dornsife-2023"


def test_removing_a_reference_and_detaching_a_citation(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    citation = agreement_at(SLUG).citations[0]
    data.update({"remove-remove_references": "art_2|un-charter-1945|art_51",
                 "remove-detach_citations": str(citation.citation_id), "_continue": "1"})
    assert archivist_client.post(change_url(record), data).status_code == 302
    assert {e.type for e in events(SLUG)[-2:]} == {"ReferenceRemoved", "CitationDetached"}


def test_more_rows_keeps_the_input_and_saves_nothing(archivist_client):
    data = draft_data(archivist_client)
    data.pop("_continue")
    response = archivist_client.post(add_url(), {**data, "_more_rows": "1"})
    assert response.status_code == 200
    editor = response.context["editor"]
    assert len(editor.new_clauses.forms) == 15
    assert "The parties cooperate in training." in response.content.decode()
    assert not AgreementRecord.objects.filter(slug="tr-az-test-protocol-2024").exists()


def test_published_agreement_stays_editable_and_the_edit_is_public_at_once(archivist_client, record):
    assert record.publication == "published"
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_1")
    data.update({f"{prefix}-text": "Publicly amended text.", f"{prefix}-effective": "2020-01-01", "_continue": "1"})
    response = archivist_client.post(change_url(record), data, follow=True)
    assert "public now" in response.content.decode()
    assert clause_at(SLUG, "art_1").current.text == "Publicly amended text."  # the public read


def test_a_long_agreement_is_edited_a_page_of_clauses_at_a_time(archivist_client, staff_archivist):
    from agreements import services
    from agreements.admin.agreement import CLAUSES_PER_PAGE
    from agreements.domain.commands import AddClause, DraftAgreement

    slug = "tr-az-long-treaty-2000"
    services.handle_many(
        [DraftAgreement(slug=slug, title="A Long Treaty", kind="treaty")]
        + [AddClause(eid=f"art_{n}", number=str(n), text=f"Article {n}.", text_kind="official")
           for n in range(1, CLAUSES_PER_PAGE + 6)],
        slug=slug, user=staff_archivist,
    )
    record = AgreementRecord.objects.get(slug=slug)
    first = archivist_client.get(change_url(record))
    assert len(first.context["clause_rows"]) == CLAUSES_PER_PAGE and 'id="clause-pages"' in first.content.decode()
    url = change_url(record) + "?clauses_page=2"
    data = form_data(archivist_client.get(url))
    assert [k for k in data if k.endswith("-eid") and k.startswith("clauses-")] == [f"clauses-{i}-eid" for i in range(5)]
    prefix = clause_prefix(data, f"art_{CLAUSES_PER_PAGE + 5}")
    data.update({f"{prefix}-text": "Amended last article.", f"{prefix}-effective": "2001", "_continue": "1"})
    response = archivist_client.post(url, data)
    assert response.status_code == 302 and response.url == url
    assert [e.type for e in events(slug)[-1:]] == ["ClauseAmended"]
    assert clause_at(slug, f"art_{CLAUSES_PER_PAGE + 5}", include_unpublished=True).current.text == \
        "Amended last article."


def test_a_new_clause_is_in_effect_from_the_agreements_date_unless_its_row_says_otherwise(archivist_client):
    data = draft_data(archivist_client, **{"newclauses-1-effective": "2024-06"})
    archivist_client.post(add_url(), data)
    clauses = agreement_at("tr-az-test-protocol-2024", include_unpublished=True).clauses
    assert [(c.eid, c.effective) for c in clauses] == [("art_1", "2024-03-01"), ("art_2", "2024-06")]
