"""Draft -> in review -> published, as buttons and changelist actions; only reviewers publish."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.domain.commands import DraftAgreement, SubmitForReview
from agreements.models import AgreementRecord

from .conftest import change_url

CHANGELIST = reverse("admin:agreements_agreementrecord_changelist")


@pytest.fixture
def draft(staff_archivist):
    services.handle(DraftAgreement(slug="tr-az-draft-2025", title="A Draft", kind="memorandum"), user=staff_archivist)
    return AgreementRecord.objects.get(slug="tr-az-draft-2025")


def publication_url(record):
    return reverse("admin:agreements_agreementrecord_publication", args=[record.pk])


def test_archivist_submits_a_draft_for_review_with_the_button(archivist_client, draft):
    response = archivist_client.post(publication_url(draft), {"transition": "submit", "version": draft.version})
    assert response.status_code == 302
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "in_review"


def test_archivist_may_not_publish(archivist_client, draft):
    archivist_client.post(publication_url(draft), {"transition": "submit", "version": draft.version})
    draft.refresh_from_db()
    response = archivist_client.post(publication_url(draft), {"transition": "publish", "version": draft.version})
    assert response.status_code == 403
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "in_review"


def test_archivist_sees_no_publish_button_or_action(archivist_client, draft):
    page = archivist_client.get(change_url(draft)).content.decode()
    assert 'value="submit"' in page and 'value="publish"' not in page
    actions = dict(archivist_client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "submit_for_review" in actions and "publish" not in actions and "unpublish" not in actions


def test_reviewer_publishes_with_the_button(reviewer_client, draft):
    assert 'value="publish"' in reviewer_client.get(change_url(draft)).content.decode()
    reviewer_client.post(publication_url(draft), {"transition": "publish", "version": draft.version,
                                                  "uncited_reason": "The sources are on their way."})
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "published"


def test_the_reviewer_is_warned_of_uncited_facts_with_their_count(reviewer_client, draft):
    page = reviewer_client.get(change_url(draft)).content.decode()
    assert "1 fact cites no source" in page and 'name="uncited_reason"' in page


def test_publishing_uncited_facts_without_a_reason_is_refused(reviewer_client, draft):
    response = reviewer_client.post(publication_url(draft), {"transition": "publish", "version": draft.version},
                                    follow=True)
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "draft"
    assert any("1 fact cites no source" in str(m) for m in response.context["messages"])


def test_the_reason_to_publish_uncited_facts_is_recorded_in_the_event(reviewer_client, draft):
    from registry.eventstore.models import StoredEvent

    reviewer_client.post(publication_url(draft), {"transition": "publish", "version": draft.version,
                                                  "uncited_reason": "Archive copy only."})
    payload = StoredEvent.objects.get(stream_id="agreement:tr-az-draft-2025", type="Published").payload
    assert (payload["uncited_facts"], payload["uncited_reason"]) == (1, "Archive copy only.")


def test_a_fully_cited_agreement_shows_no_warning(reviewer_client):
    record = AgreementRecord.objects.get(slug="tr-az-strategic-partnership-2010")
    assert "cites no source" not in reviewer_client.get(change_url(record)).content.decode()


def test_the_changelist_action_reports_uncited_facts_instead_of_publishing(reviewer_client, draft):
    response = reviewer_client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert response.status_code == 200
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "draft"
    assert any("cites no source" in str(m) for m in response.context["messages"])


def test_unpublish_is_offered_on_published_agreements_only(reviewer_client, draft):
    assert 'value="unpublish"' not in reviewer_client.get(change_url(draft)).content.decode()
    services.handle(SubmitForReview(), slug=draft.slug)
    assert 'value="unpublish"' not in reviewer_client.get(change_url(draft)).content.decode()
    published = AgreementRecord.objects.get(slug="un-charter-1945")
    assert 'value="unpublish"' in reviewer_client.get(change_url(published)).content.decode()


def test_reviewer_returns_an_agreement_in_review_to_draft_with_a_comment(reviewer_client, archivist_client, draft):
    services.handle(SubmitForReview(), slug=draft.slug)
    draft.refresh_from_db()
    assert 'value="return"' in reviewer_client.get(change_url(draft)).content.decode()
    reviewer_client.post(publication_url(draft), {"transition": "return", "version": draft.version,
                                                  "note": "Cite the signature date."})
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "draft"
    assert "Cite the signature date." in archivist_client.get(change_url(draft)).content.decode()


def test_returning_to_draft_needs_a_comment(reviewer_client, draft):
    services.handle(SubmitForReview(), slug=draft.slug)
    draft.refresh_from_db()
    response = reviewer_client.post(publication_url(draft), {"transition": "return", "version": draft.version},
                                    follow=True)
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "in_review"
    assert any("Say what the archivist should change" in str(m) for m in response.context["messages"])


def test_transitions_appear_in_recent_actions(reviewer_client, draft):
    from django.contrib.admin.models import LogEntry

    reviewer_client.post(publication_url(draft), {"transition": "publish", "version": draft.version,
                                                  "uncited_reason": "Test."})
    entry = LogEntry.objects.get(object_id=str(draft.pk))
    assert entry.user.username == "rex-reviewer" and "published" in entry.get_change_message().lower()


def test_action_reports_agreements_it_could_not_move(archivist_client, draft):
    published = AgreementRecord.objects.get(slug="un-charter-1945")
    response = archivist_client.post(
        CHANGELIST, {"action": "submit_for_review", "_selected_action": [draft.pk, published.pk]}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 agreement submitted for review." in m for m in messages)
    assert any(m.startswith("un-charter-1945: Only a draft") for m in messages)


def test_reviewer_unpublishes_back_to_draft(reviewer_client):
    record = AgreementRecord.objects.get(slug="un-charter-1945")
    reviewer_client.post(publication_url(record), {"transition": "unpublish", "version": record.version})
    assert AgreementRecord.objects.get(pk=record.pk).publication == "draft"
