#!/usr/bin/env python3
"""Check a Pacta log without trusting it, with nothing but Python's standard library.

    python3 tools/tlog_verify.py URL --key 'NAME+KEYID+BASE64' [--position N ...] [--all] [--since SIZE:ROOT]

- the checkpoint (URL/api/v1/log/checkpoint) must be a C2SP signed note that verifies under --key (the log's
  verifier key, obtained out of band: docs/log.md or a copy you trust), with origin, size and base64 root;
- --position N: the event at N (from the feed) must be in that checkpoint's tree: its leaf hash is recomputed
  from its record (SHA-256 over 0x00 and the record's canonical JSON), and its inclusion proof
  (URL/api/v1/log/inclusion) must lead to the signed root (RFC 9162 2.1.3.2);
- --all: the whole tree is recomputed from the feed (public records; the leaf hashes of hidden placeholders)
  and must have the signed root;
- --since SIZE:ROOT: a checkpoint you kept from before must be a prefix of the new one (consistency proof,
  RFC 9162 2.1.4.2).

It shares no code with Pacta: the Ed25519 check is RFC 8032's (section 5.1.7, cofactorless as its reference
code), written out below. Exit status 0 when everything verifies, 1 with the reason otherwise.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import struct
import sys
import urllib.parse
import urllib.request

# ---------------------------------------------------------------------------------------------- Ed25519 (RFC 8032)

_P = 2 ** 255 - 19
_L = 2 ** 252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_I = pow(2, (_P - 1) // 4, _P)


def _recover_x(y, sign):
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _I % _P
    if (x * x - x2) % _P:
        return None
    return _P - x if (x & 1) != sign else x


def _add(a, b):
    e1, e2 = (a[1] - a[0]) * (b[1] - b[0]) % _P, (a[1] + a[0]) * (b[1] + b[0]) % _P
    c, d = 2 * a[3] * b[3] * _D % _P, 2 * a[2] * b[2] % _P
    e, f, g, h = e2 - e1, d - c, d + c, e2 + e1
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _mul(s, point):
    out = (0, 1, 1, 0)
    while s:
        if s & 1:
            out = _add(out, point)
        point, s = _add(point, point), s >> 1
    return out


def _point(data):
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_G = (_recover_x(_GY, 0), _GY, 1, _recover_x(_GY, 0) * _GY % _P)


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _point(public), _point(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    left, right = _mul(s, _G), _add(r, _mul(h, a))
    return (left[0] * right[2] - right[0] * left[2]) % _P == 0 and (left[1] * right[2] - right[1] * left[2]) % _P == 0


# ---------------------------------------------------------------------------------------------- signed notes


class Failed(Exception):
    pass


def parse_key(vkey: str, kind: int = 1):
    name, key_id, key = vkey.strip().split("+", 2)
    raw = base64.b64decode(key, validate=True)
    if len(raw) != 33 or raw[0] != kind:
        raise Failed("the key is not an Ed25519 key of the expected type")
    if hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() != key_id:
        raise Failed("the key's ID does not match its name and key")
    return name, bytes.fromhex(key_id), raw[1:]


def open_note(note: str, vkey: str) -> str:
    """The text of a signed note, if the key in `vkey` signed it."""
    name, key_id, public = parse_key(vkey)
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise Failed("not a signed note")
    text = note[:cut + 1]
    for line in note[cut + 2:-1].split("\n"):
        if not line.startswith("\u2014 "):
            raise Failed("a signature line does not start with an em dash")
        signer, _, sig = line[2:].partition(" ")
        raw = base64.b64decode(sig, validate=True)
        if signer == name and raw[:4] == key_id:
            if ed25519_verify(public, text.encode(), raw[4:]):
                return text
            raise Failed("the log's signature does not verify")
    raise Failed("the note has no signature of this key")


def parse_checkpoint(text: str):
    origin, size, root = text.split("\n")[:3]
    if not size.isdigit() or (size != "0" and size.startswith("0")):
        raise Failed("the checkpoint's size is not a decimal number")
    return origin, int(size), base64.b64decode(root, validate=True)


def verify_cosignature(text: str, line: str, vkey: str) -> int:
    """The time of a witness's cosignature/v1 line on a checkpoint text, if `vkey` (type 0x04) made it."""
    name, key_id, public = parse_key(vkey, kind=4)
    signer, _, sig = line.strip()[2:].partition(" ")
    raw = base64.b64decode(sig, validate=True)
    if signer != name or raw[:4] != key_id or len(raw) != 76:
        raise Failed("not this witness's cosignature")
    (when,) = struct.unpack(">Q", raw[4:12])
    if not ed25519_verify(public, f"cosignature/v1\ntime {when}\n{text}".encode(), raw[12:]):
        raise Failed("the cosignature does not verify")
    return when


# ---------------------------------------------------------------------------------------------- RFC 6962 / 9162


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_of(leaves: list[bytes]) -> bytes:
    """MTH over leaf hashes (RFC 6962 2.1), bottom up."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = leaves
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
    return level[0]


def inclusion_ok(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    if index >= size or len(leaf) != 32 or any(len(p) != 32 for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def consistency_ok(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    if first == 0 or first > second or any(len(p) != 32 for p in proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = [first_root] + proof if first & (first - 1) == 0 else list(proof)
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


def canonical_record(entry: dict) -> bytes:
    """The record a feed entry's leaf covers: nine keys, sorted, no spaces, UTF-8 (docs/api.md)."""
    keys = ("position", "stream_id", "stream_version", "event_id", "type", "schema_version", "payload", "effective",
            "recorded_at")
    return json.dumps({k: entry[k] for k in keys}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------------------------- the command


def _get(url: str):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "*/*"}), timeout=30) as response:
        return response.read()


def main(argv=None, get=_get, out=print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--key", required=True, help="the log's verifier key line")
    parser.add_argument("--position", type=int, action="append", default=[])
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--since", help="SIZE:BASE64ROOT of a checkpoint you kept")
    parser.add_argument("--witness", action="append", default=[], help="a witness's key line: its cosignature "
                        "must be on the checkpoint")
    args = parser.parse_args(argv)
    base = args.url.rstrip("/") + "/api/v1"
    try:
        note = get(f"{base}/log/checkpoint").decode("utf-8")
        text = open_note(note, args.key)
        origin, size, root = parse_checkpoint(text)
        out(f"checkpoint {origin} {size} {base64.b64encode(root).decode()}: signature verifies")
        for vkey in args.witness:
            lines = [line for line in note[note.rfind("\n\n") + 2:].splitlines() if line.split(" ")[1] ==
                     vkey.split("+")[0]]
            times = []
            for line in lines:
                try:
                    times.append(verify_cosignature(text, line, vkey))
                except Failed:
                    pass
            if not times:
                raise Failed(f"no cosignature of {vkey.split('+')[0]} verifies on the checkpoint")
            out(f"cosigned by {vkey.split('+')[0]} at {max(times)}")
        for position in args.position:
            page = json.loads(get(f"{base}/events/?after={position - 1}&page_size=1"))
            entry = page["results"][0]
            if entry["position"] != position:
                raise Failed(f"the feed answered position {entry['position']} for {position}")
            leaf = leaf_hash(canonical_record(entry)) if "stream_id" in entry else \
                base64.b64decode(entry["leaf_hash"])
            proof = json.loads(get(f"{base}/log/inclusion?" + urllib.parse.urlencode(
                {"position": position, "tree_size": size})))
            if not inclusion_ok(position - 1, size, leaf, [base64.b64decode(h) for h in proof["hashes"]], root):
                raise Failed(f"the inclusion proof of position {position} does not lead to the signed root")
            out(f"position {position}: included" + ("" if "stream_id" in entry else " (hidden: leaf hash only)"))
        if args.all:
            leaves, url = [], f"{base}/events/?after=0&page_size=1000"
            while url and len(leaves) < size:
                page = json.loads(get(url))
                for entry in page["results"]:
                    leaves.append(leaf_hash(canonical_record(entry)) if "stream_id" in entry
                                  else base64.b64decode(entry["leaf_hash"]))
                url = page["next"]
            if root_of(leaves[:size]) != root:
                raise Failed("the tree recomputed from the feed does not have the signed root")
            out(f"all {size} events: the recomputed tree has the signed root")
        if args.since:
            old_size, old_root = args.since.split(":", 1)
            old_size, old_root = int(old_size), base64.b64decode(old_root)
            proof = json.loads(get(f"{base}/log/consistency?first={old_size}&second={size}"))
            if not consistency_ok(old_size, size, old_root, root, [base64.b64decode(h) for h in proof["hashes"]]):
                raise Failed(f"the log of {size} events does not extend the one of {old_size} you kept")
            out(f"consistent with the checkpoint of {old_size} events")
    except Failed as exc:
        out(f"FAILED: {exc}")
        return 1
    except (ValueError, KeyError, IndexError, OSError) as exc:
        out(f"FAILED: the log's answers are malformed or unreachable ({exc})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
