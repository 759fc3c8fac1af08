"""The interface in the reader's language (English, Turkish, Azerbaijani, Russian) through Django's i18n: the
language is chosen by the reader (remembered in a cookie by a CSRF-protected POST, or named for one page with
`?hl=`), never part of an address; every public page reads fully in each language."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

from .conftest import CHARTER, STRATEGIC

pytestmark = pytest.mark.django_db

LANGUAGES = ["tr", "az", "ru"]
SHUSHA = "/akn/int/treaty/2021/tr-az-shusha-declaration-2021/"
LOCALE = Path(__file__).resolve().parents[2] / "agreements" / "locale"
PAGES = [
    "/", "/timeline/", "/parties/", "/parties/TUR/", "/search/", "/search/?q=Shusha", "/search/?q=Shushq",
    "/search/?q=zeppelin", "/search/?from=1990&to=2000", STRATEGIC, STRATEGIC + "@2012-01-01/",
    STRATEGIC + "art_2/", STRATEGIC + "participation/", CHARTER + "art_109/", CHARTER + "art_109/diff/",
    "/parties/TUR/@1990-01-01/", "/sources/usc-dornsife-2023/", "/data/obligations/codebook/",
    "/akn/int/treaty/2010/no-such-agreement/", "/no/such/page/",
]


def get(path, language=None, client=None, **headers):
    client = client or Client()
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return client.get(path, **headers)


def test_the_page_says_its_language_in_html_lang():
    assert '<html lang="tr">' in get("/", "tr").content.decode()
    assert '<html lang="en">' in get("/").content.decode()


def test_the_browsers_accept_language_chooses_the_interface():
    html = get("/", "ru").content.decode()
    assert "Договоры и соглашения, статья за статьёй" in html


def test_hl_shows_one_page_in_a_language_without_remembering_it():
    client = Client()
    assert "Anlaşmaların zaman çizelgesi" in client.get("/timeline/", {"hl": "az"}).content.decode() or \
        "Sazişlərin zaman xətti" in client.get("/timeline/", {"hl": "az"}).content.decode()
    response = client.get("/timeline/")
    assert "Timeline of agreements" in response.content.decode() and "django_language" not in response.cookies


def test_the_switcher_remembers_the_choice_and_returns_to_the_same_address():
    client = Client(enforce_csrf_checks=True)
    page = client.get(STRATEGIC + "art_2/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post("/i18n/setlang/", {"language": "tr", "next": STRATEGIC + "art_2/",
                                              "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == STRATEGIC + "art_2/"
    assert response.cookies["django_language"].value == "tr"
    again = client.get(STRATEGIC + "art_2/").content.decode()
    assert '<html lang="tr">' in again and "Sürüm geçmişi" in again


def test_choosing_a_language_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/i18n/setlang/", {"language": "tr", "next": "/"}).status_code == 403


def test_the_switcher_never_sends_the_reader_to_another_site():
    response = Client().post("/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_an_unknown_language_keeps_english():
    assert '<html lang="en">' in get("/", "de").content.decode()
    assert '<html lang="en">' in Client().get("/", {"hl": "xx"}).content.decode()


def test_every_page_links_its_four_languages_at_the_same_address():
    html = get(STRATEGIC, "az").content.decode()
    alternates = re.findall(r'<link rel="alternate" hreflang="([a-z]+)" href="([^"]+)">', html)
    assert [code for code, _ in alternates] == ["en", "tr", "az", "ru"]
    assert all(href.startswith("http://testserver" + STRATEGIC + "?hl=") for _, href in alternates)


def test_the_canonical_address_is_the_same_in_every_language():
    canonicals = {re.search(r'<link rel="canonical" href="([^"]+)">', get(STRATEGIC, lang).content.decode()).group(1)
                  for lang in ["en", *LANGUAGES]}
    assert canonicals == {"http://testserver" + STRATEGIC}


@pytest.mark.parametrize("language, date", [("en", "15 June 2021"), ("tr", "15 Haziran 2021"),
                                            ("az", "15 İyun 2021"), ("ru", "15 июня 2021")])
def test_dates_are_written_in_the_readers_language(language, date):
    assert date in get(SHUSHA, language).content.decode()


@pytest.mark.parametrize("language, label", [("tr", "Madde 2"), ("az", "Maddə 2"), ("ru", "Статья 2")])
def test_clause_addresses_read_in_the_readers_language(language, label):
    assert label in get(STRATEGIC + "art_2/", language).content.decode()


@pytest.mark.parametrize("language, words", [("tr", ["İmza", "Anlaşma"]), ("ru", ["Подписание", "Соглашение"])])
def test_the_domains_words_are_translated(language, words):
    html = get(STRATEGIC, language).content.decode()
    assert all(word in html for word in words)


# ------------------------------------------------------------------------- no untranslated message on any page


class _Text(HTMLParser):
    """The text a reader sees (and hears: titles, labels), without the data the registry quotes (texts,
    quotes, codes, search hits and summaries: in the language they were written in)."""

    DATA_TAGS = {"script", "style", "blockquote", "q", "code", "cite", "textarea", "pre"}
    DATA_CLASSES = {"result-title", "summary", "clause-text"}
    VOID = {"br", "input", "meta", "link", "img", "hr", "source", "wbr", "col", "area", "base"}

    def __init__(self):
        super().__init__()
        self.nodes, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.nodes.append(value.strip())
        if tag == "input" and values.get("type") == "submit" and values.get("value"):
            self.nodes.append(values["value"].strip())
        if tag not in self.VOID:
            data = tag in self.DATA_TAGS or bool(self.DATA_CLASSES & set((values.get("class") or "").split()))
            self.stack.append((tag, data))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if data.strip() and not any(quoted for _, quoted in self.stack):
            self.nodes.append(" ".join(data.split()))


PLACEHOLDER = r"%(?:\([a-z_0-9]+\))?s"  # %(name)s, and a package's %s


def english_messages(language):
    """The catalogue's English messages whose translation into `language` differs from them (names such as
    "CSV" do not), as patterns: placeholders match anything, markup is left out."""
    return messages_of(polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")))


def messages_of(po) -> list:
    """The patterns of a catalogue's English messages (those its translation changes) (`english_messages`)."""
    patterns = []
    for entry in po:
        for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
            translated = entry.msgstr or entry.msgstr_plural.get(0, "")
            text = " ".join(re.sub(r"<[^>]+>", "", msgid).split())
            literal = re.sub(PLACEHOLDER, "", text)
            # A message that is mostly placeholders ("%(clause)s of the %(title)s") would match the registry's own
            # English data: only messages with words enough of their own are looked for.
            if translated == msgid or len(re.findall(r"[A-Za-z]", literal)) < (10 if literal != text else 2):
                continue
            if re.fullmatch(r"[a-z]+", msgid):  # one lower-case word: the admin's column heads, and data ("party")
                continue
            # A placeholder matches anything but a plural's count, which is a number ("%(counter)s agreements"
            # is not "Publish selected agreements").
            parts = re.split(r"%(?:\(([a-z_0-9]+)\))?s", text)
            pattern = re.escape(parts[0].strip()) + "".join(
                (r"\s*[\d.,\s]+\s*" if name == "counter" else r"\s*.+?\s*") + re.escape(literal.strip())
                for name, literal in zip(parts[1::2], parts[2::2]))
            patterns.append((msgid, re.compile(r"^" + pattern + r"$")))
    return patterns


@pytest.fixture(scope="module")
def catalogues():
    return {language: english_messages(language) for language in LANGUAGES}


def pieces(node: str) -> list[str]:
    """The sentences composed into a text node: a translated frame can hold an English sentence ("Giriş: 30
    days after the last notification of consent; for 10 years."), so each piece between ": " and "; " is
    looked at on its own, without its closing full stop."""
    parts = [part.strip().rstrip(".") for part in re.split(r";\s+|:\s+", node)]
    return [part for part in parts if part and part != node]


def sentence(msgid: str) -> bool:
    """A message of three words or more: one that is looked for inside composed texts too (a word or two, such
    as "Preamble", is also the data a page quotes, such as an article's English heading)."""
    return len(re.sub(r"%\([a-z_0-9]+\)s", "", msgid).split()) >= 3


def untranslated_on(html: str, messages) -> set:
    parser = _Text()
    parser.feed(html)
    found = set()
    for node in parser.nodes:
        found |= {(msgid, node) for msgid, pattern in messages if pattern.match(node)}
        found |= {(msgid, piece) for piece in pieces(node) for msgid, pattern in messages
                  if sentence(msgid) and pattern.match(piece)}
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_reads_fully_in_each_language(catalogues, language, path):
    response = get(path, language)
    assert response.status_code in (200, 404)
    untranslated = untranslated_on(response.content.decode(), catalogues[language])
    assert untranslated == set(), f"{path} in {language} shows English messages: {sorted(untranslated)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_with_a_signed_checkpoint_and_its_witness_reads_fully_in_each_language(
        catalogues, language, settings):
    """The transparency log's sentence on the home page (the latest signed checkpoint, its witnesses)."""
    import time

    from registry.eventstore import checkpoints, note
    from registry.eventstore.tasks import sign_checkpoint

    settings.PACTA_LOG_CHECKPOINT_INTERVAL = 3600
    witness = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    settings.PACTA_LOG_WITNESSES = [witness.verifier().line()]
    sign_checkpoint()
    latest = checkpoints.latest()
    checkpoints.accept_cosignature(latest.note, note.cosign(note.split(latest.note)[0], witness, int(time.time())))
    html = get("/", language).content.decode()
    assert f"<strong>{latest.size}</strong>" in html  # the sentence is there, in some language
    untranslated = untranslated_on(html, catalogues[language])
    assert untranslated == set(), f"/ in {language} shows English messages: {sorted(untranslated)}"


ERRORS = {400: "bad_request", 403: "permission_denied", 404: "page_not_found", 500: "server_error"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", ERRORS)
def test_every_error_page_reads_fully_in_each_language(catalogues, language, status):
    """The site's own error pages (registry/error_views.py): an address no view answers, a request it cannot
    read, a page refused, an error."""
    from django.test import RequestFactory

    from registry import error_views

    request = RequestFactory().get("/somewhere/", HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        handler = getattr(error_views, ERRORS[status])
        response = handler(request) if status == 500 else handler(request, None)
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    untranslated = untranslated_on(html, catalogues[language])
    assert untranslated == set(), f"the {status} page in {language} shows English messages: {sorted(untranslated)}"


@pytest.mark.parametrize("language, words", [("tr", "Bu adreste sayfa yok."), ("ru", "По этому адресу нет страницы.")])
def test_an_address_no_view_answers_says_so_in_the_readers_language(language, words):
    response = get("/no/such/page/", language)
    assert response.status_code == 404 and words in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sentence_composed_into_a_translated_frame_is_found_when_english(catalogues, language):
    """The walk looks inside composed texts: the English rule in a translated frame is found."""
    html = "<p>Yürürlüğe giriş: 30 days after the last notification of consent; for 10 years.</p>"
    assert ("%(days)s after the last notification of consent",
            "30 days after the last notification of consent") in untranslated_on(html, catalogues[language])


def _run(stream, type_name, **fields):
    from agreements import services
    from agreements.domain.commands import parse_command

    services.handle(parse_command(type_name, fields), slug=stream)


@pytest.fixture
def participation_page():
    """A published convention whose page and recent changes say every kind of participation sentence: a rule
    counting instruments with a renewable term, a consent, a provisional application taking effect later, an
    accession, a reservation made on consent."""
    slug = "languages-convention-2000"
    _run(slug, "DraftAgreement", slug=slug, title="Languages convention", kind="treaty", work_date="2000-01-01")
    for code in ("TUR", "AZE"):
        _run(slug, "AddParty", party=code)
    _run(slug, "SetEntryIntoForceRule", instruments=2, days_after=30, later_days_after=15, years=10,
         renewal_years=5, notice_months=6)
    _run(slug, "RecordLifecycle", action="signature", date="2000-01-01", party="TUR")
    _run(slug, "RecordLifecycle", action="ratification", date="2000-02-01", party="TUR")
    _run(slug, "RecordLifecycle", action="provisional_application", date="2000-01-05", party="TUR",
         effective="2000-01-10")
    _run(slug, "RecordLifecycle", action="accession", date="2000-03-01", party="AZE")
    _run(slug, "MakeStatement", party="TUR", kind="reservation", text="Article 1 aside.", date="2000-02-01",
         made_at="consent")
    _run(slug, "Publish", uncited_reason="test texts cite no source")
    return f"/akn/int/treaty/2000/{slug}/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_participation_table_and_its_recent_changes_read_fully_in_each_language(
        catalogues, participation_page, language):
    for path in (participation_page, "/"):
        response = get(path, language)
        assert response.status_code == 200
        untranslated = untranslated_on(response.content.decode(), catalogues[language])
        assert untranslated == set(), f"{path} in {language} shows English messages: {sorted(untranslated)}"


def test_the_participation_page_says_the_rule_in_the_readers_language(participation_page):
    html = get(participation_page, "ru").content.decode()
    assert "через 30 дней после сдачи на хранение документа номер 2" in html
    assert "на срок 10 лет, каждый раз продлевается на 5 лет" in html


def queries_of(path, language) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path, HTTP_ACCEPT_LANGUAGE=language)  # warm: the corpus summary and other shared reads
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    return len(queries)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", [STRATEGIC, SHUSHA, "/parties/TUR/"])
def test_a_page_makes_as_many_queries_in_each_language_as_in_english(path, language):
    """The parties' names in the reader's language are read with the English ones, not after them."""
    assert queries_of(path, language) == queries_of(path, "en")
