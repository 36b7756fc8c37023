#!/usr/bin/env python3
"""An independent verifier of auditlog file logs, written from docs/FORMAT.md and docs/FILE-FORMAT.md alone.

Python 3.8+, standard library only (Ed25519 verification is the RFC 8032 reference algorithm in pure Python). It
shares no code with the Java writer: it exists to show that the documents suffice, and to give an auditor a check
that does not trust the software that wrote the log.

    auditlog_verify.py DIR --public-key auditlog.pub [--public-key old.pub] [--anchor ANCHOR_DIR] [--log ID] [--json]

Exit codes (as `auditlog verify`): 0 valid, 1 invalid (an error finding), 2 warnings only, 3 usage or I/O error.
Finding kinds, and which are errors and which warnings, are those of FORMAT.md section 9.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import sys

# ---------------------------------------------------------------------------------------------- Ed25519 (RFC 8032)

_P = 2 ** 255 - 19
_L = 2 ** 252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _recover_x(y, sign):
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _add(a, b):
    A = (a[1] - a[0]) * (b[1] - b[0]) % _P
    B = (a[1] + a[0]) * (b[1] + b[0]) % _P
    C = 2 * a[3] * b[3] * _D % _P
    D = 2 * a[2] * b[2] % _P
    E, F, G, H = B - A, D - C, D + C, B + A
    return (E * F % _P, G * H % _P, F * G % _P, E * H % _P)


def _mul(s, pt):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, pt)
        pt = _add(pt, pt)
        s >>= 1
    return q


def _decompress(s):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_G = (_recover_x(_GY, 0), _GY, 1, _recover_x(_GY, 0) * _GY % _P)


def ed25519_verify(public, message, signature):
    """RFC 8032 section 5.1.7: [S]B = R + [SHA-512(R || A || M)]A."""
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    left, right = _mul(s, _G), _add(r, _mul(h, a))
    return (left[0] * right[2] - right[0] * left[2]) % _P == 0 and (left[1] * right[2] - right[1] * left[2]) % _P == 0


# ---------------------------------------------------------------------------------------------- hashes (FORMAT §3, §6)

def sha256(*parts):
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.digest()


def genesis(log_id):
    return sha256(b"\x03", b"auditlog/v1", log_id.encode("ascii"))


class CompactTree:
    """The Merkle tree of the records seen, as its compact range: one perfect-subtree root per set bit, largest first."""

    def __init__(self, size=0, hashes=()):
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf):
        self.hashes.append(leaf)
        self.size += 1
        s = self.size
        while s & 1 == 0:
            right = self.hashes.pop()
            left = self.hashes.pop()
            self.hashes.append(sha256(b"\x01", left, right))
            s >>= 1

    def root(self):
        if not self.hashes:
            return sha256(b"")  # RFC 6962: the empty tree
        h = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            h = sha256(b"\x01", left, h)
        return h


# ---------------------------------------------------------------------------------------------- keys and notes (§5)

LOG_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z")
# FORMAT.md §13: a chain id is a log id, optionally "@" and an instance id; at most 128 characters.
CHAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9][A-Za-z0-9._-]{0,63})?\Z")


def is_chain_id(s):
    return len(s) <= 128 and CHAIN_ID.match(s) is not None
B64_32 = re.compile(r"[A-Za-z0-9+/]{43}=\Z")


class Key:
    def __init__(self, text):
        text = text.strip()
        parts = text.split("+", 2)  # base64 may hold "+"; a key name cannot
        if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
            raise ValueError("a public key file holds one line <name>+<8 hex key id>+<base64(0x01 || key)>")
        self.name = parts[0]
        blob = base64.b64decode(parts[2], validate=True)
        if len(blob) != 33 or blob[0] != 1:
            raise ValueError("the key must be 0x01 followed by a 32-byte Ed25519 public key")
        self.public = blob[1:]
        self.key_id = sha256(self.name.encode("utf-8"), b"\n\x01", self.public)[:4]
        if self.key_id.hex() != parts[1]:
            raise ValueError("the key id does not match the key")


class Note:
    """A checkpoint (a signed note whose text is exactly 5 lines), verified under the first trusted key it names."""

    def __init__(self, size, root, chain, time, text):
        self.size, self.root, self.chain, self.time, self.text = size, root, chain, time, text


_NOTE_CACHE = {}


def open_note(note, keys, log_id):
    """Returns a Note, or raises ValueError saying why the checkpoint does not verify."""
    cache_key = (note, log_id, tuple((k.name, k.key_id) for k in keys))
    cached = _NOTE_CACHE.get(cache_key)
    if cached is not None:
        return cached
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise ValueError("not a signed note: no blank line before the signatures, or no final newline")
    text, sigs = note[:split + 1], note[split + 2:]
    signatures = []
    for line in sigs[:-1].split("\n"):
        if not line.startswith("\u2014 ") or line.count(" ") != 2:
            raise ValueError("signature lines are '\u2014 <name> <base64>'")
        _, name, b64 = line.split(" ")
        try:
            blob = base64.b64decode(b64, validate=True)
        except ValueError:
            raise ValueError("signature is not base64")
        signatures.append((name, blob))
    # The first pinned key (in the order given) that signed the note decides; all its signatures must verify.
    decided = None
    for key in keys:
        mine = [blob[4:] for name, blob in signatures if name == key.name and blob[:4] == key.key_id]
        if mine:
            for sig in mine:
                if not ed25519_verify(key.public, text.encode("utf-8"), sig):
                    raise ValueError("the signature by pinned key %s does not verify" % key.name)
            decided = key
            break
    if decided is None:
        raise ValueError("no signature by a pinned key")
    lines = text[:-1].split("\n")
    if len(lines) != 5:
        raise ValueError("a checkpoint's text is exactly 5 lines, found %d" % len(lines))
    origin, size, root, chain, time = lines
    if origin != "auditlog/" + log_id:
        raise ValueError("origin %r is not auditlog/%s" % (origin, log_id))
    if not re.fullmatch(r"0|[1-9][0-9]{0,18}", size):
        raise ValueError("size line is not a decimal")
    if not B64_32.match(root) or not chain.startswith("chain ") or not B64_32.match(chain[6:]):
        raise ValueError("root or chain line is not 32 bytes of base64")
    if not time.startswith("time ") or time_problem(time[5:]):
        raise ValueError("time line is not a canonical time")
    result = Note(int(size), base64.b64decode(root), base64.b64decode(chain[6:]), time[5:], text)
    _NOTE_CACHE[cache_key] = result
    return result


def key_id(key):
    return "%s+%s" % (key.name, key.key_id.hex())


def signers(note):
    """The signature lines of a note as (name, key id hex), unverified: who claims to have signed it."""
    split = note.rfind("\n\n")
    out = []
    if split < 0:
        return out
    for line in note[split + 2:].split("\n"):
        parts = line.split(" ")
        if len(parts) == 3 and parts[0] == "\u2014":
            try:
                out.append("%s+%s" % (parts[1], base64.b64decode(parts[2], validate=True)[:4].hex()))
            except ValueError:
                pass
    return out


def note_text(note, key):
    """The text of a signed note whose signatures by key all verify (at least one); else ValueError."""
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise ValueError("not a signed note")
    text = note[:split + 1]
    found = False
    for line in note[split + 2:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014":
            raise ValueError("signature lines are '\u2014 <name> <base64>'")
        blob = base64.b64decode(parts[2], validate=True)
        if parts[1] == key.name and blob[:4] == key.key_id:
            if not ed25519_verify(key.public, text.encode("utf-8"), blob[4:]):
                raise ValueError("the signature by %s does not verify" % key_id(key))
            found = True
    if not found:
        raise ValueError("no signature by %s" % key_id(key))
    return text


class Statement:
    """A retention statement (§11) or key rotation (§12), its signature checked by the caller."""

    def __init__(self, text, log_id, kind):
        lines = text[:-1].split("\n")
        want = {"retention": ["chain ", "checkpoint ", "time "], "key": ["chain ", "from ", "to ", "time "]}[kind]
        if lines[0] == "auditlog/" + log_id:
            raise ValueError("this is a checkpoint of the log, not a %s statement: anyone can copy a checkpoint" % kind)
        if lines[0] != "auditlog/%s/%s" % (log_id, kind):
            raise ValueError("origin %r is not auditlog/%s/%s" % (lines[0], log_id, kind))
        if len(lines) != 3 + len(want) or any(not lines[3 + i].startswith(w) for i, w in enumerate(want)):
            raise ValueError("a %s statement's text is exactly %d lines" % (kind, 3 + len(want)))
        if not re.fullmatch(r"0|[1-9][0-9]{0,18}", lines[1]) or not B64_32.match(lines[2]) \
                or not B64_32.match(lines[3][6:]) or time_problem(lines[-1][5:]):
            raise ValueError("bad size, root, chain or time line")
        self.size, self.root, self.chain = int(lines[1]), base64.b64decode(lines[2]), base64.b64decode(lines[3][6:])
        if kind == "retention":
            ref = lines[4][11:].split(" ")
            if len(ref) != 2 or not re.fullmatch(r"0|[1-9][0-9]{0,18}", ref[0]) or not B64_32.match(ref[1]):
                raise ValueError("the checkpoint line is 'checkpoint <size> <base64 root>'")
            self.cp_size, self.cp_root = int(ref[0]), base64.b64decode(ref[1])
            if self.size < 1 or self.cp_size < self.size:
                raise ValueError("first must be >= 1 and the checkpoint must cover it")
        else:
            self.old, self.new = Key(lines[4][5:]), Key(lines[5][3:])
            if key_id(self.old) == key_id(self.new):
                raise ValueError("a key rotation must introduce another key")


# ---------------------------------------------------------------------------------------------- records (§2, §2.1)

TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{3}|[0-9]{6}|[0-9]{9}))?Z\Z")
KNOWN_TYPES = ("event", "checkpoint", "retention", "key")
V2_TYPES = ("retention", "key")  # FORMAT.md §2.2: records of these types carry "v":2, all others "v":1
RECORD_HEAD = re.compile(rb'\{"v":([12]),"log":"([A-Za-z0-9][A-Za-z0-9._-]*(?:@[A-Za-z0-9][A-Za-z0-9._-]{0,63})?)","seq":(0|[1-9][0-9]{0,18}),'
                         rb'"sealedAt":"([^"]*)","type":"([a-z_]+)","([a-z_]+)":')
TRAILER = re.compile(rb',"chain":"([0-9a-f]{64})"\}\Z')


def time_problem(s):
    m = TIME.match(s)
    if not m:
        return "not YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z"
    y, mo, d, h, mi, se = (int(g) for g in m.groups()[:6])
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not (1 <= mo <= 12 and 1 <= d <= days[mo - 1] and h <= 23 and mi <= 59 and se <= 59):
        return "not a real date and time"
    f = m.group(7)
    if f is not None:
        v = int(f)
        if v == 0 or (len(f) > 3 and v % 1000 == 0):
            return "fraction digits are not the fewest of 3, 6 or 9 that hold it"
    return None


class NotCanonical(ValueError):
    pass


def _reject_duplicates(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise NotCanonical("duplicated member %r" % k)
        seen.add(k)
    return pairs  # a list keeps the member order for re-encoding


def _no_float(s):
    raise NotCanonical("numbers are integers: %s" % s)


def _no_constant(s):
    raise NotCanonical("not a JSON value: %s" % s)


_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


_SPECIAL = re.compile('[\x00-\x1f"\\\\\x7f\u2028\u2029\ud800-\udfff]')


def _escape(m):
    ch = m.group(0)
    c = ord(ch)
    if ch in _SHORT:
        return _SHORT[ch]
    if 0xD800 <= c <= 0xDFFF:
        raise NotCanonical("unpaired surrogate")
    return "\\u%04X" % c  # the controls without a short form, U+007F, U+2028, U+2029


def _encode_string(s):
    return '"' + _SPECIAL.sub(_escape, s) + '"'


def _encode(v):
    if isinstance(v, Obj):
        return "{" + ",".join(_encode_string(k) + ":" + _encode(x) for k, x in v) + "}"
    if isinstance(v, list):
        return "[" + ",".join(_encode(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if not -2 ** 63 <= v < 2 ** 63:
            raise NotCanonical("integer beyond 64 bits")
        return str(v)
    if isinstance(v, str):
        return _encode_string(v)
    if v is None:
        raise NotCanonical("null is never written")
    raise NotCanonical("unexpected value")


class Obj(list):
    """A JSON object as its (name, value) pairs in order."""


def _pairs(pairs):
    return Obj(_reject_duplicates(pairs))


def canonical_problem(line):
    """Why the record bytes are not the one form the writer produces (FORMAT.md §2.1), or None."""
    try:
        text = line.decode("utf-8")  # strict: rejects overlong forms, surrogates, beyond U+10FFFF
    except UnicodeDecodeError as e:
        return "invalid UTF-8 at offset %d" % e.start
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_float=_no_float, parse_constant=_no_constant)
        again = _encode(value)
    except NotCanonical as e:
        return str(e)
    except ValueError as e:
        return "not JSON: %s" % e
    if again != text:
        i = next((k for k in range(min(len(again), len(text))) if again[k] != text[k]), min(len(again), len(text)))
        return "not in canonical form at character %d (whitespace, an escape the writer does not use, or a raw" \
               " character it escapes)" % i
    return None


class Record:
    def __init__(self, line):
        if b"\n" in line or b"\r" in line:
            raise ValueError("a record holds no CR or LF")
        head = RECORD_HEAD.match(line)
        tail = TRAILER.search(line)
        if not head or not tail or len(line) < len(head.group(0)) + 76:
            raise ValueError("not the record layout {\"v\":1,\"log\":...,\"chain\":\"<64 hex>\"}")
        version = int(head.group(1))
        self.log = head.group(2).decode("ascii")
        self.seq = int(head.group(3))
        sealed_at = head.group(4).decode("ascii", "replace")
        self.type = head.group(5).decode("ascii")
        if head.group(6) != head.group(5):
            raise ValueError("the payload member is not named by the type")
        if self.type not in KNOWN_TYPES:
            raise ValueError("unknown record type %r" % self.type)
        if (version == 2) != (self.type in V2_TYPES):
            raise ValueError("a record of type %r has \"v\":%d" % (self.type, 2 if self.type in V2_TYPES else 1))
        problem = time_problem(sealed_at)
        if problem:
            raise ValueError("sealedAt %r: %s" % (sealed_at, problem))
        if line[len(line) - 77:len(line) - 76] != b"}":
            raise ValueError("the payload is not an object")
        problem = canonical_problem(line)
        if problem:
            raise ValueError("not canonical: " + problem)
        self.body = line[:-76]
        self.chain = bytes.fromhex(tail.group(1).decode("ascii"))
        self.leaf = sha256(b"\x00", self.body)
        self.payload = None
        if self.type in ("checkpoint", "retention", "key") or b'"action":"audit.file.recovered"' in line[:600]:
            self.payload = json.loads(line.decode("utf-8"))[self.type]


# ---------------------------------------------------------------------------------------------- findings (§9)

WARNINGS = {"NO_CHECKPOINT", "STALE", "RECOVERED", "UNSIGNED_TAIL", "NOT_ANCHORED"}


class KeyRing:
    """§12: the first signed note names a trusted key; later notes need the current key; a rotation moves it on."""

    def __init__(self, trusted):
        self.trusted, self.active, self.retired, self.since = list(trusted), None, [], -1

    def signer(self, note):
        ids = signers(note)
        if self.active is not None:
            if key_id(self.active) in ids:
                return self.active
            if any(key_id(k) in ids for k in self.retired):
                raise ValueError("signed by a key the log rotated away from")
            raise ValueError("signed by %s, not the log's key %s: a key change without a key rotation record"
                             % (ids, key_id(self.active)))
        for k in self.trusted:
            if key_id(k) in ids:
                return k
        raise ValueError("no signature by a trusted key")

    def use(self, key):
        if self.active is None:
            self.active = key

    def statement(self, note, log_id, kind):
        key = self.signer(note)
        st = Statement(note_text(note, key), log_id, kind)
        self.use(key)
        return st

    def rotate(self, note, log_id, seq):
        split = note.rfind("\n\n")
        if split < 0:
            raise ValueError("not a signed note")
        st = Statement(note[:split + 1], log_id, "key")
        current = self.active if self.active is not None else next(
            (k for k in self.trusted if key_id(k) == key_id(st.old) and k.public == st.old.public), None)
        if current is None or key_id(current) != key_id(st.old) or current.public != st.old.public:
            raise ValueError("the rotation is not from the log's key")
        note_text(note, st.old)
        note_text(note, st.new)
        self.retired.append(current)
        self.active, self.since = st.new, seq
        return st


class Verifier:
    """FORMAT.md §3 and §5: chain, sequence, checkpoints, anchor; fed record by record, in constant memory."""

    def __init__(self, log_id, keys, anchored_note, anchored_retention=None):
        self.log_id, self.keys = log_id, keys
        self.ring = KeyRing(keys)
        self.anchored_retention = anchored_retention
        self.start_note = None
        self.start_recorded = False
        self.last_cp = None
        self.findings = []
        self.expected = 0
        self.first = 0
        self.records = 0
        self.previous = genesis(log_id)
        self.tree = CompactTree()
        self.last_checkpoint_record = -1
        self.checkpoints = 0
        self.anchored = None
        self.anchor_checked = False
        self.anchored_record_seen = False
        if anchored_note is not None:
            try:
                self.anchored = open_note(anchored_note, keys, log_id)
            except ValueError as e:
                self.add("ANCHOR_INVALID", -1, -1, "", "the anchored checkpoint does not verify: %s" % e)

    def add(self, kind, seq, pos, where, message):
        self.findings.append({"kind": kind, "warning": kind in WARNINGS, "sequence": seq, "position": pos,
                              "location": where, "message": message})

    def position(self):
        return self.first + self.records

    def retention_start(self, note, range_hashes, first, where):
        """§11: the retention statement storage keeps for a log that starts after 0; True when it allows `first`."""
        if not self.keys:
            self.add("RETENTION_INVALID", -1, -1, where, "no key to check the retention statement with")
            return False
        try:
            st = self.ring.statement(note, self.log_id, "retention")
        except ValueError as e:
            self.add("RETENTION_INVALID", -1, -1, where, "retention statement: %s" % e)
            return False
        tree = CompactTree(st.size, range_hashes)
        if len(range_hashes) != bin(st.size).count("1") or tree.root() != st.root:
            self.add("RETENTION_INVALID", st.size, -1, where, "the retention range does not give its root")
            return False
        self.expected = self.first = st.size
        self.previous = st.chain
        self.tree = tree
        self.start_note = note
        if st.size != first:
            self.storage(first, where, "the retention statement keeps the records from %d" % st.size)
            return False
        return True

    def storage(self, seq, where, message):
        self.add("SEGMENT_MISMATCH", seq, self.position(), where, message)

    def recovered(self, seq, where, message):
        self.add("RECOVERED", seq, self.position(), where, message)

    def malformed(self, claimed, where, message):
        self.add("MALFORMED", claimed, self.position(), where, message)
        self.records += 1

    def check_anchor_at(self):
        a = self.anchored
        if a is None or self.anchor_checked or self.tree is None or self.tree.size != a.size or a.size < self.first:
            return
        self.anchor_checked = True
        if self.tree.root() != a.root:
            self.add("ANCHOR_MISMATCH", max(0, a.size - 1), -1, "", "the Merkle root at the anchored size differs")

    def record(self, r, where):
        pos = self.position()
        self.records += 1
        if r.log != self.log_id:
            self.add("WRONG_LOG", r.seq, pos, where, "record of log %r" % r.log)
        if r.seq != self.expected:
            self.add("SEQUENCE_GAP" if r.seq > self.expected else "SEQUENCE_REPEAT", r.seq, pos, where,
                     "expected sequence %d" % self.expected)
        self.check_anchor_at()
        if sha256(b"\x02", self.previous, r.leaf) != r.chain:
            self.add("CHAIN_MISMATCH", r.seq, pos, where, "the chain hash does not match")
        if r.type == "checkpoint" and self.keys:
            self.checkpoint(r, pos, where)
        elif r.type in ("retention", "key") and self.keys:
            self.statement(r, pos, where)
        if self.tree is not None:
            self.tree.append(r.leaf)
        self.previous = r.chain
        self.expected = r.seq + 1

    def checkpoint(self, r, pos, where):
        p = r.payload
        try:
            if not isinstance(p, dict) or list(p) != ["note", "range"]:
                raise ValueError("the payload is {\"note\":...,\"range\":[...]}")
            note, rng = p["note"], p["range"]
            if not isinstance(note, str) or not isinstance(rng, list) \
                    or not all(isinstance(h, str) and B64_32.match(h) for h in rng):
                raise ValueError("note is a string, range a list of base64 hashes")
            key = self.ring.signer(note)
            cp = open_note(note, [key], self.log_id)
            self.ring.use(key)
        except ValueError as e:
            self.add("CHECKPOINT_INVALID", r.seq, pos, where, str(e))
            return
        self.last_cp = (cp.size, cp.root)
        self.checkpoints += 1
        self.last_checkpoint_record = r.seq
        a = self.anchored
        if a is not None and r.seq == a.size:
            if cp.text == a.text:
                self.anchored_record_seen = True
            else:
                self.add("ANCHOR_MISMATCH", r.seq, pos, where, "the record at the anchored size is not the anchored"
                                                               " checkpoint")
        if self.tree is None:
            return
        if cp.size != self.tree.size or cp.root != self.tree.root() or cp.chain != self.previous \
                or [base64.b64decode(h) for h in rng] != self.tree.hashes:
            self.add("CHECKPOINT_MISMATCH", r.seq, pos, where, "size, root, chain or range differ from the records")

    def statement(self, r, pos, where):
        p = r.payload
        kind = "RETENTION_INVALID" if r.type == "retention" else "KEY_ROTATION_INVALID"
        try:
            if not isinstance(p, dict) or list(p) != ["note", "range"] or not isinstance(p["note"], str) \
                    or not all(isinstance(h, str) and B64_32.match(h) for h in p["range"]):
                raise ValueError("the payload is {\"note\":...,\"range\":[...]}")
            if r.type == "key":
                st = self.ring.rotate(p["note"], self.log_id, r.seq)
                if st.size != r.seq or st.chain != self.previous or (self.tree is not None and (
                        st.root != self.tree.root() or [base64.b64decode(h) for h in p["range"]] != self.tree.hashes)):
                    raise ValueError("size, chain, root or range differ from the records before it")
            else:
                st = self.ring.statement(p["note"], self.log_id, "retention")
                if st.cp_size >= r.seq:
                    raise ValueError("it relies on a checkpoint that is not before it")
                if st.cp_size >= self.first and self.last_cp != (st.cp_size, st.cp_root):
                    raise ValueError("it names another checkpoint than the last one before it")
                if p["note"] == self.start_note:
                    self.start_recorded = True
        except ValueError as e:
            self.add(kind, r.seq, pos, where, str(e))

    def finish(self):
        if self.start_note is not None:
            if not self.start_recorded:
                self.add("RETENTION_INVALID", self.first, -1, "", "the retention statement the log starts from is"
                                                                  " not recorded in the chain")
            if self.anchored is not None or self.anchored_retention is not None:
                if self.anchored_retention is None:
                    self.add("RETENTION_INVALID", self.first, -1, "", "the anchor never received the retention"
                                                                      " statement the log starts from")
                elif self.anchored_retention != self.start_note:
                    first = -1
                    for k in self.ring.retired + ([self.ring.active] if self.ring.active else []) + self.keys:
                        try:
                            first = Statement(note_text(self.anchored_retention, k), self.log_id, "retention").size
                            break
                        except ValueError:
                            pass
                    if first <= self.first:
                        self.add("RETENTION_INVALID", self.first, -1, "", "the anchor's retention statement does not"
                                                                          " allow this start")
        a = self.anchored
        if a is not None and not self.anchor_checked:
            self.check_anchor_at()
        if a is not None and self.expected <= a.size:
            self.add("TRUNCATED", self.expected, self.position(), "", "the log ends before the anchored checkpoint"
                                                                      " record %d" % a.size)
        elif a is not None and self.tree is not None and not self.anchored_record_seen and a.size >= self.first:
            self.add("ANCHOR_MISMATCH", a.size, -1, "", "record %d should be the anchored checkpoint" % a.size)
        if a is not None and a.size < self.first:
            self.add("NOT_ANCHORED", a.size, -1, "", "the anchored checkpoint is older than the first retained record")
        if self.keys and self.checkpoints == 0 and self.records > 0:
            self.add("NO_CHECKPOINT", -1, -1, "", "no signed checkpoint")
        elif self.keys and self.checkpoints > 0 and self.last_checkpoint_record < self.expected - 1:
            start = self.last_checkpoint_record + 1
            self.add("UNSIGNED_TAIL", start, start, "", "records %d..%d after the last signed checkpoint"
                     % (start, self.expected - 1))


# ---------------------------------------------------------------------------------------------- files (FILE-FORMAT.md)

NUM = rb"(0|[1-9][0-9]{0,18})"
HEX64 = rb"([0-9a-f]{64})"
LOG = rb"([A-Za-z0-9][A-Za-z0-9._-]*(?:@[A-Za-z0-9][A-Za-z0-9._-]{0,63})?)"  # a chain id (§13)
# Segment format 1 states SHA-256 digests of whole files (previous.sha256, the footer's sha256); format 2 does not.
HEADER = re.compile(rb'\{"segment":\{"v":([12]),"log":"' + LOG + rb'","first":' + NUM + rb',"previous":(null|\{"file":"'
                    rb'([0-9]{20}\.jsonl)","lastSequence":' + NUM + rb',"lastChain":"' + HEX64 + rb'","records":'
                    + NUM + rb'(?:,"sha256":"' + HEX64 + rb'")?\})\}\}\Z')
FOOTER = re.compile(rb'\{"segmentSeal":\{"log":"' + LOG + rb'","first":' + NUM + rb',"lastSequence":' + NUM
                    + rb',"records":' + NUM + rb',"lastChain":"' + HEX64 + rb'"(?:,"sha256":"' + HEX64
                    + rb'")?\}\}\Z')
SEGMENT = re.compile(r"[0-9]{20}\.jsonl\Z")
CLAIMED_SEQ = re.compile(rb'"seq":([0-9]{1,18})')


def claimed(line):
    m = CLAIMED_SEQ.search(line[:512])
    return int(m.group(1)) if m else -1


def segment_lines(path):
    """(offset, bytes without '\\n', terminated) for each line, one at a time."""
    offset = 0
    with open(path, "rb") as f:
        for raw in f:
            terminated = raw.endswith(b"\n")
            yield offset, raw[:-1] if terminated else raw, terminated
            offset += len(raw)


def walk(log_dir, log_id, v):
    names = sorted(n for n in os.listdir(log_dir) if SEGMENT.match(n))
    firsts = [int(n[:20]) for n in names]
    pruned = False
    statement = os.path.join(log_dir, "pruned.retention")
    if firsts and firsts[0] > 0 and os.path.exists(statement):
        with open(statement, "rb") as f:
            data = f.read()
        try:
            if not data.endswith(b"\n"):
                raise ValueError("pruned.retention holds one record and a newline")
            r = Record(data[:-1])
            if r.type != "retention":
                raise ValueError("pruned.retention holds a %s record" % r.type)
            hashes = [base64.b64decode(h) for h in r.payload["range"]]
            pruned = v.retention_start(r.payload["note"], hashes, firsts[0], "pruned.retention")
        except ValueError as e:
            v.storage(firsts[0], "pruned.retention", str(e))
    elif firsts and firsts[0] > 0 and os.path.exists(os.path.join(log_dir, "pruned.checkpoint")):
        with open(os.path.join(log_dir, "pruned.checkpoint"), encoding="utf-8") as f:
            note = f.read()
        with open(os.path.join(log_dir, "pruned.range"), encoding="ascii") as f:
            hashes = [base64.b64decode(x) for x in f.read().split("\n") if x]
        pruned = v.retention_start(note, hashes, firsts[0], "pruned.checkpoint")  # version 1: never valid (§11)
    overlap = {}
    link = None  # what the next header's "previous" must say
    for i, name in enumerate(names):
        first, last = firsts[i], i == len(names) - 1
        next_first = firsts[i + 1] if not last else None
        whole = hashlib.sha256()  # needed by format 1 only; computed always here, for simplicity
        version = 0
        records, last_seq, last_chain, link_seq, link_chain = 0, -1, None, -1, None
        footer_seen, count = False, 0
        lines = segment_lines(os.path.join(log_dir, name))
        for offset, line, terminated in lines:
            where = "%s:%d" % (name, offset)
            before = whole.copy().digest()
            whole.update(line + (b"\n" if terminated else b""))
            count += 1
            if footer_seen:
                v.storage(last_seq, where, "content after the footer")
            if count == 1:
                version = check_header(line, where, log_id, first, i == 0 and not pruned, link, v)
                continue
            if line.startswith(b'{"v":'):
                if not terminated:
                    # Rule 6: only the last line of the last segment, or of an abandoned segment, may be torn.
                    v.recovered(claimed(line), where, "torn last line, never acknowledged")
                    continue
                try:
                    r = Record(line)
                except ValueError as e:
                    v.malformed(claimed(line), where, str(e))
                    continue
                records += 1
                last_seq, last_chain = r.seq, r.chain
                if next_first is not None and r.seq >= next_first:
                    overlap[r.seq] = line
                    continue
                link_seq, link_chain = r.seq, r.chain
                earlier = overlap.pop(r.seq, None)
                if earlier is not None and earlier != line:
                    v.storage(r.seq, where, "differs from its copy in the abandoned segment")
                v.record(r, where)
                if r.payload is not None and r.type == "event" and dict(r.payload).get("action") \
                        == "audit.file.recovered":
                    v.recovered(r.seq, where, "the file sink recovered from a torn write")
            elif line.startswith(b'{"segmentSeal":'):
                footer_seen = True
                m = FOOTER.match(line)
                ok = m and m.group(1).decode() == log_id and int(m.group(2)) == first \
                    and int(m.group(3)) == last_seq and int(m.group(4)) == records and records >= 1 \
                    and int(m.group(3)) == first + records - 1 and last_chain is not None \
                    and m.group(5).decode() == last_chain.hex() \
                    and (m.group(6) or b"").decode() == (before.hex() if version == 1 else "")
                if not ok:
                    v.storage(last_seq, where, "the footer does not match the segment")
            elif line.startswith(b'{"segment":'):
                v.storage(last_seq + 1, where, "a second header")
            else:
                v.malformed(claimed(line), where, "not a record, header or footer")
        if count == 0:
            v.storage(first, name + ":0", "empty segment file")
        elif not last and not footer_seen:
            v.recovered(link_seq + 1, name, "no footer: abandoned after a failed force")
        link = (name, link_seq, link_chain.hex() if link_chain else "", records, whole.hexdigest())
    if overlap:
        v.recovered(min(overlap), "", "records of an abandoned segment beyond the end of the log")


def check_header(line, where, log_id, first, first_of_log, link, v):
    """Checks a segment's first line; returns its format version (1 or 2), or 0 when it is no header."""
    m = HEADER.match(line)
    if not m:
        v.storage(first, where, "bad segment header")
        return 0
    version = int(m.group(1))
    if m.group(4) != b"null" and (m.group(9) is not None) != (version == 1):
        v.storage(first, where, "previous.sha256 is in format 1 headers only")
    if m.group(2).decode() != log_id or int(m.group(3)) != first:
        v.storage(first, where, "the header names another log or first sequence")
    if first_of_log:
        if m.group(4) != b"null" or first != 0:
            v.storage(first, where, "the first segment does not start the log")
        return version
    if link is None:  # the first segment after a verified retention checkpoint: its predecessor was pruned
        if m.group(4) == b"null" or int(m.group(6)) != first - 1:
            v.storage(first, where, "the first retained segment must link the pruned one before it")
        return version
    if m.group(4) == b"null":
        v.storage(first, where, "the header does not link the previous segment")
        return version
    said = (m.group(5).decode(), int(m.group(6)), m.group(7).decode(), int(m.group(8)))
    if said != link[:4] or said[1] != first - 1 or (version == 1 and m.group(9).decode() != link[4]):
        v.storage(first, where, "the link to the previous segment does not match: %s vs %s" % (said, link))
    return version


def registered_chains(store):
    """FORMAT.md §13: the file store's chain registry, .chains/<chain id>.checkpoint -> its latest note ("" if none)."""
    reg = os.path.join(store, ".chains")
    out = {}
    if os.path.isdir(reg):
        for n in os.listdir(reg):
            if n.endswith(".checkpoint") and is_chain_id(n[:-11]):
                with open(os.path.join(reg, n), encoding="utf-8", errors="replace") as f:
                    out[n[:-11]] = f.read()
    return out


def note_size(note):
    """The size line of a registered note, or -1 when it has none (the chain's own checks judge the note)."""
    lines = note.split("\n")
    return int(lines[1]) if len(lines) > 2 and re.fullmatch(r"(0|[1-9][0-9]{0,18})", lines[1]) else -1


def log_of(chain_id):
    return chain_id.split("@", 1)[0]


# ---------------------------------------------------------------------------------------------- command line

def main(argv=None):
    ap = argparse.ArgumentParser(description="Verify auditlog file logs (docs/FORMAT.md, docs/FILE-FORMAT.md).")
    ap.add_argument("dir", help="the file store: a directory holding one directory per log")
    ap.add_argument("--public-key", action="append", required=True, help="pinned public key file (repeatable)")
    ap.add_argument("--anchor", help="directory of anchored checkpoints, <log>.checkpoint (and <log>.retention)")
    ap.add_argument("--log", help="verify only this log")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 3
    try:
        keys = []
        for path in args.public_key:
            with open(path, encoding="utf-8") as f:
                keys.append(Key(f.read()))
        anchored_logs = set()
        if args.anchor is not None:
            if not os.path.isdir(args.anchor):
                raise ValueError("--anchor %s is not a directory" % args.anchor)
            anchored_logs = {n[:-11] for n in os.listdir(args.anchor)
                             if n.endswith(".checkpoint") and is_chain_id(n[:-11])}
            if not anchored_logs:
                raise ValueError("--anchor %s holds no anchored checkpoint" % args.anchor)
        if not os.path.isdir(args.dir):
            raise ValueError("%s is not a directory" % args.dir)
        # A log is a directory with a log id's name holding at least one segment (FILE-FORMAT.md, layout).
        # A chain is a directory named by its chain id holding at least one segment (FILE-FORMAT.md, layout).
        stored = {n for n in os.listdir(args.dir) if is_chain_id(n) and os.path.isdir(os.path.join(args.dir, n))
                  and any(SEGMENT.match(f) for f in os.listdir(os.path.join(args.dir, n)))}
        registry = registered_chains(args.dir)
        ids = sorted(stored | anchored_logs | set(registry))
        if args.log:  # a chain id, or a log id standing for all of its chains
            ids = [i for i in ids if i == args.log or ("@" not in args.log and log_of(i) == args.log)] or [args.log]
        if not ids:
            raise ValueError("no logs in %s" % args.dir)
        results = []
        for log_id in ids:
            note = None
            if args.anchor is not None and log_id in anchored_logs:
                with open(os.path.join(args.anchor, log_id + ".checkpoint"), encoding="utf-8") as f:
                    note = f.read()
            retention = None
            if args.anchor is not None and os.path.exists(os.path.join(args.anchor, log_id + ".retention")):
                with open(os.path.join(args.anchor, log_id + ".retention"), encoding="utf-8") as f:
                    retention = f.read()
            v = Verifier(log_id, keys, note, retention)
            if args.anchor is not None and note is None:
                v.add("NOT_ANCHORED", -1, -1, args.anchor, "the anchor holds no checkpoint for this log")
            registered = registry.get(log_id)
            if log_id in stored:
                walk(os.path.join(args.dir, log_id), log_id, v)
                size = note_size(registered) if registered else -1
                if size >= v.expected:  # a checkpoint of size n is itself record n (§5): the chain must reach it
                    v.add("CHAIN_MISSING", v.expected, -1, "chain " + log_id,
                          "the store's chain registry holds a checkpoint of %d record(s) (record %d) but the chain "
                          "ends before record %d: its tail was removed" % (size, size, v.expected))
            elif registered is not None:
                v.add("CHAIN_MISSING", -1, -1, "chain " + log_id,
                      "the store's chain registry lists chain %s but holds none of its records: the chain was removed"
                      % log_id)
                results.append((log_id, v))
                continue
            elif note is None:
                raise ValueError("no log %s in %s" % (log_id, args.dir))
            v.finish()
            results.append((log_id, v))
    except (OSError, ValueError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 3
    code = 0
    for _, v in results:
        if any(not f["warning"] for f in v.findings):
            code = 1
        elif v.findings and code == 0:
            code = 2
    if args.json:
        print(json.dumps({"exitCode": code, "logs": [
            {"log": log_id, "records": v.records, "checkpoints": v.checkpoints, "findings": v.findings}
            for log_id, v in results]}, indent=2))
    else:
        for log_id, v in results:
            for f in v.findings:
                print("%s %s %s pos=%d seq=%d: %s" % ("WARNING" if f["warning"] else "ERROR", f["kind"],
                                                      f["location"] or "-", f["position"], f["sequence"],
                                                      f["message"]))
            verdict = "INVALID" if any(not f["warning"] for f in v.findings) else \
                "VALID with warnings" if v.findings else "VALID"
            print("log %s: %s — %d records, %d checkpoints verified" % (log_id, verdict, v.records, v.checkpoints))
    return code


if __name__ == "__main__":
    sys.exit(main())
