"""Bad input comes back as an error next to the field that caused it, and nothing is half-saved."""

import pytest

from agreements import services
from agreements.domain.commands import RepealClause
from agreements.models import AgreementRecord

from .conftest import change_url
from .formdata import clause_prefix, form_data

SLUG = "tr-az-strategic-partnership-2010"


@pytest.fixture
def record():
    return AgreementRecord.objects.get(slug=SLUG)


def post(client, record, **changes):
    data = form_data(client.get(change_url(record)))
    data.update(changes)
    data["_continue"] = "1"
    return client.post(change_url(record), data)


def row_form(response, formset, eid=None, index=0):
    formset = getattr(response.context["editor"], formset)
    if eid is None:
        return formset.forms[index]
    return next(f for f in formset.forms if f.eid_value == eid)


def assert_nothing_saved(record):
    assert AgreementRecord.objects.get(pk=record.pk).version == record.version


def test_invalid_edtf_date_is_an_error_next_to_the_date(archivist_client, record):
    response = post(archivist_client, record, **{"newclauses-0-eid": "art_30", "newclauses-0-text": "New.",
                                                 "newclauses-0-text_kind": "summary",
                                                 "newclauses-0-effective": "2010-13-45"})
    assert response.status_code == 200
    assert "not a valid EDTF date" in row_form(response, "new_clauses").errors["effective"][0]
    assert_nothing_saved(record)


def test_invalid_edtf_date_of_an_amendment_is_an_error_on_its_row(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_2")
    response = post(archivist_client, record, **{f"{prefix}-text": "Changed.", f"{prefix}-effective": "June 2010"})
    assert "not a valid EDTF date" in row_form(response, "clauses", eid="art_2").errors["effective"][0]
    assert_nothing_saved(record)


def test_amendment_without_effective_date_asks_for_it(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_2")
    response = post(archivist_client, record, **{f"{prefix}-text": "Changed."})
    message = row_form(response, "clauses", eid="art_2").errors["effective"][0]
    assert message.startswith("An amended text needs the date it takes effect")
    assert_nothing_saved(record)


def test_repeal_without_effective_date_asks_for_it(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_2")
    response = post(archivist_client, record, **{f"{prefix}-repeal": "on"})
    assert row_form(response, "clauses", eid="art_2").errors["effective"][0].startswith("A repeal needs the date")
    assert_nothing_saved(record)


def test_duplicate_eid_is_an_error_next_to_the_eid(archivist_client, record):
    response = post(archivist_client, record, **{"newclauses-1-eid": "art_1", "newclauses-1-text": "Again.",
                                                 "newclauses-1-text_kind": "summary"})
    errors = row_form(response, "new_clauses", index=1).errors
    assert "already used" in errors["eid"][0]
    html = response.content.decode()
    assert html.index("already used") < html.index('name="newclauses-1-eid"')  # rendered in that row's cell
    assert_nothing_saved(record)


def test_amendment_to_a_repealed_clause_is_an_error_on_that_clause(archivist_client, record):
    services.handle(RepealClause(eid="art_9", effective="2020-01-01"), slug=SLUG)
    record.refresh_from_db()
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_9")
    response = post(archivist_client, record, **{f"{prefix}-text": "Revived.", f"{prefix}-effective": "2021"})
    assert "repealed" in row_form(response, "clauses", eid="art_9").errors["text"][0]
    assert_nothing_saved(record)


def test_unknown_party_is_an_error_next_to_the_party(archivist_client, record):
    response = post(archivist_client, record, **{"parties-0-party": "XYZ"})
    assert "no party with code 'XYZ'" in row_form(response, "new_parties").errors["party"][0]
    assert_nothing_saved(record)


def test_lifecycle_fact_for_a_non_party_is_an_error_next_to_the_party(archivist_client, record):
    response = post(archivist_client, record, **{"lifecycle-0-action": "ratification", "lifecycle-0-date": "2011",
                                                 "lifecycle-0-party": "UN"})
    assert "not a party" in row_form(response, "lifecycle").errors["party"][0]
    assert_nothing_saved(record)


def test_a_refusal_late_in_a_save_undoes_the_valid_commands_before_it(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_1")
    response = post(archivist_client, record, **{
        "details-place": "Baku",  # valid: EditDetails runs first
        f"{prefix}-text": "Valid amendment.", f"{prefix}-effective": "2012",  # valid
        "references-0-eid": "art_1", "references-0-target": "no-such-agreement",  # refused last
    })
    assert "no-such-agreement" in response.context["editor"].new_references.forms[0].errors["target"][0]
    assert_nothing_saved(record)
    html = response.content.decode()
    assert "Valid amendment." in html and 'value="Baku"' in html  # the input is kept


def test_unknown_amending_agreement_is_an_error_next_to_by(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_2")
    response = post(archivist_client, record, **{f"{prefix}-text": "Changed.", f"{prefix}-effective": "2012",
                                                 f"{prefix}-by": "no-such-agreement"})
    assert "no-such-agreement" in row_form(response, "clauses", eid="art_2").errors["by"][0]
    assert_nothing_saved(record)


def test_taken_slug_on_the_add_page_is_an_error_next_to_the_slug(archivist_client):
    from .conftest import add_url

    data = form_data(archivist_client.get(add_url()))
    data.update({"details-slug": SLUG, "details-title": "Dup", "details-kind": "treaty", "_save": "1"})
    response = archivist_client.post(add_url(), data)
    assert "already exists" in response.context["editor"].details.errors["slug"][0]


@pytest.mark.parametrize("language, start", [("tr", "Değiştirilmiş bir metin, hüküm doğurduğu tarihi gerektirir"),
                                             ("az", "Dəyişdirilmiş mətn qüvvəyə mindiyi tarixi tələb edir"),
                                             ("ru", "Для изменённого текста нужна дата")])
def test_the_error_next_to_the_field_is_in_the_archivists_language(archivist_client, record, language, start):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_2")
    data.update({f"{prefix}-text": "Changed.", "_continue": "1"})
    response = archivist_client.post(change_url(record), data, HTTP_ACCEPT_LANGUAGE=language)
    assert row_form(response, "clauses", eid="art_2").errors["effective"][0].startswith(start)
    assert_nothing_saved(record)
