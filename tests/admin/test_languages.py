"""The admin in the reader's language: Django's own texts through Django's catalogues, the agreement editor's
own texts through the registry's (agreements/locale)."""

from pathlib import Path

import polib
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, words", [
    ("tr", ["Anlaşma taslağı oluştur", "Kaydet ve düzenlemeye devam et"]),
    ("az", ["Saziş layihəsi hazırla", "Yadda saxla və redaktəyə davam et"]),
    ("ru", ["Создать проект соглашения", "Сохранить и продолжить редактирование"]),
])
def test_the_agreement_editor_speaks_the_staffs_language(archivist_client, language, words):
    html = archivist_client.get("/admin/agreements/agreementrecord/add/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}"' in html and all(word in html for word in words)


def test_the_admins_own_words_come_from_djangos_catalogue(archivist_client):
    html = archivist_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Oturumu kapat" in html and "Pacta kaydı" in html and "Anlaşmalar" in html  # "Log out", the site, the app


ADMIN_LANGUAGES = ["tr", "az", "ru"]
STRATEGIC = "tr-az-strategic-partnership-2010"


def quoted(text: str) -> bool:
    """Whether `text` is what the admin quotes of the agreement (its English title and summary, the headings
    and texts of its articles, such as "Preamble"): data, in the language it was written in, not interface."""
    from agreements.projections.models import AgreementRecord, Citation, ClauseVersion
    from sources.models import Source

    record = AgreementRecord.objects.get(slug=STRATEGIC)
    clauses = ClauseVersion.objects.filter(agreement=record).values_list("heading", "text")
    quotes = Citation.objects.filter(agreement=record).values_list("quote", flat=True)
    return text in {heading for heading, _ in clauses} or any(
        text in data for data in [record.title, record.summary, *(clause for _, clause in clauses), *quotes,
                                  *Source.objects.values_list("title", flat=True)])


def package_catalogues() -> list:
    """The catalogues of the packages whose pages the admin shows and that have none in Turkish or Azerbaijani
    (simple-history: the reference data's history): their messages are looked for in English on every page."""
    import simple_history

    return sorted((Path(simple_history.__file__).parent / "locale").glob("*/LC_MESSAGES/django.po"))


@pytest.fixture(scope="module")
def admin_catalogues():
    from tests.browser.test_interface_languages import english_messages, messages_of

    packages = {msgid: pattern for path in package_catalogues() for msgid, pattern in messages_of(polib.pofile(path))}
    return {language: [*english_messages(language), *packages.items()] for language in ADMIN_LANGUAGES}


HEADER = "Participant\tSignature\tRatification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"
TEXT = "Preamble words.\n\nArticle 1\nPurpose\nThe parties cooperate.\n\nArticle 2\nThey consult yearly.\n"


def admin_pages():
    """(path, data to post or None) of every page an archivist opens: the agreements' list, editor, history, correction,
    status-table paste and its preview, text paste and its preview, Akoma Ntoso import; the
    findings' list, a finding and its history; the sources' and parties' lists, forms, histories and versions."""
    from agreements.models import Finding
    from agreements.projections.models import AgreementRecord
    from agreements.queries.history import history
    from django.utils import timezone

    from sources.models import Party, Source

    record = AgreementRecord.objects.get(slug=STRATEGIC)
    source = Source.objects.get(key="usc-dornsife-2023")
    turkey = Party.objects.get(code="TUR")  # with its names over time and its predecessor
    finding = Finding.objects.create(  # as a check of the references records one
        key="walk:reference_target:art_2", code="reference_target_missing", severity="warning",
        subject_type="reference", agreement=record, subject="art_2", message="A test finding.",
        first_seen=timezone.now(), last_seen=timezone.now())
    event = next(entry.event for entry in history(STRATEGIC) if entry.event.type == "ClauseAdded")
    agreement = f"/admin/agreements/agreementrecord/{record.pk}/"
    pages = [("/admin/", None), ("/admin/agreements/agreementrecord/", None), ("/admin/agreements/agreementrecord/add/", None),
             (agreement + "change/", None), (agreement + "history/", None),
             (agreement + f"history/{event.event_id}/correct/", None),
             (agreement + "status-table/", None),
             (agreement + "status-table/", {"table": HEADER + "\nAzerbaijan\t16 Aug 2010\t21 Dec 2010",
                                            "version": record.version}),
             (agreement + "paste-text/", None),
             (agreement + "paste-text/", {"text": TEXT, "language": "en", "effective": "2010-08-16", "preview": "1"}),
             ("/admin/agreements/agreementrecord/import-akn/", None),
             ("/admin/agreements/finding/", None), (f"/admin/agreements/finding/{finding.pk}/change/", None),
             (f"/admin/agreements/finding/{finding.pk}/history/", None)]
    for model, row in (("source", source), ("party", turkey)):
        pages += [(f"/admin/sources/{model}/", None), (f"/admin/sources/{model}/add/", None),
                  (f"/admin/sources/{model}/{row.pk}/change/", None), (f"/admin/sources/{model}/{row.pk}/history/", None),
                  (f"/admin/sources/{model}/{row.pk}/history/{row.history.earliest().history_id}/", None)]
    return pages


def untranslated_admin_page(client, language, messages, path, data) -> set:
    from tests.browser.test_interface_languages import untranslated_on

    if data is None:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    else:
        response = client.post(path, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (path, data and "preview")
    return {(msgid, text) for msgid, text in untranslated_on(response.content.decode(), messages)
            if not quoted(text)}


@pytest.mark.parametrize("language", ADMIN_LANGUAGES)
def test_every_admin_page_an_archivist_opens_reads_fully_in_each_language(admin_catalogues, reviewer_client,
                                                                          language):
    """The agreements' list and its filters, the editor's forms, the history of an agreement (its events told for
    staff) and a correction, the previews of a pasted status table and text, the findings, and the reference data
    (the sources and the parties, their lists, forms, choices, histories and past versions): no message of the
    registry's catalogue, nor of simple-history's, is left in English."""
    from agreements.projections.models import AgreementRecord
    from registry.eventstore.models import StoredEvent

    events = StoredEvent.objects.count()
    for path, data in admin_pages():
        untranslated = untranslated_admin_page(reviewer_client, language, admin_catalogues[language], path, data)
        assert untranslated == set(), f"{path} in {language} shows English messages: {sorted(untranslated)}"
    assert StoredEvent.objects.count() == events  # the previews wrote nothing
    assert AgreementRecord.objects.get(slug=STRATEGIC).version > 0


@pytest.mark.parametrize("language", ADMIN_LANGUAGES)
def test_the_participation_grid_reads_fully_in_each_language(admin_catalogues, reviewer_client, language):
    from agreements.projections.models import AgreementRecord

    path = f"/admin/agreements/agreementrecord/{AgreementRecord.objects.get(slug=STRATEGIC).pk}/participation/"
    untranslated = untranslated_admin_page(reviewer_client, language, admin_catalogues[language], path, None)
    assert untranslated == set(), f"{path} in {language} shows English messages: {sorted(untranslated)}"


@pytest.mark.parametrize("message", ["Choose a date from the list below to revert to a previous version of this object.",
                                     "Change reason", "Press the 'Revert' button below to revert to this version of "
                                                      "the object."])
def test_the_walk_finds_simple_historys_messages_left_in_english(admin_catalogues, message):
    """The walk of the admin looks for the package's messages too: its history pages are the reference data's."""
    from tests.browser.test_interface_languages import untranslated_on

    assert {msgid for msgid, _ in untranslated_on(f"<p>{message}</p>", admin_catalogues["tr"])} == {message}


@pytest.mark.parametrize("language, words", [
    ("tr", ["Değişiklik nedeni", "Değiştiren", "Bu kaydın önceki bir sürümüne dönmek için"]),
    ("az", ["Dəyişikliyin səbəbi", "Dəyişdirən", "Bu qeydin əvvəlki versiyasına qayıtmaq üçün"]),
    ("ru", ["Причина изменения", "Кем изменено", "Выберите дату в списке ниже"]),
])
def test_the_history_of_a_party_speaks_the_staffs_language(reviewer_client, language, words):
    from sources.models import Party

    turkey = Party.objects.get(code="TUR")
    html = reviewer_client.get(f"/admin/sources/party/{turkey.pk}/history/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert all(word in html for word in words)


def test_a_past_version_of_a_party_is_reached_through_the_parties_not_historical_parties(reviewer_client):
    from sources.models import Party

    turkey = Party.objects.get(code="TUR")
    path = f"/admin/sources/party/{turkey.pk}/history/{turkey.history.earliest().history_id}/"
    from tests.browser.test_interface_languages import _Text

    html = reviewer_client.get(path, HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    parser = _Text()
    parser.feed(html)
    assert not any("istorical" in node for node in parser.nodes)
    assert '<a href="/admin/sources/party/">Taraflar</a>' in html


def test_an_empty_reason_or_reference_in_a_history_is_a_dash_not_none(reviewer_client):
    from tests.browser.test_interface_languages import _Text
    from sources.models import Party

    turkey = Party.objects.get(code="TUR")
    parser = _Text()
    parser.feed(reviewer_client.get(f"/admin/sources/party/{turkey.pk}/history/", HTTP_ACCEPT_LANGUAGE="tr").content.decode())
    assert "None" not in parser.nodes and not any("pk=None" in node for node in parser.nodes)


@pytest.mark.parametrize("language, words", [("tr", ["Kaynaklar", "Bulgular"]), ("az", ["Mənbələr", "Aşkarlamalar"]),
                                             ("ru", ["Источники", "Замечания"])])
def test_the_sources_and_findings_are_named_in_the_staffs_language(reviewer_client, language, words):
    html = reviewer_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert all(word in html for word in words)


@pytest.mark.parametrize("language, labels", [
    ("tr", ["Anahtar", "Kapsam", "Kod", "Önem", "Konu türü", "İleti", "İlk görülme", "Son görülme", "Çözülme zamanı"]),
    ("az", ["Açar", "Əhatə", "Kod", "Ciddilik", "Mövzunun növü", "Mesaj", "İlk görülmə", "Son görülmə",
            "Həll olunma vaxtı"]),
    ("ru", ["Ключ", "Охват", "Код", "Важность", "Тип предмета", "Сообщение", "Впервые замечено",
            "Последний раз замечено", "Время устранения"]),
])
def test_a_findings_change_form_labels_its_fields_in_the_staffs_language(reviewer_client, language, labels):
    from django.utils import timezone

    from agreements.models import Finding

    finding = Finding.objects.create(key="labels:art_2", code="reference_target_missing", severity="warning",
                                     subject_type="reference", subject="art_2", message="A test finding.",
                                     first_seen=timezone.now(), last_seen=timezone.now())
    html = reviewer_client.get(f"/admin/agreements/finding/{finding.pk}/change/",
                               HTTP_ACCEPT_LANGUAGE=language).content.decode()
    # Django's capfirst knows no Turkish dotted capital ("ileti" becomes "Ileti"): the first letter is not compared
    missing = [label for label in labels if f"{label[1:]}:</label>" not in html]
    assert missing == []
    assert not any(f">{english}:<" in html for english in ("Key", "Scope", "Code", "Severity", "Message"))


@pytest.mark.parametrize("model", ["agreements.Finding", "ops.DeadLetter", "ops.CopyStatus"])
def test_the_staffs_models_name_themselves_and_their_fields_through_the_catalogue(model):
    """A label written as a plain string (or left to Django, which derives it from the field's name) stays English."""
    from django.apps import apps
    from django.utils.functional import Promise

    meta = apps.get_model(model)._meta
    plain = [field.name for field in meta.get_fields() if field.concrete and not field.primary_key
             and not isinstance(field.verbose_name, Promise)]
    assert plain == []
    assert isinstance(meta.verbose_name, Promise) and isinstance(meta.verbose_name_plural, Promise)


@pytest.mark.parametrize("language", ["tr", "az"])
def test_no_field_or_model_name_begins_with_a_dotted_i_that_django_would_capitalise_wrong(language):
    """Django capitalises labels and column headings with `capfirst`, and Python's upper case of `i` is the
    dotless `I`: in Turkish and Azerbaijani "ileti" would head its column as "Ileti", a misspelling."""
    from django.apps import apps
    from django.utils import translation

    names = []
    for model in apps.get_models():
        if model.__module__.startswith(("agreements.", "registry.")):  # Django's own come with its catalogue
            names += [model._meta.verbose_name, model._meta.verbose_name_plural]
            names += [field.verbose_name for field in model._meta.get_fields() if hasattr(field, "verbose_name")]
    with translation.override("en"):
        english = [str(name) for name in names]
    with translation.override(language):
        translated = [str(name) for name, in_english in zip(names, english) if str(name) != in_english]
    assert translated and [name for name in translated if name.startswith("i")] == []
