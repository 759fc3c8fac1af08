"""The removal checkboxes' keys: a relation or cross-reference is named by its fields, quoted, so that a value
holding the separator can neither break the key nor share it with another relation or reference."""

import json
from types import SimpleNamespace

from agreements.admin.editor import AgreementEditor
from agreements.admin.forms import RemovalsForm
from agreements.admin.keys import reference_key, reference_of, relation_key, relation_of

FORMSETS = ("clauses", "newclauses", "parties", "lifecycle", "registrations", "depositaries", "relations",
            "references", "citations", "obligations")


def _state(references=(), relations=()):
    """An agreement's state as the editor reads it, holding the given cross-references and relations."""
    view = SimpleNamespace(
        slug="a-test", title="A test", kind="treaty", work_date="2010-08-16", place="", summary="", titles={},
        parties=[], relations_out=list(relations), citations=[], lifecycle=[], registrations=[], depositaries=[],
    )
    return SimpleNamespace(view=view, version=3, clauses=[], references=list(references))


def test_a_separator_inside_a_part_cannot_make_two_references_share_a_key():
    assert reference_key("art_1|x", "un-charter-1945", "") != reference_key("art_1", "x|un-charter-1945", "")


def test_a_reference_key_gives_back_the_fields_it_was_made_of():
    key = reference_key("art_1|x", "un|charter", "art_5%7C")
    assert reference_of(key) == {"eid": "art_1|x", "target": "un|charter", "target_eid": "art_5%7C"}


def test_a_relation_key_gives_back_the_fields_it_was_made_of():
    assert relation_of(relation_key("refers_to", "a|b")) == {"relation": "refers_to", "target": "a|b"}


def test_a_key_without_a_separator_or_percent_sign_reads_as_its_parts_joined():
    assert reference_key("art_2", "un-charter-1945", None) == "art_2|un-charter-1945|"


def test_references_whose_parts_hold_the_separator_are_offered_as_two_boxes():
    references = [SimpleNamespace(eid="art_1|x", target_slug="un-charter-1945", target_eid=""),
                  SimpleNamespace(eid="art_1", target_slug="x|un-charter-1945", target_eid="")]
    form = RemovalsForm(state=_state(references))
    assert len({value for value, _ in form.fields["remove_references"].choices}) == 2


def test_removing_a_reference_whose_eid_holds_the_separator_is_refused_on_its_row(db):
    """An eId no grammar admits comes back whole from its key: the command refuses it next to the boxes,
    where splitting the key on the separator would have failed on the page."""
    reference = SimpleNamespace(eid="art_1|x", target_slug="un-charter-1945", target_eid="art_51")
    state = _state([reference])
    data = {f"{prefix}-{name}": "0" for prefix in FORMSETS for name in ("TOTAL_FORMS", "INITIAL_FORMS")}
    details = {"title": "A test", "kind": "treaty", "work_date": "2010-08-16", "place": "", "summary": "", "titles": ""}
    data.update({f"details-{name}": value for name, value in details.items()})
    data.update({"meta-version": "3", "details-base": json.dumps(details),
                 "remove-remove_references": [reference_key("art_1|x", "un-charter-1945", "art_51")]})
    editor = AgreementEditor(state, data=data)
    assert editor.is_valid(), [part.errors for part in editor.parts if part.errors]
    assert editor.commands() == []
    assert "remove_references" in editor.removals.errors
