"""The history page reads the events (who, when recorded, effective, what, word diffs); corrections start there."""

import re

import pytest
from django.urls import reverse

from agreements import services
from agreements.queries.clauses import clause_at
from agreements.admin.history import word_diff
from agreements.domain.commands import AddClause, AmendClause
from agreements.models import AgreementRecord, LifecycleFact
from registry.eventstore.models import StoredEvent

from .conftest import history_url
from .formdata import form_data

SLUG = "tr-az-strategic-partnership-2010"


@pytest.fixture
def record():
    return AgreementRecord.objects.get(slug=SLUG)


def test_word_diff_marks_removed_and_added_words():
    html = word_diff("the parties may assist", "the parties shall assist")
    assert html == 'the parties <del class="pacta-del">may</del><ins class="pacta-ins">shall</ins> assist'


def test_word_diff_escapes_every_text():
    html = word_diff("a <b>bold</b> claim", "a <script>alert(1)</script> claim")
    assert "<script>" not in html and "<b>" not in html
    assert html.startswith("a &lt;") and html.count("&gt;") == 2
    assert re.sub(r"<del[^>]*>.*?</del>|</?ins[^>]*>", "", html) == "a &lt;script&gt;alert(1)&lt;/script&gt; claim"


def test_history_lists_events_with_who_when_effective_and_what(archivist_client, staff_archivist, record):
    services.handle(AmendClause(eid="art_2", text="The parties shall give each other assistance.",
                                effective="2015-05-01"), slug=SLUG, user=staff_archivist)
    response = archivist_client.get(history_url(record))
    rows = response.context["rows"]
    assert len(rows) == StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").count()
    newest = rows[0]
    assert newest["entry"].event.actor == "ada-archivist"
    assert newest["entry"].event.effective == "2015-05-01"
    assert newest["what"] == "art_2 amended with effect from 2015-05-01"
    assert '<del class="pacta-del">may</del>' in newest["change"]
    html = response.content.decode()
    assert "ada-archivist" in html and '<ins class="pacta-ins">shall</ins>' in html


def test_clause_text_is_escaped_on_the_history_and_change_pages(archivist_client, record):
    services.handle(AddClause(eid="art_40", text="<script>alert('x')</script> & more", text_kind="summary"), slug=SLUG)
    services.handle(AmendClause(eid="art_40", text="<img src=x onerror=alert(1)> & less", effective="2020"), slug=SLUG)
    for url in (history_url(record), reverse("admin:agreements_agreementrecord_change", args=[record.pk])):
        html = archivist_client.get(url).content.decode()
        assert "<script>alert('x')" not in html and "<img src=x" not in html
        # The history's diff splits the text into pieces; without the deletions and our <ins> tags it reads whole.
        text = re.sub(r'<del class="pacta-del">.*?</del>|</?ins[^>]*>', "", html)
        assert "&lt;img src=x onerror=alert(1)&gt;" in text


def correct_url(record, event):
    return reverse("admin:agreements_agreementrecord_correct", args=[record.pk, event.event_id])


def signature_event():
    return StoredEvent.objects.get(stream_id=f"agreement:{SLUG}", type="LifecycleRecorded", payload__action="signature")


def test_correcting_an_event_needs_a_reason(archivist_client, record):
    data = form_data(archivist_client.get(correct_url(record, signature_event())), "correct_form")
    data.update({"date": "2010-08-17", "reason": ""})
    response = archivist_client.post(correct_url(record, signature_event()), data)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert AgreementRecord.objects.get(pk=record.pk).version == record.version


def test_correction_supersedes_the_fact_and_keeps_the_original_in_history(archivist_client, record):
    event = signature_event()
    data = form_data(archivist_client.get(correct_url(record, event)), "correct_form")
    assert data["date"] == "2010-08-16"
    data.update({"date": "2010-08-17", "reason": "The day is given by the official gazette."})
    response = archivist_client.post(correct_url(record, event), data)
    assert response.status_code == 302 and response.url == history_url(record)
    last = StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").order_by("-stream_version").first()
    assert (last.type, last.payload["corrections"], last.actor) == ("EventCorrected", {"date": "2010-08-17"},
                                                                    "ada-archivist")
    current = LifecycleFact.objects.get(agreement=record, action="signature", known_to__isnull=True)
    assert current.date == "2010-08-17"
    assert StoredEvent.objects.get(pk=event.pk).payload["date"] == "2010-08-16"  # the original event is untouched
    html = archivist_client.get(history_url(record)).content.decode()
    assert "The day is given by the official gazette." in html


def test_a_correction_that_changes_nothing_is_refused(archivist_client, record):
    event = signature_event()
    data = form_data(archivist_client.get(correct_url(record, event)), "correct_form")
    data["reason"] = "No change really."
    response = archivist_client.post(correct_url(record, event), data)
    assert "Change at least one field" in response.content.decode()


def test_a_correction_breaking_a_rule_is_an_error_next_to_the_field(archivist_client, record):
    event = signature_event()
    data = form_data(archivist_client.get(correct_url(record, event)), "correct_form")
    data.update({"date": "not a date", "reason": "typo"})
    response = archivist_client.post(correct_url(record, event), data)
    assert "not a valid EDTF date" in response.context["form"].errors["date"][0]


def test_events_that_cannot_be_corrected_have_no_correction_page(archivist_client, record):
    published = StoredEvent.objects.get(stream_id=f"agreement:{SLUG}", type="Published")
    assert archivist_client.get(correct_url(record, published)).status_code == 404


def test_correcting_a_clause_text_shows_a_word_diff_in_history(archivist_client, record):
    added = StoredEvent.objects.get(stream_id=f"agreement:{SLUG}", type="ClauseAdded", payload__eid="art_1")
    data = form_data(archivist_client.get(correct_url(record, added)), "correct_form")
    data.update({"text": data["text"].replace("act together", "act jointly"), "reason": "Closer to the source."})
    assert archivist_client.post(correct_url(record, added), data).status_code == 302
    rows = archivist_client.get(history_url(record)).context["rows"]
    assert rows[0]["entry"].event.type == "EventCorrected"
    assert '<del class="pacta-del">together</del><ins class="pacta-ins">jointly</ins>' in rows[0]["change"]
    assert "act jointly" in clause_at(SLUG, "art_1").current.text


def test_correction_on_a_stale_version_shows_what_changed_and_keeps_the_input(archivist_client, record):
    event = signature_event()
    data = form_data(archivist_client.get(correct_url(record, event)), "correct_form")
    services.handle(AmendClause(eid="art_2", text="Changed meanwhile.", effective="2012"), slug=SLUG)
    data.update({"date": "2010-08-17", "reason": "Gazette."})
    response = archivist_client.post(correct_url(record, event), data)
    html = response.content.decode()
    assert response.status_code == 200 and "someone else changed this agreement" in html
    assert "art_2 amended" in html and 'value="2010-08-17"' in html
    assert not StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}", type="EventCorrected").exists()
