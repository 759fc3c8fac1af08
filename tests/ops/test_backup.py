"""export_log / import_log: a backup of the whole registry that is verified before a byte of it is written back."""

import gzip
import hashlib
import json
import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from agreements import backup
from agreements.projections.rebuild import projection_hash
from registry.eventstore import store
from registry.eventstore.models import StoredEvent
from sources.models import Party, Source

from .conftest import manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(tmp_path):
    path = tmp_path / "pacta.jsonl.gz"
    backup.export(path)
    return path


def read_lines(path) -> list[dict]:
    with gzip.open(path, "rb") as gz:
        return [json.loads(line) for line in gz]


def write_lines(path, lines, *, reseal=True):
    """Write `lines` as an export would; with `reseal`, the end line's digest is recomputed (a careful forger)."""
    encoded = [json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode() + b"\n"
               for obj in lines]
    if reseal and lines and lines[-1].get("kind") == "end":
        digest = hashlib.sha256(b"".join(encoded[:-1])).hexdigest()
        encoded[-1] = json.dumps({**lines[-1], "sha256": digest}, separators=(",", ":"), sort_keys=True).encode() + b"\n"
    with gzip.open(path, "wb") as gz:
        gz.write(b"".join(encoded))


def counts():
    return StoredEvent.objects.count(), Party.objects.count(), Source.objects.count()


def refused(path) -> str:
    before = counts()
    with pytest.raises(backup.Refused) as info:
        backup.import_(path)
    assert counts() == before
    return str(info.value)


def table_count(db_path, table) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# ------------------------------------------------------------------------------------------------ the file


def test_the_first_line_describes_the_file_and_the_last_seals_it(exported):
    lines = read_lines(exported)
    header, trailer = lines[0], lines[-1]
    head = store.head()
    assert header["format"] == "pacta-log" and header["version"] == 1
    assert header["chain_head"] == {"position": head.position, "hash": head.hash}
    assert header["counts"]["events"] == head.position == StoredEvent.objects.count()
    assert header["counts"]["reference"]["sources.Party"] == Party.objects.count()
    assert header["counts"]["reference"]["sources.HistoricalSource"] > 0  # the history comes along
    assert trailer["kind"] == "end" and trailer["chain_head"] == header["chain_head"]
    assert header["kind"] == "header"
    kinds = [line["kind"] for line in lines[1:-1]]
    assert kinds == sorted(kinds, key=lambda k: k != "row")  # the reference data, then the events


def test_sources_keep_their_stored_texts_and_history_and_no_password_or_token_is_exported(tmp_path, archivist):
    stored = Source.objects.order_by("key").first()
    stored.snapshot_text = "Article 1. The Parties shall …\nArticle 2. «Quoted» text, tabs\tand all."
    stored.save()
    exported = tmp_path / "pacta.jsonl.gz"
    backup.export(exported)
    lines = read_lines(exported)
    row = next(r for r in lines if r.get("model") == "sources.Source" and r["fields"]["key"] == stored.key)
    assert row["fields"]["snapshot_text"] == stored.snapshot_text
    assert row["fields"]["snapshot_sha256"] == stored.snapshot_sha256
    history = [r for r in lines if r.get("model") == "sources.HistoricalSource" and r["fields"]["key"] == stored.key]
    assert len(history) == stored.history.count() >= 2
    text = gzip.open(exported).read().decode()
    assert "pbkdf2" not in text and "pw-archivist" not in text


# ------------------------------------------------------------------------------------------------ round trip


@pytest.mark.integration
def test_the_seeded_registry_exported_and_imported_into_a_fresh_database_has_the_same_projection_hash(
        exported, empty_registry):
    result = manage(empty_registry, "import_log", str(exported))
    head = store.head()
    assert f"verified {head.position} events; head {head.position} {head.hash}" in result.stdout
    assert f"projection hash: {projection_hash()}" in result.stdout
    verified = manage(empty_registry, "verify_log")
    assert head.hash in verified.stdout


@pytest.mark.integration
def test_a_refused_file_leaves_an_empty_registry_empty(exported, empty_registry, tmp_path):
    lines = read_lines(exported)
    event = next(i for i, line in enumerate(lines) if line.get("kind") == "event" and line["position"] == 5)
    lines[event]["payload"]["forged"] = True
    forged = tmp_path / "forged.jsonl.gz"
    write_lines(forged, lines)
    result = manage(empty_registry, "import_log", str(forged), check=False)
    assert result.returncode != 0
    assert "refused, nothing was written" in result.stderr and "hash chain does not verify" in result.stderr
    assert table_count(empty_registry, "pacta_event") == 0
    assert table_count(empty_registry, Party._meta.db_table) == 0


# ------------------------------------------------------------------------------------------------ refusals


def test_a_registry_that_is_not_empty_is_refused(exported):
    assert "not empty" in refused(exported)


def test_the_command_says_nothing_was_written(exported):
    with pytest.raises(CommandError, match="refused, nothing was written: this registry is not empty"):
        call_command("import_log", str(exported))


def test_an_event_edited_by_hand_is_refused_by_the_chain_even_with_a_resealed_digest(exported, tmp_path):
    lines = read_lines(exported)
    i = next(i for i, line in enumerate(lines) if line.get("kind") == "event" and line["position"] == 7)
    lines[i]["payload"] = {**lines[i]["payload"], "title": "Edited by hand"}
    forged = tmp_path / "forged.jsonl.gz"
    write_lines(forged, lines)
    message = refused(forged)
    assert f"line {i + 1}: the hash chain does not verify at position 7" in message


def test_a_removed_event_is_refused(exported, tmp_path):
    lines = read_lines(exported)
    i = next(i for i, line in enumerate(lines) if line.get("kind") == "event" and line["position"] == 3)
    del lines[i]
    forged = tmp_path / "gap.jsonl.gz"
    write_lines(forged, lines)
    assert "expected position 3" in refused(forged)


def test_a_reference_row_edited_by_hand_is_refused(exported, tmp_path):
    lines = read_lines(exported)
    i = next(i for i, line in enumerate(lines) if line.get("model") == "sources.Party")
    lines[i]["fields"]["name"] = "Edited by hand"
    forged = tmp_path / "edited.jsonl.gz"
    write_lines(forged, lines, reseal=False)
    assert "digest does not match" in refused(forged)


def test_a_file_cut_short_is_refused(exported, tmp_path):
    data = exported.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    assert "truncated" in refused(cut)


def test_a_file_whose_last_lines_are_missing_is_refused(exported, tmp_path):
    lines = read_lines(exported)
    short = tmp_path / "short.jsonl.gz"
    write_lines(short, lines[: len(lines) // 2])
    assert "no end line" in refused(short)


@pytest.mark.parametrize("header, expected", [
    ({"format": "something-else", "version": 1}, "not a pacta-log file"),
    ({"format": "pacta-log", "version": 2}, "format version 2"),
])
def test_another_format_or_version_is_refused(exported, tmp_path, header, expected):
    lines = read_lines(exported)
    lines[0] = {**lines[0], **header}
    other = tmp_path / "other.jsonl.gz"
    write_lines(other, lines)
    assert expected in refused(other)


@pytest.mark.parametrize("content", [b"", b"not gzip at all", gzip.compress(b"\x00\x01 not json\n")])
def test_a_file_that_is_not_an_export_is_refused(tmp_path, content):
    path = tmp_path / "junk.gz"
    path.write_bytes(content)
    refused(path)


# ------------------------------------------------------------------------------------------------ interrupted


def test_an_interrupted_export_leaves_no_file_that_looks_complete(tmp_path, monkeypatch):
    real, calls = backup._event, []

    def dies_halfway(row):
        calls.append(row.position)
        if len(calls) == 100:
            raise KeyboardInterrupt  # the operator's Ctrl-C, or the process being stopped
        return real(row)

    monkeypatch.setattr(backup, "_event", dies_halfway)
    target = tmp_path / "pacta.jsonl.gz"
    with pytest.raises(KeyboardInterrupt):
        backup.export(target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # nor a partial file beside it


def test_an_export_replaces_an_older_file_only_once_it_is_complete(tmp_path, monkeypatch):
    target = tmp_path / "pacta.jsonl.gz"
    backup.export(target)
    before = target.read_bytes()
    monkeypatch.setattr(backup, "_event", lambda row: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError):
        backup.export(target)
    assert target.read_bytes() == before
