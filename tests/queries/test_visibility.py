"""No identifier of an unpublished agreement reaches the public, wherever a published agreement points at it
(an amending instrument, a relation, a cross-reference, a citation of those): API detail and clause,
the agreement's events, the global feed, the browser's pages, /changes.atom and the home page."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agreements import services
from agreements.domain.commands import parse_command
from agreements.domain.vocabulary import reference_subject, relation_subject
from sources.models import Source

pytestmark = pytest.mark.django_db

SECRET = "secret-protocol-2024"
PUBLIC = "public-treaty-2012"


def run(stream, type_name, **fields):
    return services.handle(parse_command(type_name, fields), slug=stream)


@pytest.fixture
def published_pointing_at_a_draft():
    run(SECRET, "DraftAgreement", slug=SECRET, title="Secret protocol", kind="protocol")
    run(SECRET, "AddClause", eid="art_1", text="Secret text.", text_kind="official", effective="2013")
    run(PUBLIC, "DraftAgreement", slug=PUBLIC, title="Public treaty", kind="treaty", work_date="2012")
    run(PUBLIC, "AddClause", eid="art_1", text="Original text.", text_kind="official", effective="2012")
    run(PUBLIC, "AmendClause", eid="art_1", text="Amended text.", effective="2014", by=SECRET)
    run(PUBLIC, "AddRelation", relation="amends", target=SECRET)
    run(PUBLIC, "AddReference", eid="art_1", target=SECRET, target_eid="art_1")
    source = Source.objects.order_by("id").first()
    for subject in (relation_subject("amends", SECRET), reference_subject("art_1", SECRET, "art_1")):
        run(PUBLIC, "AttachCitation", source=source.key, quote="", supports=subject)
    run(PUBLIC, "Publish", uncited_reason="test texts cite no source")
    return PUBLIC


def public_answers(slug):
    api, browser = APIClient(), Client()
    pages = {
        "API detail": api.get(f"/api/v1/agreements/{slug}/"),
        "API clause": api.get(f"/api/v1/agreements/{slug}/clauses/art_1/"),
        "API events": api.get(f"/api/v1/agreements/{slug}/events/"),
        "API feed": api.get("/api/v1/events/", {"limit": 1000}),
        "API list": api.get("/api/v1/agreements/", {"page_size": 500}),
        "agreement page": browser.get(f"/akn/int/treaty/2012/{slug}/"),
        "clause page": browser.get(f"/akn/int/treaty/2012/{slug}/art_1/"),
        "changes feed": browser.get("/changes.atom"),
        "home page": browser.get("/"),
        "source page": browser.get(f"/sources/{Source.objects.order_by('id').first().key}/"),
        "articles CSV": browser.get(f"/data/agreements/{slug}/articles.csv"),
        "obligations CSV": browser.get("/data/obligations.csv"),
        "API obligations": api.get("/api/v1/obligations/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in pages.items()}


def test_the_public_never_reads_the_slug_of_an_unpublished_agreement(published_pointing_at_a_draft):
    leaks = [name for name, body in public_answers(published_pointing_at_a_draft).items() if SECRET in body]
    assert leaks == []


def test_the_public_reads_that_an_unpublished_agreement_is_involved(published_pointing_at_a_draft):
    assert "an unpublished agreement" in Client().get("/").content.decode()


def test_staff_read_the_slug(published_pointing_at_a_draft, archivist_client):
    detail = archivist_client.get(f"/api/v1/agreements/{PUBLIC}/").content.decode()
    events = archivist_client.get(f"/api/v1/agreements/{PUBLIC}/events/").content.decode()
    assert SECRET in detail and SECRET in events


def test_once_published_the_target_is_named_to_everyone(published_pointing_at_a_draft):
    run(SECRET, "Publish", uncited_reason="test texts cite no source")
    assert SECRET in APIClient().get(f"/api/v1/agreements/{PUBLIC}/").content.decode()


@pytest.fixture
def archivist_client(archivist):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=archivist)[0].key}")
    return client
