"""Commands check their own fields before any rule of the domain is consulted."""

import pytest

from agreements.domain.commands import AddClause, AmendClause, DraftAgreement, parse_command
from agreements.domain.errors import InvalidCommand, UnknownCommand


def test_a_valid_payload_becomes_the_command():
    cmd = parse_command("AmendClause", {"eid": "art_2", "text": "New text", "effective": "2015-01-01"})
    assert cmd == AmendClause(eid="art_2", text="New text", effective="2015-01-01")


def test_missing_required_fields_are_named():
    with pytest.raises(InvalidCommand) as err:
        parse_command("AmendClause", {"eid": "art_1"})
    assert set(err.value.errors) == {"text", "effective"}


def test_unknown_command_type_is_refused_with_the_known_ones():
    with pytest.raises(UnknownCommand, match="DraftAgreement"):
        parse_command("DeleteEverything", {})


def test_unknown_fields_are_refused_not_ignored():
    with pytest.raises(InvalidCommand) as err:
        parse_command("Publish", {"note": "ok", "force": True})
    assert "force" in err.value.errors


def test_invalid_edtf_date_is_a_field_error():
    with pytest.raises(InvalidCommand) as err:
        parse_command("RecordLifecycle", {"action": "signature", "date": "1996-13"})
    assert "date" in err.value.errors
    assert "not a valid EDTF date" in err.value.errors["date"][0]


@pytest.mark.parametrize("eid", ["Art 2", "2", "art_2__", "<script>"])
def test_eids_follow_akoma_ntoso(eid):
    with pytest.raises(InvalidCommand) as err:
        parse_command("AddClause", {"eid": eid, "text": "t", "text_kind": "summary"})
    assert "eid" in err.value.errors


@pytest.mark.parametrize("eid", ["preamble", "art_2", "art_2__para_1", "joint_action"])
def test_valid_eids_are_accepted(eid):
    assert isinstance(parse_command("AddClause", {"eid": eid, "text": "t", "text_kind": "summary"}), AddClause)


def test_text_kind_is_a_closed_vocabulary():
    with pytest.raises(InvalidCommand) as err:
        parse_command("AddClause", {"eid": "art_1", "text": "t", "text_kind": "gist"})
    assert "text_kind" in err.value.errors


def test_slug_must_be_lowercase_with_hyphens():
    with pytest.raises(InvalidCommand) as err:
        parse_command("DraftAgreement", {"slug": "Bad Slug", "title": "T", "kind": "agreement"})
    assert "slug" in err.value.errors


def test_edit_details_needs_at_least_one_field():
    with pytest.raises(InvalidCommand) as err:
        parse_command("EditDetails", {})
    assert "non_field_errors" in err.value.errors


def test_blank_required_text_is_refused():
    with pytest.raises(InvalidCommand) as err:
        parse_command("DraftAgreement", {"slug": "x", "title": "   ", "kind": "agreement"})
    assert "title" in err.value.errors


def test_non_object_payload_is_refused():
    with pytest.raises(InvalidCommand):
        parse_command("DraftAgreement", ["slug"])


def test_titles_in_other_languages_are_keyed_by_language_code():
    cmd = parse_command("DraftAgreement", {"slug": "x", "title": "T", "kind": "pact", "titles": {"tr": "Antlaşma"}})
    assert cmd == DraftAgreement(slug="x", title="T", kind="pact", titles={"tr": "Antlaşma"})
    with pytest.raises(InvalidCommand):
        parse_command("DraftAgreement", {"slug": "x", "title": "T", "kind": "pact", "titles": {"Turkish!": "x"}})


@pytest.mark.parametrize("type_, fields, name", [
    ("AddClause", {"eid": "art_" + "1" * 10_000, "text": "t", "text_kind": "summary"}, "eid"),
    ("AddClause", {"eid": "art_1", "text": "t", "text_kind": "summary", "language": "en" + "-abcd" * 5}, "language"),
    ("DraftAgreement", {"slug": "a" * 201, "title": "t", "kind": "treaty"}, "slug"),
    ("AmendClause", {"eid": "art_1", "text": "t", "effective": "2010", "by": "b" * 201}, "by"),
    ("AddReference", {"eid": "art_1", "target": "un-charter", "target_eid": "art_" + "5" * 300}, "target_eid"),
])
def test_identifiers_longer_than_the_registry_holds_are_field_errors(type_, fields, name):
    with pytest.raises(InvalidCommand) as err:
        parse_command(type_, fields)
    assert "at most" in " ".join(err.value.errors[name])


def test_refusals_quote_a_huge_value_only_in_part():
    with pytest.raises(InvalidCommand) as err:
        parse_command("AddClause", {"eid": "x" * 100, "text": "t", "text_kind": "k" * 100_000, "z" * 100_000: 1})
    assert len(str(err.value)) < 1_000
