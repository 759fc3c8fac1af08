"""Plain functions of the browser: word diff, dates and labels for readers, links, timeline geometry."""

import datetime as dt
from types import SimpleNamespace

from agreements.browser import links
from agreements.diffing import word_diff
from agreements.browser.present import citation_subject, clause_label, describe_event, human_date, safe_url
from agreements.browser.timeline_svg import layout
from agreements.domain.wording import registration_label
from agreements.queries.search import highlight_terms
from agreements.queries.search import split_marked


def test_word_diff_marks_a_replaced_word():
    assert word_diff("the cat sat", "the dog sat") == [
        ("equal", "the "), ("delete", "cat"), ("insert", "dog"), ("equal", " sat")]


def test_word_diff_reads_a_changed_phrase_as_one_deletion_and_one_insertion():
    assert word_diff("a b c d", "a x y d") == [("equal", "a "), ("delete", "b c"), ("insert", "x y"), ("equal", " d")]


def test_word_diff_of_equal_texts_is_one_equal_piece():
    assert word_diff("same text", "same text") == [("equal", "same text")]


def test_word_diff_keeps_markup_as_plain_text_pieces():
    pieces = word_diff("<b>x</b>", "<b>y</b>")
    assert "".join(t for op, t in pieces if op != "delete") == "<b>y</b>"
    assert "".join(t for op, t in pieces if op != "insert") == "<b>x</b>"


def test_human_dates_say_how_much_is_known():
    assert human_date("2010-08-16") == "16 August 2010"
    assert human_date("1996-06") == "June 1996"
    assert human_date("2010") == "2010"
    assert human_date("2000?") == "2000 (uncertain)"
    assert human_date("1996-06/..") == "June 1996 to an open end"
    assert human_date(dt.date(2009, 1, 1)) == "1 January 2009"


def test_clause_labels_read_akoma_ntoso_eids():
    assert clause_label("art_2") == "Article 2"
    assert clause_label("art_2__para_1") == "Article 2, paragraph 1"
    assert clause_label("preamble") == "Preamble"
    assert clause_label("joint_action", "Joint action") == "Joint action"
    assert clause_label("joint_action") == "Joint action"


def test_citation_subjects_are_words():
    assert citation_subject("party:TUR") == "Party TUR"
    assert citation_subject("lifecycle:accession:AZE") == "Accession by AZE"
    assert citation_subject("art_2") == "Article 2"
    assert citation_subject("work_date") == "Date"
    assert citation_subject("ref:art_2>un-charter-1945#art_51") == (
        "Reference from Article 2 to un-charter-1945, Article 51")
    assert citation_subject("registration") == "Registration"
    assert citation_subject("depositary") == "Depositary"


def test_events_are_described_for_readers():
    assert describe_event("ClauseAmended", {"eid": "art_9", "effective": "2019-01-01"}) == (
        "Article 9 amended, in effect from 1 January 2019")
    assert describe_event("LifecycleRecorded", {"action": "entry_into_force", "date": "1945-10-24"}) == (
        "Entry into force recorded: 24 October 1945")


def test_registration_and_depositary_events_are_described_for_readers_and_staff():
    payload = {"registration_number": "I-48111", "date": "2011-03-01", "registering_body": "UN Secretariat"}
    assert describe_event("RegistrationRecorded", payload) == (
        "Registration recorded with UN Secretariat: No. I-48111, 1 March 2011")
    assert describe_event("RegistrationRecorded", payload, for_staff=True) == (
        "Registration recorded with UN Secretariat: I-48111, 2011-03-01")
    assert describe_event("DepositaryNamed", {"depositary": "Government of the United States of America"}) == (
        "Depositary named: Government of the United States of America")


def test_registration_numbers_read_as_untc_writes_them():
    assert registration_label("I-54669", "1945-10-24", "UN Secretariat") == "No. I-54669, 24 October 1945 (UN Secretariat)"
    assert registration_label("No. 17") == "No. 17"


def test_only_web_addresses_are_linked():
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("javascript:alert(1)") == ""


def test_links_follow_the_work_uri_with_the_date_in_the_path():
    uri = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010"
    assert links.agreement_url(uri) == uri + "/"
    assert links.agreement_url(uri, dt.date(2015, 1, 1)) == uri + "/@2015-01-01/"
    assert links.clause_url(uri, "art_2", dt.date(2015, 1, 1)) == uri + "/art_2/@2015-01-01/"
    known = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)
    assert links.clause_url(uri, "art_2", None, known) == uri + "/art_2/?known_at=2024-06-01T00%3A00%3A00%2B00%3A00"
    assert links.work_year(uri) == "2010"


def test_highlighting_marks_terms_case_insensitively():
    assert highlight_terms("Mutual aid, mutual help", ["mutual"]) == [
        ("Mutual", True), (" aid, ", False), ("mutual", True), (" help", False)]


def test_marked_headlines_split_into_pieces():
    assert split_marked("a \ue000b\ue001 c") == [("a ", False), ("b", True), (" c", False)]


def entry(title, lower, upper, kind="agreement"):
    return SimpleNamespace(record=SimpleNamespace(title=title, kind=kind), lower=lower, upper=upper,
                           precise=lower == upper, in_force_from=None, ended_on=None, status="signed")


def test_timeline_draws_partial_dates_as_ranges_proportional_to_their_span():
    year = entry("Year", dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    month = entry("Month", dt.date(1996, 6, 1), dt.date(1996, 6, 30))
    day = entry("Day", dt.date(2001, 3, 1), dt.date(2001, 3, 1))
    drawing = layout([month, day, year], dt.date(2026, 1, 1), href=lambda e: "/x/", date_label=lambda e: "d")
    marks = {m.title: m for m in drawing.marks}
    assert marks["Day"].precise and marks["Day"].width == 0
    assert not marks["Year"].precise and marks["Year"].width > marks["Month"].width
    assert marks["Month"].x < marks["Day"].x < marks["Year"].x
    assert [t.label for t in drawing.ticks][0] == "1990"


def test_long_search_results_are_cut_to_passages_around_the_hits():
    from agreements.queries.search import excerpt

    pieces = [("a" * 500, False), ("hit", True), ("b" * 500, False), ("hit", True), ("c" * 500, False)]
    cut = excerpt(pieces, context=100)
    assert cut[0] == ("…" + "a" * 100, False)
    assert cut[2] == ("b" * 100 + " … " + "b" * 100, False)
    assert cut[4] == ("c" * 100 + "…", False)
    assert [p for p in cut if p[1]] == [("hit", True), ("hit", True)]
    assert excerpt([("short", False), ("hit", True)]) == [("short", False), ("hit", True)]


def test_staff_read_events_by_identifier_with_what_the_public_does_not_see():
    payload = {"eid": "art_9", "effective": "2019-01-01", "by": "amending-protocol-2019"}
    assert describe_event("ClauseAmended", payload, for_staff=True) == (
        "art_9 amended with effect from 2019-01-01 by amending-protocol-2019")
    assert describe_event("ClauseAmended", payload) == "Article 9 amended, in effect from 1 January 2019"


def test_a_redacted_target_reads_as_an_unpublished_agreement():
    assert describe_event("RelationAdded", {"relation": "amends", "target": None}) == (
        "Relation added: amends an unpublished agreement")
