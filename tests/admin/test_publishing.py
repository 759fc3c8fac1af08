"""Draft -> in review -> published, as buttons and changelist actions; only reviewers publish."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.domain.commands import DraftAgreement
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
    reviewer_client.post(publication_url(draft), {"transition": "publish", "version": draft.version})
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "published"


def test_reviewer_publishes_selected_agreements_with_the_action(reviewer_client, draft):
    response = reviewer_client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert response.status_code == 200
    assert AgreementRecord.objects.get(pk=draft.pk).publication == "published"


def test_action_reports_agreements_it_could_not_move(archivist_client, draft):
    published = AgreementRecord.objects.get(slug="un-charter-1945")
    response = archivist_client.post(
        CHANGELIST, {"action": "submit_for_review", "_selected_action": [draft.pk, published.pk]}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 agreement(s) submitted for review" in m for m in messages)
    assert any(m.startswith("un-charter-1945: Only a draft") for m in messages)


def test_reviewer_unpublishes_back_to_draft(reviewer_client):
    record = AgreementRecord.objects.get(slug="un-charter-1945")
    reviewer_client.post(publication_url(record), {"transition": "unpublish", "version": record.version})
    assert AgreementRecord.objects.get(pk=record.pk).publication == "draft"
