"""Correcting a typo in a clause's text: offered beside the text on the change page, in words; it corrects the
event that set the text (no effective date asked, no amendment), and the public pages say the text was
corrected and when (record time)."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.domain.commands import AddClause, AmendClause
from agreements.models import AgreementRecord
from agreements.queries.clauses import clause_at
from registry.eventstore.models import StoredEvent

from .conftest import change_url
from .formdata import form_data

SLUG = "tr-az-strategic-partnership-2010"
CLAUSE_PAGE = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/art_90/"
AGREEMENT_PAGE = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/"


@pytest.fixture
def record(db):
    services.handle(AddClause(eid="art_90", number="90", text="The partys shall consult.", text_kind="official",
                              effective="2010"), slug=SLUG)
    return AgreementRecord.objects.get(slug=SLUG)


def added_event():
    return StoredEvent.objects.get(stream_id=f"agreement:{SLUG}", type="ClauseAdded", payload__eid="art_90")


def correct_text_url(record, event):
    return reverse("admin:agreements_agreementrecord_correct", args=[record.pk, event.event_id]) + "?only=text"


def test_the_change_page_offers_to_correct_a_clause_text_beside_it_in_words(archivist_client, record):
    html = archivist_client.get(change_url(record)).content.decode()
    row = html[html.index('id="clause-art_90"'):]
    row = row[:row.index("</tr>")]
    assert f'href="{correct_text_url(record, added_event())}"' in row
    assert "Correct a typo in this text" in row


def test_an_amended_clause_offers_to_correct_the_amendments_text(archivist_client, record):
    services.handle(AmendClause(eid="art_90", text="The partys shall consult each month.", effective="2015"),
                    slug=SLUG)
    amended = StoredEvent.objects.get(stream_id=f"agreement:{SLUG}", type="ClauseAmended", payload__eid="art_90")
    html = archivist_client.get(change_url(record)).content.decode()
    assert f'href="{correct_text_url(record, amended)}"' in html


def test_the_text_correction_form_asks_for_the_text_and_a_reason_only(archivist_client, record):
    response = archivist_client.get(correct_text_url(record, added_event()))
    assert set(response.context["form"].fields) == {"version", "base", "text", "reason"}
    assert "not an amendment" in response.content.decode()


def test_correcting_a_text_corrects_the_event_that_set_it_without_amending(archivist_client, record):
    url = correct_text_url(record, added_event())
    data = form_data(archivist_client.get(url), "correct_form")
    data.update({"text": "The parties shall consult.", "reason": "typo in our copy"})
    response = archivist_client.post(url, data)
    assert response.status_code == 302 and response.url == change_url(record)
    last = StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").order_by("-stream_version").first()
    assert (last.type, last.payload["event_id"], last.payload["corrections"]) == (
        "EventCorrected", str(added_event().event_id), {"text": "The parties shall consult."})
    view = clause_at(SLUG, "art_90")
    assert [v.text for v in view.versions] == ["The parties shall consult."]  # one version: no amendment


def test_the_public_clause_page_says_the_text_was_corrected_and_when(client, archivist_client, record):
    assert "corrected this text" not in client.get(CLAUSE_PAGE).content.decode()
    url = correct_text_url(record, added_event())
    data = form_data(archivist_client.get(url), "correct_form")
    data.update({"text": "The parties shall consult.", "reason": "typo in our copy"})
    archivist_client.post(url, data)
    corrected = StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").order_by("-stream_version").first()
    day = f"{corrected.recorded_at.day} {corrected.recorded_at:%B %Y}"
    html = client.get(CLAUSE_PAGE).content.decode()
    assert f"The registry corrected this text on {day}" in html
    assert "The parties shall consult." in html


def test_the_public_agreement_page_marks_a_corrected_text_with_its_date(client, record):
    assert "Text corrected on" not in client.get(AGREEMENT_PAGE).content.decode()
    services.handle_many([_correction(added_event(), "The parties shall consult.")], slug=SLUG)
    corrected = StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").order_by("-stream_version").first()
    html = client.get(AGREEMENT_PAGE).content.decode()
    node = html[html.index('<li id="art_90">'):]
    assert f"Text corrected on {corrected.recorded_at.day} {corrected.recorded_at:%B %Y}" in node[:node.index("</li>")]


def test_a_page_read_as_known_before_the_correction_does_not_mention_it(client, record):
    before = StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").order_by("-stream_version").first().recorded_at
    services.handle(_correction(added_event(), "The parties shall consult."), slug=SLUG)
    html = client.get(CLAUSE_PAGE, {"known_at": before.isoformat()}).content.decode()
    assert "The partys shall consult." in html and "corrected this text" not in html


def _correction(event, text):
    from agreements.domain.commands import parse_command

    return parse_command("CorrectEvent", {"event_id": str(event.event_id), "reason": "typo",
                                          "corrections": {"text": text}})


def _renumber_art_90():
    from agreements.domain.commands import RenumberClause

    services.handle(RenumberClause(eid="art_90", new_eid="art_91", number="91", effective="2015"), slug=SLUG)


def test_a_renumbered_clause_offers_to_correct_the_event_that_set_its_text(archivist_client, record):
    _renumber_art_90()
    html = archivist_client.get(change_url(record)).content.decode()
    row = html[html.index('id="clause-art_91"'):]
    assert f'href="{correct_text_url(record, added_event())}"' in row[:row.index("</tr>")]


def test_correcting_a_renumbered_clauses_text_reaches_its_current_version_and_rebuilds_alike(client, record):
    from agreements.projections.rebuild import projection_hash, rebuild

    _renumber_art_90()
    services.handle(_correction(added_event(), "The parties shall consult."), slug=SLUG)
    assert [v.text for v in clause_at(SLUG, "art_91").versions] == ["The parties shall consult."] * 2
    html = client.get(CLAUSE_PAGE.replace("art_90", "art_91")).content.decode()
    assert "The parties shall consult." in html and "The registry corrected this text on" in html
    before = projection_hash()
    rebuild()
    assert projection_hash() == before
