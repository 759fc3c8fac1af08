"""Admin edges of the importers: an Akoma Ntoso upload, and "paste the whole text" with a preview first."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.queries.agreements import agreement_for_work
from agreements.queries.clauses import clauses_on
from agreements.models import AgreementRecord
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
IMPORT_URL = reverse("admin:agreements_agreementrecord_import_akn")
TEXT = "Preamble words.\n\nArticle 1\nPurpose\nThe parties cooperate.\n\nArticle 2\nThey consult yearly.\n"


def upload(name, content=None):
    data = content if content is not None else (FIXTURES / "akn" / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/xml")


def paste_url(slug):
    return reverse("admin:agreements_agreementrecord_paste_text", args=[AgreementRecord.objects.get(slug=slug).pk])


def draft(client, slug="paste-test-2020"):
    from agreements import services
    from agreements.domain.commands import DraftAgreement

    services.handle(DraftAgreement(slug=slug, title="Paste test", kind="agreement", work_date="2020-01-01"))
    return slug


def test_the_changelist_offers_the_import(archivist_client):
    page = archivist_client.get(reverse("admin:agreements_agreementrecord_changelist"))
    assert IMPORT_URL in page.content.decode()


def test_an_uploaded_file_becomes_an_agreement(archivist_client):
    response = archivist_client.post(IMPORT_URL, {"files": upload("act-2009.xml")})
    assert response.status_code == 302
    assert agreement_for_work("/akn/za/act/2009/10").publication == "draft"


def test_a_malformed_upload_is_refused_with_its_line_and_writes_nothing(archivist_client):
    count = StoredEvent.objects.count()
    response = archivist_client.post(IMPORT_URL, {"files": upload("malformed.xml")})
    assert response.status_code == 200
    assert "malformed.xml, line 5: not well-formed XML" in response.content.decode()
    assert StoredEvent.objects.count() == count


def test_an_archivist_cannot_publish_on_upload(archivist_client):
    count = StoredEvent.objects.count()
    response = archivist_client.post(IMPORT_URL, {"files": upload("bill.xml"), "publish": "on"})
    assert "needs reviewer rights" in response.content.decode()
    assert StoredEvent.objects.count() == count


def test_a_reviewer_publishes_on_upload(reviewer_client):
    reviewer_client.post(IMPORT_URL, {"files": upload("bill.xml"), "publish": "on"})
    assert agreement_for_work("/akn/ke/bill/2021/7").publication == "published"


def test_pasting_shows_a_preview_and_writes_nothing(archivist_client):
    slug = draft(archivist_client)
    count = StoredEvent.objects.count()
    page = archivist_client.post(paste_url(slug), {"text": TEXT, "language": "en", "effective": "2020-01-01",
                                                   "preview": "Preview"})
    body = page.content.decode()
    assert page.status_code == 200 and "<code>art_1</code>" in body and "The parties cooperate." in body
    assert StoredEvent.objects.count() == count


def test_confirming_writes_the_clauses_as_official_text(archivist_client):
    slug = draft(archivist_client)
    response = archivist_client.post(paste_url(slug), {"text": TEXT, "language": "en", "effective": "2020-01-01",
                                                       "confirm": "Write these clauses"})
    assert response.status_code == 302
    import datetime as dt

    found = clauses_on(slug, dt.date(2020, 1, 1))
    assert set(found) == {"preamble", "art_1", "art_2"}
    assert found["art_1"].heading == "Purpose" and found["art_1"].text_kind == "official"


def test_a_refused_paste_writes_nothing_and_says_why(archivist_client):
    slug = draft(archivist_client)
    archivist_client.post(paste_url(slug), {"text": TEXT, "language": "en", "confirm": "1"})
    count = StoredEvent.objects.count()
    page = archivist_client.post(paste_url(slug), {"text": TEXT, "language": "en", "confirm": "1"})
    assert "Nothing was written" in page.content.decode() and "already used" in page.content.decode()
    assert StoredEvent.objects.count() == count


def test_the_preview_warns_when_the_text_yields_one_clause(archivist_client):
    slug = draft(archivist_client)
    page = archivist_client.post(paste_url(slug), {"text": "Convenio.\nLas Partes cooperarán.\n", "language": "es",
                                                   "preview": "1"})
    body = page.content.decode()
    assert 'id="split-warnings"' in body and "Only 0 clauses besides the preamble" in body
    assert not StoredEvent.objects.filter(type="ClauseAdded", stream_id=f"agreement:{slug}").exists()


def test_an_upload_larger_than_a_request_can_import_is_refused_pointing_at_the_command(archivist_client, settings):
    settings.PACTA_AKN_UPLOAD_MAX_BYTES = 1_000
    count = StoredEvent.objects.count()
    page = archivist_client.post(IMPORT_URL, {"files": upload("act-2009.xml")})
    assert page.status_code == 200 and "python manage.py import_akn FILE" in page.content.decode()
    assert StoredEvent.objects.count() == count
