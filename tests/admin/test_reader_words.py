"""The admin speaks the archivist's words: "short name", "clause reference", dates "as precise as known", a save
counted in changes; the technical term (slug, eId, EDTF, stream version) stays in parentheses for specialists."""

import re

import pytest

from agreements.models import AgreementRecord

from .conftest import add_url, change_url
from .formdata import clause_prefix, form_data

SLUG = "tr-az-strategic-partnership-2010"


@pytest.fixture
def record(db):
    return AgreementRecord.objects.get(slug=SLUG)


def visible_words(html):
    """Labels, headers and help texts: what the archivist reads (not names, ids or values of inputs)."""
    return " ".join(re.findall(r"<(?:label|th|div class=\"help\"|p class=\"help[^\"]*\")[^>]*>(.*?)</", html, re.S))


def test_the_draft_form_asks_for_a_short_name_not_a_slug(archivist_client):
    html = archivist_client.get(add_url()).content.decode()
    assert ">Short name in addresses" in html and "Slug:" not in html
    assert "details: the slug" in html


def test_dates_are_asked_in_words_with_the_format_named_last(archivist_client, record):
    words = visible_words(archivist_client.get(change_url(record)).content.decode())
    assert "EDTF:" not in words and "EDTF;" not in words
    assert "as precise as known: 2010-08-16, 1996-06, 1992, or 2000? if uncertain (EDTF)" in words


def test_clause_fields_say_clause_reference_not_eid(archivist_client, record):
    words = visible_words(archivist_client.get(change_url(record)).content.decode())
    assert not re.search(r"\beId\b", words.replace("Akoma Ntoso eId", ""))
    assert "Clause reference" in words


def test_the_agreement_list_heads_the_slug_column_in_words(archivist_client, record):
    html = archivist_client.get("/admin/agreements/agreementrecord/").content.decode()
    assert "short name (slug)" in html.lower()


def test_a_save_is_counted_in_changes_with_the_version_as_details(archivist_client, record):
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_9")
    data.update({f"{prefix}-text": "Defence cooperation covers exercises only.", f"{prefix}-effective": "2015-01-01",
                 "_continue": "1"})
    response = archivist_client.post(change_url(record), data, follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "now at version" not in message
    record.refresh_from_db()
    assert message.startswith(f"Saved “{record.title}”: 1 change recorded (details: 1 event, stream version "
                              f"{record.version}).")


@pytest.mark.parametrize("url", ["/admin/sources/source/add/", "/admin/sources/party/add/"])
def test_reference_data_forms_ask_for_dates_in_words(admin_client, url):
    words = visible_words(admin_client.get(url).content.decode())
    assert "as precise as known" in words and not re.search(r">\s*EDTF( date)?\s*<", admin_client.get(url).content.decode())


def test_the_agreement_list_and_history_count_changes_not_versions(archivist_client, record):
    from .conftest import history_url

    listing = archivist_client.get("/admin/agreements/agreementrecord/").content.decode().lower()
    assert "changes recorded" in listing and ">version<" not in listing
    history = archivist_client.get(history_url(record)).content.decode()
    assert "<th>change no.</th>" in history and "is an event" not in history
