"""Only published agreements appear: drafts are a 404 and show up in no list, feed or cross-reference."""

import pytest

from .conftest import CHARTER

pytestmark = pytest.mark.django_db

DRAFT = "/akn/int/treaty/2012/secret-draft-2012/"


@pytest.fixture
def draft(make_agreement):
    return make_agreement(
        "secret-draft-2012", "Secret draft agreement",
        [{"eid": "art_1", "number": "1", "text": "Draft wording."}],
        publish=False,
        extra=[("AddReference", {"eid": "art_1", "target": "un-charter-1945", "target_eid": "art_51"}),
               ("AddRelation", {"relation": "refers_to", "target": "un-charter-1945"})],
    )


def test_a_draft_agreement_is_a_404(client, draft):
    assert client.get(DRAFT).status_code == 404
    assert client.get(DRAFT + "@2015-01-01/").status_code == 404


def test_a_draft_clause_and_its_diff_are_404s(client, draft):
    assert client.get(DRAFT + "art_1/").status_code == 404
    assert client.get(DRAFT + "art_1/diff/").status_code == 404


def test_a_draft_appears_in_no_listing(client, draft):
    for url in ["/", "/timeline/", "/parties/TUR/", "/changes.atom", "/sitemap.xml"]:
        assert "secret-draft-2012" not in client.get(url).content.decode(), url
        assert "Secret draft agreement" not in client.get(url).content.decode(), url


def test_references_and_relations_from_a_draft_are_not_shown_on_their_target(client, draft):
    assert "Secret draft" not in client.get(CHARTER + "art_51/").content.decode()
    assert "Secret draft" not in client.get(CHARTER).content.decode()


def test_an_unpublished_agreement_disappears(client, make_agreement):
    from agreements import services
    from agreements.domain.commands import parse_command

    slug = make_agreement("withdrawn-2012", "Withdrawn agreement", [{"eid": "art_1", "text": "Text."}])
    assert client.get("/akn/int/treaty/2012/withdrawn-2012/").status_code == 200
    services.handle(parse_command("Unpublish", {"note": "test"}), slug=slug)
    assert client.get("/akn/int/treaty/2012/withdrawn-2012/").status_code == 404
