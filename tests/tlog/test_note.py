"""C2SP signed notes, checkpoints and cosignatures; the note vectors are Go's (tests/fixtures/tlog/README.md)."""

import base64
import json
from pathlib import Path

import pytest

from registry.eventstore import note

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "tlog" / "vectors.json").read_text())["note"]


def test_the_go_signer_key_signs_the_go_note_byte_for_byte():
    signer = note.Signer.parse(VECTORS["signer_key"])
    assert signer.verifier().line() == VECTORS["verifier_key"]
    assert note.sign(VECTORS["text"], signer) == VECTORS["signed"]


def test_the_go_note_opens_with_its_verifier_key_and_keeps_other_signatures_aside():
    verifier = note.Verifier.parse(VECTORS["verifier_key"])
    text, others = note.open_note(VECTORS["signed"] + VECTORS["other_signature"], verifier)
    assert text == VECTORS["text"]
    assert [line.name for line in others] == ["EnochRoot"]


def test_a_note_signed_by_another_key_does_not_open():
    verifier = note.Verifier.parse(VECTORS["other_verifier_key"])
    with pytest.raises(note.NoteError, match="not signed by EnochRoot"):
        note.open_note(VECTORS["signed"], verifier)


def test_a_changed_text_does_not_verify():
    verifier = note.Verifier.parse(VECTORS["verifier_key"])
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_note(VECTORS["signed"].replace("answer", "Answer"), verifier)


@pytest.mark.parametrize("key", VECTORS["bad_verifier_keys"] + [VECTORS["verifier_key"][:-1],
                                                                 VECTORS["verifier_key"].replace("+c7", "+d7"),
                                                                 "Peter Neumann+c74f20a3+ARpc"])
def test_mangled_verifier_keys_are_refused(key):
    with pytest.raises(note.NoteError):
        note.Verifier.parse(key)


@pytest.mark.parametrize("bad", ["no newline", "a\x00b\n\n— x AAAAAAAA\n", "text\n\n", "text\n\n— x !!!\n",
                                 "text\n\n-- x AAAAAAAA\n"])
def test_malformed_notes_are_refused(bad):
    with pytest.raises(note.NoteError):
        note.split(bad)


def test_a_checkpoint_is_origin_size_and_base64_root_each_on_its_own_line():
    checkpoint = note.Checkpoint("example.org/log", 12, bytes(range(32)))
    assert checkpoint.text() == "example.org/log\n12\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
    assert note.Checkpoint.parse(checkpoint.text()) == checkpoint


@pytest.mark.parametrize("size", ["012", "-1", "9223372036854775808", "1e3", ""])
def test_a_checkpoint_size_with_leading_zeroes_a_sign_or_beyond_2_63_is_refused(size):
    with pytest.raises(note.NoteError):
        note.Checkpoint.parse(f"example.org/log\n{size}\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n")


def test_a_cosignature_verifies_on_the_checkpoint_it_was_made_for_and_no_other():
    witness = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    body = note.Checkpoint("example.org/log", 5, bytes(32)).text()
    line = note.parse_signature_line(note.cosign(body, witness, 1_700_000_000))
    assert note.verify_cosignature(body, line, witness.verifier()) == 1_700_000_000
    other = note.Checkpoint("example.org/log", 6, bytes(32)).text()
    with pytest.raises(note.NoteError, match="does not verify"):
        note.verify_cosignature(other, line, witness.verifier())


def test_a_cosignature_key_id_commits_to_the_cosignature_type():
    witness = note.Signer.generate("w", note.COSIGNATURE_V1)
    as_note_key = note.Verifier("w", note.ED25519, witness.verifier().public)
    assert witness.verifier().id != as_note_key.id
    assert base64.b64decode(witness.verifier().line().split("+", 2)[2])[0] == 0x04
