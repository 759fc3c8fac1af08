"""Every text is data, never HTML: clause texts, titles, headings and notes are escaped."""

import pytest

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
BASE = "/akn/int/treaty/2012/escaping-2012/"


@pytest.fixture
def hostile(make_agreement):
    return make_agreement(
        "escaping-2012", 'Title <img src=x onerror="alert(2)"> & co',
        [{"eid": "art_1", "number": "1", "heading": "<i>Heading</i>", "text": SCRIPT}],
        extra=[("AddReference", {"eid": "art_1", "target": "un-charter-1945", "target_eid": "art_51",
                                  "note": "<b>note</b>"})],
    )


def test_clause_text_is_shown_as_characters(client, hostile):
    html = client.get(BASE + "art_1/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "&lt;i&gt;Heading&lt;/i&gt;" in html and "&lt;b&gt;note&lt;/b&gt;" in html


def test_titles_are_escaped_everywhere(client, hostile):
    for url in ["/", "/timeline/", BASE, BASE + "art_1/", "/parties/TUR/", "/search/?q=alert",
                "/parties/AZE/", "/akn/int/treaty/1945/un-charter-1945/art_51/"]:
        html = client.get(url).content.decode()
        assert "<img" not in html, url
        assert "<script" not in html, url


def test_the_atom_feed_escapes_titles(client, hostile):
    xml = client.get("/changes.atom").content.decode()
    assert "&lt;img src=x" in xml and "<img" not in xml


def test_the_atom_feed_sends_summaries_holding_markup_as_text(client, make_agreement):
    """A feed reader renders a `type="html"` summary as HTML: archivist text must arrive as text."""
    import xml.etree.ElementTree as ET

    make_agreement("feed-markup-2012", f'{SCRIPT} <img src=x onerror="alert(3)">',
                   [{"eid": "art_1", "number": "1", "text": "Text."}])
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = ET.fromstring(client.get("/changes.atom").content).iter(f"{atom}summary")
    hostile = [s for s in summaries if "<script>" in (s.text or "") and "onerror" in (s.text or "")]
    assert hostile and all(s.get("type") == "text" for s in hostile)
