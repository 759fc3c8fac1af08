"""Signed checkpoints of the event log's Merkle tree, and the witnesses' cosignatures of them.

- The log's key: settings.PACTA_LOG_SIGNING_KEY (the `PRIVATE+KEY+...` line) or PACTA_LOG_SIGNING_KEY_FILE (a
  file holding it). With neither, and PACTA_LOG_GENERATE_KEY on (the embedded default and the tests), a key
  named after the origin is generated once into PACTA_LOG_DEFAULT_KEY_FILE (outside the repository, mode
  0600). Otherwise there is no key: proofs are still served, checkpoints are not (NoSigningKey).
- The origin (the checkpoint's first line) is PACTA_LOG_ORIGIN, or the key's name; the C2SP formats ask the
  key's name to match it.
- Checkpoints are signed off both the append path and the read path: `sign_due()` signs one of the head when
  the log has grown and the last is older than PACTA_LOG_CHECKPOINT_INTERVAL seconds (or there is none, or the
  last is not under the current key). Celery beat calls it every interval (registry/celery.py), and an append,
  once committed, nudges it (tasks.py: at most once per interval per process, after the commit, never in it),
  so a growing log gets a new checkpoint at most that often and an idle one none. Reads (`latest()`) only read
  the newest stored one.
- A bulk load signs one of its head when it ends (`sign_head`: the commands that load many events at once,
  load_seeds, import_agreements, import_akn, import_text, import_log). Why there: without beat (the embedded
  default, Celery eager) the nudge is the only signer, and it fires at most once per interval per process, so
  after a load of many commands in a few seconds the newest checkpoint would trail the head (or be missing)
  until the next write, and readers would get proofs only for what it covers. A load knows when it is done, so
  it signs then, once, off every append's path. Reads stay reads: a GET may be served by a replica or a
  cache and never writes, so signing a due checkpoint on read was not chosen. What is left without beat: a
  web write within one interval of the last nudge waits for the next write (or the next bulk load) to be
  covered; a deployment runs beat. Every checkpoint issued is kept (pacta_log_checkpoint): witnesses cosign a given one,
  and a reader can ask for a consistency proof from it.
- Cosignatures (`accept_cosignature`): only from the witness keys in PACTA_LOG_WITNESSES; only on a checkpoint
  this log issued, exactly as it issued it; it must verify; it must be newer (its timestamp) than the last one
  that witness gave and not on an older checkpoint than that one (a replay of an old cosignature is refused);
  a timestamp more than five minutes ahead is refused. A refusal stores nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import merkle, note, store, tree
from .models import LogCheckpoint, LogCosignature

DEFAULT_ORIGIN = "localhost/pacta"
FUTURE_SLACK = 300  # seconds a cosignature's timestamp may be ahead of this server's clock


class NoSigningKey(Exception):
    """No log signing key is configured (and none may be generated here)."""


class CosignatureRefused(Exception):
    """A cosignature this log does not accept: `field` names the input, `code` the rule, `status` the HTTP
    answer (400 malformed, 403 an untrusted key or a signature that does not verify, 404 a checkpoint this log
    never signed, 409 a replay, an older checkpoint or a time in the future)."""

    def __init__(self, field: str, code: str, message: str, status: int = 400):
        self.field, self.code, self.status = field, code, status
        super().__init__(message)


# ------------------------------------------------------------------------------------------- keys


def _read_key_file(path: Path, setting: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise NoSigningKey(f"{setting} names {path}, which cannot be read ({exc.strerror})") from None


def write_key_file(path: Path, signer: note.Signer) -> bool:
    """Write the signer key line to `path` (mode 0600) unless the file exists; True when written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(signer.line() + "\n")
    return True


def _load(line_setting: str, file_setting: str, generate_to: Path | None, name: str, kind: int) -> note.Signer:
    line = getattr(settings, line_setting, "")
    if not line and getattr(settings, file_setting, ""):
        line = _read_key_file(getattr(settings, file_setting), file_setting)
    if not line and generate_to is not None:
        write_key_file(generate_to, note.Signer.generate(name, kind))
        for _ in range(50):  # another process may be writing it this very moment
            line = _read_key_file(generate_to, "the generated key file")
            if line:
                break
            time.sleep(0.01)
    if not line:
        raise NoSigningKey(f"no key: set {line_setting} or {file_setting} (manage.py make_log_key makes one)")
    try:
        signer = note.Signer.parse(line)
    except note.NoteError as exc:
        raise NoSigningKey(f"the configured key is not a signer key: {exc}") from None
    if signer.kind != kind:
        raise NoSigningKey(f"the configured key is of type {signer.kind:#04x}, not {kind:#04x}")
    return signer


def log_signer() -> note.Signer:
    generate = settings.PACTA_LOG_DEFAULT_KEY_FILE if settings.PACTA_LOG_GENERATE_KEY else None
    return _load("PACTA_LOG_SIGNING_KEY", "PACTA_LOG_SIGNING_KEY_FILE", generate,
                 settings.PACTA_LOG_ORIGIN or DEFAULT_ORIGIN, note.ED25519)


def witness_signer() -> note.Signer:
    return _load("PACTA_WITNESS_SIGNING_KEY", "PACTA_WITNESS_SIGNING_KEY_FILE", None, "", note.COSIGNATURE_V1)


def origin() -> str:
    return settings.PACTA_LOG_ORIGIN or log_signer().name


def verifier_key() -> str:
    """The log's verifier key line, `<name>+<key ID>+<base64 key>` (C2SP signed-note)."""
    return log_signer().verifier().line()


def trusted_witnesses() -> list[note.Verifier]:
    witnesses = []
    for line in settings.PACTA_LOG_WITNESSES:
        try:
            witnesses.append(note.Verifier.parse(line, kinds=(note.COSIGNATURE_V1,)))
        except note.NoteError as exc:
            raise ValueError(f"PACTA_LOG_WITNESSES: {line!r}: {exc}") from None
    return witnesses


# ------------------------------------------------------------------------------------------- checkpoints


def _signed_by(checkpoint: LogCheckpoint, signer: note.Signer) -> bool:
    try:
        note.open_note(checkpoint.note, signer.verifier())
        return True
    except note.NoteError:
        return False


def issue(size: int | None = None) -> LogCheckpoint:
    """Sign a checkpoint of the tree at `size` (default: the head) and keep it; one per size."""
    signer = log_signer()
    size = store.head().position if size is None else size
    body = note.Checkpoint(origin(), size, tree.root_at(size) if size else merkle.EMPTY_ROOT).text()
    signed = note.sign(body, signer)
    values = {"root": note.Checkpoint.parse(body).root, "note": signed, "signed_at": timezone.now()}
    try:
        with transaction.atomic():
            checkpoint, created = LogCheckpoint.objects.get_or_create(size=size, defaults=values)
    except IntegrityError:  # another reader signed the same size at the same moment
        checkpoint, created = LogCheckpoint.objects.get(size=size), False
    if not created and not _signed_by(checkpoint, signer):
        # The key changed since this size was signed: sign it again (its cosignatures were of the old note).
        with transaction.atomic():
            LogCosignature.objects.filter(checkpoint=checkpoint).delete()
            LogCheckpoint.objects.filter(size=size).update(**values)
        checkpoint.refresh_from_db()
    return checkpoint


class NoCheckpoint(LookupError):
    """No checkpoint has been signed yet (the first is signed within an interval of the key being set)."""


def latest() -> LogCheckpoint:
    """The newest stored checkpoint: a plain read, never a signature (see sign_due). NoSigningKey when this log
    has no key (and so no checkpoint worth serving), NoCheckpoint when none was signed yet."""
    last = LogCheckpoint.objects.order_by("-size").first()
    if last is None:
        log_signer()  # no key: say so, naming the settings
        raise NoCheckpoint("no checkpoint has been signed yet: one is signed within "
                           f"{settings.PACTA_LOG_CHECKPOINT_INTERVAL:g} seconds while Celery beat runs")
    return last


def sign_due(now: dt.datetime | None = None) -> LogCheckpoint | None:
    """Sign a checkpoint of the head if one is due, and return it; None if the newest one still stands: it
    covers the head, or it is younger than PACTA_LOG_CHECKPOINT_INTERVAL (and under the current key)."""
    signer = log_signer()
    last = LogCheckpoint.objects.order_by("-size").first()
    head = store.head().position
    if last is not None and _signed_by(last, signer):
        age = ((now or timezone.now()) - last.signed_at).total_seconds()
        if last.size >= head or age < settings.PACTA_LOG_CHECKPOINT_INTERVAL:
            return None
    return issue(head)


def sign_head() -> LogCheckpoint | None:
    """Sign a checkpoint of the head now, whatever the interval, unless the newest one (under the current key)
    covers it already; returns the new one or None. For the end of a bulk load (see the module docstring)."""
    signer = log_signer()
    last = LogCheckpoint.objects.order_by("-size").first()
    head = store.head().position
    if last is not None and last.size >= head and _signed_by(last, signer):
        return None
    return issue(head)


def published(checkpoint: LogCheckpoint) -> str:
    """The checkpoint as served: the log's signed note, then the witnesses' cosignature lines."""
    lines = checkpoint.cosignatures.order_by("witness").values_list("line", flat=True)
    return checkpoint.note + "".join(lines)


# ------------------------------------------------------------------------------------------- cosignatures


def accept_cosignature(checkpoint_text: str, line: str, now: float | None = None) -> LogCosignature:
    """Store a trusted witness's cosignature of one of this log's checkpoints (see the module docstring)."""
    now = time.time() if now is None else now
    if "\n\n" in checkpoint_text:
        # A whole signed note: its text is what is cosigned (its signature lines are this log's, not checked here).
        checkpoint_text = checkpoint_text[:checkpoint_text.rfind("\n\n") + 1]
    try:
        parsed = note.Checkpoint.parse(checkpoint_text)
        signature = note.parse_signature_line(line)
    except note.NoteError as exc:
        field = "checkpoint" if "checkpoint" in str(exc) or "note" in str(exc) else "cosignature"
        raise CosignatureRefused(field, "malformed", str(exc)) from None
    witness = next((w for w in trusted_witnesses() if (w.name, w.id) == (signature.name, signature.id)), None)
    if witness is None:
        raise CosignatureRefused("cosignature", "unknown_witness",
                                 f"{signature.name}+{signature.id.hex()} is not a witness this log trusts", 403)
    issued = LogCheckpoint.objects.filter(size=parsed.size).first()
    if issued is None or note.split(issued.note)[0] != checkpoint_text:
        raise CosignatureRefused("checkpoint", "unknown_checkpoint",
                                 "this log issued no such checkpoint (origin, size and root as signed)", 404)
    try:
        timestamp = note.verify_cosignature(checkpoint_text, signature, witness)
    except note.NoteError as exc:
        raise CosignatureRefused("cosignature", "bad_signature", str(exc), 403) from None
    if timestamp > now + FUTURE_SLACK:
        raise CosignatureRefused("cosignature", "from_the_future",
                                 f"the cosignature's time {timestamp} is ahead of this server's clock", 409)
    key = witness.line()
    with transaction.atomic():
        newest = (LogCosignature.objects.select_for_update().filter(witness=key)
                  .order_by("-timestamp").first())
        if newest is not None and timestamp <= newest.timestamp:
            raise CosignatureRefused("cosignature", "replayed",
                                     f"not newer than this witness's last cosignature (time {newest.timestamp})", 409)
        if newest is not None and parsed.size < newest.checkpoint_id:
            raise CosignatureRefused("checkpoint", "older_checkpoint",
                                     f"this witness already cosigned the larger tree of {newest.checkpoint_id}", 409)
        LogCosignature.objects.filter(checkpoint=issued, witness=key).delete()  # a newer one replaces it
        return LogCosignature.objects.create(checkpoint=issued, witness=key, timestamp=timestamp,
                                             line=signature.text(), received_at=timezone.now())


def witnesses_of(checkpoint: LogCheckpoint) -> int:
    return checkpoint.cosignatures.count()


def cosigned_head() -> tuple[int, int]:
    """(size, number of witnesses) of the largest checkpoint any trusted witness cosigned; (0, 0) if none."""
    newest = LogCosignature.objects.order_by("-checkpoint_id").values_list("checkpoint_id", flat=True).first()
    if newest is None:
        return 0, 0
    return newest, LogCosignature.objects.filter(checkpoint_id=newest).count()


def signed_at_text(checkpoint: LogCheckpoint) -> str:
    return checkpoint.signed_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
