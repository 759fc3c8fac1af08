"""The C2SP text formats of the transparency log: signed notes, checkpoints and cosignatures (Ed25519).

signed-note (C2SP signed-note):
    a text ending in a newline, a blank line, then signature lines `— <key name> base64(key ID || signature)`
    (U+2014, space). The key ID is SHA-256(key name || 0x0A || 0x01 || Ed25519 public key)[:4]. A verifier
    key is written `<name>+<hex key ID>+base64(0x01 || public key)`, a signer key
    `PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 || 32-byte seed)` (Go's golang.org/x/mod/sumdb/note).
tlog-checkpoint (C2SP tlog-checkpoint):
    the note text `<origin>\\n<tree size>\\n<base64 root hash>\\n`, signed by the log's key, whose name is the
    origin.
tlog-cosignature (C2SP tlog-cosignature, cosignature/v1, Ed25519):
    a witness's signature line on the checkpoint, base64(key ID || u64 big-endian timestamp || signature),
    the key ID taken with type byte 0x04, the signature over
    `cosignature/v1\\ntime <timestamp>\\n` followed by the checkpoint's whole note text.

Plain Python over `cryptography`'s Ed25519; nothing here knows of Django. Every parser refuses what the
formats forbid (control characters, '+' or spaces in names, wrong lengths) with a NoteError saying what.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014 "
MAX_SIGNATURES = 100
MAX_NOTE = 64 * 1024


class NoteError(ValueError):
    """A note, key, checkpoint or signature that does not follow its format or does not verify."""


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise NoteError(f"{what} is not base64") from None


def _check_name(name: str) -> None:
    if not name or any(ch.isspace() or ch == "+" or ord(ch) < 0x20 for ch in name):
        raise NoteError("a key name must be non-empty, without spaces, '+' or control characters")


def key_id(name: str, kind: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([kind]) + public).digest()[:4]


def _public_bytes(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    """A verifier key: a name, the key type (0x01 note signatures, 0x04 cosignature/v1) and the public key."""

    name: str
    kind: int
    public: bytes

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.kind, self.public)

    def line(self) -> str:
        """`<name>+<hex key ID>+base64(type || key)`: the vkey line that is published."""
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(bytes([self.kind]) + self.public).decode()}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
            return True
        except (InvalidSignature, ValueError):
            return False

    @classmethod
    def parse(cls, text: str, kinds=(ED25519, COSIGNATURE_V1)) -> "Verifier":
        parts = text.strip().split("+", 2)  # base64 may hold '+', a name may not
        if len(parts) != 3:
            raise NoteError("a verifier key is <name>+<key ID in hex>+<base64 key>")
        name, hex_id, encoded = parts
        _check_name(name)
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
            raise NoteError("a verifier key's ID is 8 lowercase hex digits")
        raw = _b64decode(encoded, "the verifier key")
        if len(raw) != 33 or raw[0] not in kinds:
            raise NoteError("the verifier key is not an Ed25519 key of a known type")
        verifier = cls(name, raw[0], raw[1:])
        if verifier.id.hex() != hex_id:
            raise NoteError("the verifier key's ID does not match its name and key")
        return verifier


@dataclass(frozen=True)
class Signer:
    """An Ed25519 signing key with its name, for note signatures (kind 0x01) or cosignatures (0x04)."""

    name: str
    seed: bytes
    kind: int = ED25519

    @classmethod
    def generate(cls, name: str, kind: int = ED25519) -> "Signer":
        _check_name(name)
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return cls(name, seed, kind)

    @classmethod
    def parse(cls, text: str) -> "Signer":
        parts = text.strip().split("+", 4)  # base64 may hold '+', a name may not
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a signer key is PRIVATE+KEY+<name>+<key ID in hex>+<base64 key>")
        name, hex_id, encoded = parts[2:]
        _check_name(name)
        raw = _b64decode(encoded, "the signer key")
        if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
            raise NoteError("the signer key is not an Ed25519 key of a known type")
        signer = cls(name, raw[1:], raw[0])
        if signer.verifier().id.hex() != hex_id:
            raise NoteError("the signer key's ID does not match its name and key")
        return signer

    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.kind, _public_bytes(self._private().public_key()))

    def line(self) -> str:
        """`PRIVATE+KEY+<name>+<hex key ID>+base64(type || seed)`: keep it secret."""
        return (f"PRIVATE+KEY+{self.name}+{self.verifier().id.hex()}+"
                f"{base64.b64encode(bytes([self.kind]) + self.seed).decode()}")

    def sign(self, message: bytes) -> bytes:
        return self._private().sign(message)


# ------------------------------------------------------------------------------------------- signed notes


@dataclass(frozen=True)
class SignatureLine:
    name: str
    id: bytes
    signature: bytes  # what follows the key ID (for a cosignature: timestamp and signature)

    def text(self) -> str:
        return f"{DASH}{self.name} {base64.b64encode(self.id + self.signature).decode()}\n"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("a note's text ends with a newline")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise NoteError("a note may hold no control characters but newlines")


def sign(text: str, signer: Signer) -> str:
    """The signed note: `text`, a blank line and the signer's signature line."""
    _check_text(text)
    signature = signer.sign(text.encode("utf-8"))
    return text + "\n" + SignatureLine(signer.name, signer.verifier().id, signature).text()


def split(note: str) -> tuple[str, list[SignatureLine]]:
    """The text and the signature lines of a signed note (not verified)."""
    if len(note.encode("utf-8", "surrogatepass")) > MAX_NOTE:
        raise NoteError("the note is too long")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in note):
        raise NoteError("a note may hold no control characters but newlines")
    if not note.endswith("\n"):
        raise NoteError("a signed note ends with a newline")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("a signed note has a blank line between its text and its signatures")
    text, lines = note[:cut + 1], note[cut + 2:].splitlines()
    if not lines:
        raise NoteError("the note has no signature")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"the note has more than {MAX_SIGNATURES} signatures")
    return text, [parse_signature_line(line) for line in lines]


def parse_signature_line(line: str) -> SignatureLine:
    line = line.rstrip("\n")
    if not line.startswith(DASH):
        raise NoteError("a signature line starts with an em dash and a space")
    name, sep, encoded = line[len(DASH):].partition(" ")
    if not sep:
        raise NoteError("a signature line is '— <key name> <base64 signature>'")
    _check_name(name)
    raw = _b64decode(encoded, "the signature")
    if len(raw) < 5:
        raise NoteError("the signature is too short")
    return SignatureLine(name, raw[:4], raw[4:])


def open_note(note: str, verifier: Verifier) -> tuple[str, list[SignatureLine]]:
    """The text of a note that `verifier` signed, and its other signature lines (unverified); NoteError if
    it holds no signature of that key, or one that does not verify."""
    text, lines = split(note)
    mine = [line for line in lines if line.name == verifier.name and line.id == verifier.id]
    if not mine:
        raise NoteError(f"the note is not signed by {verifier.name}+{verifier.id.hex()}")
    for line in mine:
        if not verifier.verify(text.encode("utf-8"), line.signature):
            raise NoteError(f"the signature of {verifier.name}+{verifier.id.hex()} does not verify")
    return text, [line for line in lines if line not in mine]


# ------------------------------------------------------------------------------------------- checkpoints


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        _check_text(text)
        lines = text[:-1].split("\n")
        if len(lines) < 3 or any(not line for line in lines):
            raise NoteError("a checkpoint is at least three non-empty lines: origin, tree size, root hash")
        origin, size, root = lines[:3]
        if not re.fullmatch(r"0|[1-9][0-9]{0,18}", size) or int(size) >= 2 ** 63:
            raise NoteError("a checkpoint's tree size is a decimal number without leading zeroes, below 2^63")
        raw = _b64decode(root, "the checkpoint's root hash")
        if len(raw) != 32:
            raise NoteError("a checkpoint's root hash is 32 bytes")
        return cls(origin, int(size), raw)


# ------------------------------------------------------------------------------------------- cosignatures


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode("utf-8")


def cosign(checkpoint_text: str, witness: Signer, timestamp: int) -> str:
    """The witness's cosignature line (tlog-cosignature, Ed25519) on the checkpoint's note text."""
    if witness.kind != COSIGNATURE_V1:
        raise NoteError("a cosignature needs a cosignature/v1 key (type 0x04)")
    _check_text(checkpoint_text)
    signature = witness.sign(cosigned_message(checkpoint_text, timestamp))
    return SignatureLine(witness.name, witness.verifier().id, struct.pack(">Q", timestamp) + signature).text()


def verify_cosignature(checkpoint_text: str, line: SignatureLine, witness: Verifier) -> int:
    """The timestamp of a cosignature line by `witness` that verifies on the checkpoint text; NoteError if it
    is another key's or does not verify."""
    if witness.kind != COSIGNATURE_V1 or line.name != witness.name or line.id != witness.id:
        raise NoteError("the cosignature is not by this witness key")
    if len(line.signature) != 8 + 64:
        raise NoteError("a cosignature is a key ID, an 8-byte timestamp and a 64-byte signature")
    timestamp = struct.unpack(">Q", line.signature[:8])[0]
    if timestamp >= 2 ** 63:
        raise NoteError("a cosignature's timestamp is below 2^63")
    if not witness.verify(cosigned_message(checkpoint_text, timestamp), line.signature[8:]):
        raise NoteError(f"the cosignature of {witness.name}+{witness.id.hex()} does not verify")
    return timestamp
