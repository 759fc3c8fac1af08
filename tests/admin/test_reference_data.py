"""Parties and sources: edited directly, with history, who changed what and revert (simple-history)."""

import pytest
from django.urls import reverse

from sources.models import Party
from sources.models import Source


def party_data(party, **changes):
    data = {
        "code": party.code, "name": party.name, "kind": party.kind, "iso3166": party.iso3166,
        "wikidata": party.wikidata, "note": party.note,
        "predecessor": party.predecessor_id or "", "parent": party.parent_id or "",
        "names-TOTAL_FORMS": "0", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "0", "names-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_party_with_names_over_time_and_a_predecessor(archivist_client):
    ottoman = Party.objects.get(code="OTTOMAN")
    data = party_data(Party(code="TST", name="Testland", kind="state"), predecessor=ottoman.pk, **{
        "names-TOTAL_FORMS": "2",
        "names-0-name": "Old Testland", "names-0-language": "en", "names-0-valid_from": "1920", "names-0-valid_to": "1990",
        "names-1-name": "Testland", "names-1-language": "en", "names-1-valid_from": "1990",
    })
    response = archivist_client.post(reverse("admin:sources_party_add"), data)
    assert response.status_code == 302
    party = Party.objects.get(code="TST")
    assert [n.name for n in party.names.all()] == ["Old Testland", "Testland"]
    assert party.predecessor == ottoman
    page = archivist_client.get(reverse("admin:sources_party_change", args=[ottoman.pk])).content.decode()
    assert "Testland (TST)" in page  # successors are shown on the predecessor


def test_invalid_edtf_in_a_party_name_is_a_form_error(archivist_client):
    data = party_data(Party(code="TST", name="Testland", kind="state"), **{
        "names-TOTAL_FORMS": "1", "names-0-name": "Testland", "names-0-language": "en", "names-0-valid_from": "1990-13",
    })
    response = archivist_client.post(reverse("admin:sources_party_add"), data)
    assert response.status_code == 200
    assert not Party.objects.filter(code="TST").exists()
    assert "not a valid EDTF date" in response.content.decode()


def test_party_history_records_who_changed_what_and_revert_restores(archivist_client, staff_archivist):
    party = Party.objects.get(code="TUR")
    old_name = party.name
    url = reverse("admin:sources_party_change", args=[party.pk])
    assert archivist_client.post(url, party_data(party, name="Renamed Türkiye")).status_code == 302
    latest = party.history.order_by("-history_id").first()
    assert (latest.name, latest.history_user) == ("Renamed Türkiye", staff_archivist)
    history_page = archivist_client.get(reverse("admin:sources_party_history", args=[party.pk])).content.decode()
    assert "ada-archivist" in history_page
    before = party.history.filter(name=old_name).order_by("-history_id").first()
    revert_url = reverse("admin:sources_party_simple_history", args=[party.pk, before.history_id])
    assert archivist_client.post(revert_url, party_data(party, name=old_name)).status_code == 302
    assert Party.objects.get(pk=party.pk).name == old_name


def test_party_code_is_permanent(archivist_client):
    party = Party.objects.get(code="TUR")
    url = reverse("admin:sources_party_change", args=[party.pk])
    response = archivist_client.post(url, party_data(party, code="TRK"))
    assert response.status_code == 200 and Party.objects.filter(code="TUR").exists()


def source_data(source, **changes):
    data = {k: getattr(source, k) for k in ("key", "title", "publisher", "author", "published", "url", "language",
                                            "kind", "perspective", "snapshot_text")}
    data.update(changes)
    return data


def test_source_edit_is_in_its_history_and_snapshot_gets_a_hash(archivist_client):
    source = Source.objects.order_by("pk").first()
    url = reverse("admin:sources_source_change", args=[source.pk])
    response = archivist_client.post(url, source_data(source, perspective="Pro-government outlet.",
                                                      snapshot_text="Stored text."))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.perspective == "Pro-government outlet." and len(source.snapshot_sha256) == 64
    assert source.history.order_by("-history_id").first().history_user.username == "ada-archivist"


def test_source_with_invalid_date_is_refused(archivist_client):
    source = Source.objects.order_by("pk").first()
    url = reverse("admin:sources_source_change", args=[source.pk])
    response = archivist_client.post(url, source_data(source, published="yesterday"))
    assert response.status_code == 200 and "not a valid EDTF date" in response.content.decode()


@pytest.mark.parametrize("term", ["usc", "Dornsife"])
def test_source_autocomplete_for_citations_answers_archivists(archivist_client, term):
    url = reverse("admin:autocomplete")
    response = archivist_client.get(url, {"term": term, "app_label": "agreements", "model_name": "citation",
                                          "field_name": "source"})
    assert response.status_code == 200
    assert any("Dornsife" in r["text"] for r in response.json()["results"])
