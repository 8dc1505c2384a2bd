#!/usr/bin/env python3
"""draw_ref.py - an independent implementation of Zhiliang's verifiable draw
(docs/draws.md), written from the document, not from the C code, in plain
Python 3 with no packages: ChaCha20 from RFC 8439, SHA-256 from hashlib.

    draw_ref.py verify RECORD.json     check a record: exit 0 when both
                                       commitments and the result match,
                                       1 naming what differs, 2 when the
                                       record cannot be read
    draw_ref.py example                print the numbers of the worked
                                       example of docs/draws.md
    draw_ref.py inspector-record       print the record of a small inspector
                                       draw (tests/data/draw/inspectors-record.json)

tests/cli/draw.sh runs it on records that `zhiliang draw` writes, so the two
implementations check each other; auditors may use it as a starting point.
"""
import hashlib
import json
import struct
import sys
from fractions import Fraction

ALGORITHM = "zhiliang-draw-v1"
MASK32 = 0xFFFFFFFF


# ---- ChaCha20 (RFC 8439, section 2.3) ------------------------------------

def _rotl(v, c):
    return ((v << c) & MASK32) | (v >> (32 - c))


def _quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & MASK32; s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & MASK32; s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & MASK32; s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & MASK32; s[b] = _rotl(s[b] ^ s[c], 7)


def chacha20_block(key, counter, nonce=bytes(12)):
    state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    state += list(struct.unpack("<8L", key)) + [counter] + list(struct.unpack("<3L", nonce))
    w = state[:]
    for _ in range(10):
        _quarter(w, 0, 4, 8, 12); _quarter(w, 1, 5, 9, 13)
        _quarter(w, 2, 6, 10, 14); _quarter(w, 3, 7, 11, 15)
        _quarter(w, 0, 5, 10, 15); _quarter(w, 1, 6, 11, 12)
        _quarter(w, 2, 7, 8, 13); _quarter(w, 3, 4, 9, 14)
    return struct.pack("<16L", *[(x + y) & MASK32 for x, y in zip(w, state)])


class Stream:
    """The keystream under `key`, zero nonce, blocks counted from 0, read in order."""

    def __init__(self, key):
        self.key, self.block, self.buf = key, 0, b""

    def word(self):
        while len(self.buf) < 8:
            self.buf += chacha20_block(self.key, self.block)
            self.block += 1
        w, self.buf = self.buf[:8], self.buf[8:]
        return struct.unpack("<Q", w)[0]


# ---- the pieces of the method --------------------------------------------

def ns(b):
    """A netstring: decimal length, ':', the bytes, ','."""
    if isinstance(b, str):
        b = b.encode("utf-8")
    return str(len(b)).encode() + b":" + b + b","


def stream_key(kind, seed, name):
    return hashlib.sha256(ns(ALGORITHM) + ns(kind) + ns(seed) + ns(name)).digest()


def neglog2(u53):
    """-log2((u53 + 1) / 2^53) in units of 2^-58, by 58 squarings."""
    v = u53 + 1
    n = v.bit_length() - 1
    y = v << (62 - n)
    frac = 0
    for _ in range(58):
        y = (y * y) >> 62
        frac <<= 1
        if y >= 1 << 63:
            y >>= 1
            frac |= 1
    return ((53 - n) << 58) - frac


def weight_micro(text):
    whole, _, frac = text.strip().partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 6 or text.strip().endswith("."):
        raise ValueError("bad weight %r" % text)
    return int(whole) * 10**6 + int((frac + "000000")[:6])


def weight_text(micro):
    whole, frac = divmod(micro, 10**6)
    return str(whole) + ("." + ("%06d" % frac).rstrip("0") if frac else "")


def smallest(items, k):
    """items: (position, u53, weight_micro); the k smallest keys L / w, ties by position."""
    keyed = [(Fraction(neglog2(u), w), j, u) for j, u, w in items]
    keyed.sort()
    return [(j, u, neglog2(u)) for _, j, u in keyed[:k]]


def utf8_order(s):
    return s.encode("utf-8")


# ---- select -----------------------------------------------------------------

def select_inputs(rec):
    stratified = rec.get("quotas") is not None
    strata = {}
    if stratified:
        for q in rec["quotas"]:
            strata[q["stratum"]] = {"quota": q["quota"], "cands": []}
    else:
        strata[""] = {"quota": rec["count"], "cands": []}
    for c in rec["candidates"]:
        strata[c["stratum"] if stratified else ""]["cands"].append((c["id"], weight_micro(c["weight"])))
    names = sorted(strata, key=utf8_order)
    for name in names:
        strata[name]["cands"].sort(key=lambda c: utf8_order(c[0]))
    return names, strata


def select_canonical(rec, names, strata):
    out = ns(ALGORITHM) + ns("select") + ns(rec["label"]) + ns(str(len(names)))
    for name in names:
        st = strata[name]
        out += ns(name) + ns(str(st["quota"])) + ns(str(len(st["cands"])))
        for cid, w in st["cands"]:
            out += ns(cid) + ns(weight_text(w))
    return out


def select_run(seed, names, strata):
    result = []
    for name in names:
        st = strata[name]
        if st["quota"] == 0:
            continue
        s = Stream(stream_key("stratum", seed, name))
        items = [(j, s.word() >> 11, w) for j, (_, w) in enumerate(st["cands"])]
        for j, u, l in smallest(items, st["quota"]):
            result.append((st["cands"][j][0], name, u, l))
    return result


# ---- inspectors -------------------------------------------------------------

def inspectors_canonical(rec, pool, tasks):
    out = ns(ALGORITHM) + ns("inspectors") + ns(rec["label"]) + ns(str(rec["per_task"]))
    out += ns("1" if rec["exclude_own_county"] else "0") + ns(str(len(pool)))
    for m in pool:
        conf = sorted(m["conflicts"], key=utf8_order)
        out += ns(m["id"]) + ns(m["county"]) + ns(str(len(conf))) + b"".join(ns(c) for c in conf)
    out += ns(str(len(tasks)))
    for t in tasks:
        out += ns(t["id"]) + ns(t["enterprise"]) + ns(t["county"])
    return out


def inspectors_run(rec, seed, pool, tasks):
    result = []
    for t in tasks:
        s = Stream(stream_key("task", seed, t["id"]))
        items = []
        for j, m in enumerate(pool):
            u = s.word() >> 11
            if rec["exclude_own_county"] and m["county"] and m["county"] == t["county"]:
                continue
            if t["enterprise"] in m["conflicts"]:
                continue
            items.append((j, u, 10**6))
        for j, u, l in smallest(items, rec["per_task"]):
            result.append((pool[j]["id"], t["id"], u, l))
    return result


# ---- verify -----------------------------------------------------------------

def verify(path):
    try:
        with open(path, "rb") as f:
            rec = json.loads(f.read().decode("utf-8"))
        if rec["algorithm"] != ALGORITHM:
            raise ValueError("unknown algorithm")
        seed = bytes.fromhex(rec["seed"]) if rec.get("seed") else None
        if rec["kind"] == "select":
            names, strata = select_inputs(rec)
            canonical = select_canonical(rec, names, strata)
        else:
            pool = sorted(rec["pool"], key=lambda m: utf8_order(m["id"]))
            tasks = sorted(rec["tasks"], key=lambda t: utf8_order(t["id"]))
            canonical = inspectors_canonical(rec, pool, tasks)
    except (OSError, ValueError, KeyError, TypeError) as e:
        print("cannot read the record: %s" % e)
        return 2
    ok = True
    got = hashlib.sha256(canonical).hexdigest()
    if got == rec["input_commitment"]:
        print("input commitment matches")
    else:
        print("input commitment DIFFERS: %s, computed %s" % (rec["input_commitment"], got))
        ok = False
    if seed is None:
        print("no seed yet")
        return 1
    got = hashlib.sha256(seed).hexdigest()
    if got == rec["seed_commitment"]:
        print("seed commitment matches")
    else:
        print("seed commitment DIFFERS: %s, computed %s" % (rec["seed_commitment"], got))
        ok = False
    if rec["kind"] == "select":
        computed = select_run(seed, names, strata)
        recorded = [(p["id"], p.get("stratum", ""), p.get("u53"), p.get("neglog2")) for p in rec.get("result", [])]
    else:
        computed = inspectors_run(rec, seed, pool, tasks)
        recorded = [(m["id"], r["task"], m.get("u53"), m.get("neglog2"))
                    for r in rec.get("result", []) for m in r["inspectors"]]
    for i in range(max(len(computed), len(recorded))):
        c = computed[i] if i < len(computed) else None
        r = recorded[i] if i < len(recorded) else None
        if c is None or r is None or r[0] != c[0] or r[1] != c[1] or \
                (r[2] is not None and r[2] != c[2]) or (r[3] is not None and int(r[3]) != c[3]):
            print("result position %d DIFFERS: record %s, computed %s" % (i + 1, r, c))
            ok = False
    if ok:
        print("result matches: %d positions" % len(computed))
    print("verified" if ok else "NOT verified")
    return 0 if ok else 1


def example():
    """The worked example of docs/draws.md."""
    rec = {"label": "2014年第3批 电线电缆", "count": 3, "quotas": [
        {"stratum": "410102", "quota": 2}, {"stratum": "410105", "quota": 1}],
        "candidates": [
        {"id": "914101007890123456", "weight": "1", "stratum": "410102"},
        {"id": "914101001234567890", "weight": "2", "stratum": "410102"},
        {"id": "914101005555555555", "weight": "0.5", "stratum": "410102"},
        {"id": "914101009999999999", "weight": "1", "stratum": "410105"},
        {"id": "914101003333333333", "weight": "4", "stratum": "410105"}]}
    seed = bytes(range(32))
    names, strata = select_inputs(rec)
    canonical = select_canonical(rec, names, strata)
    print("canonical %s" % canonical.decode("utf-8"))
    print("input_commitment %s" % hashlib.sha256(canonical).hexdigest())
    print("seed_commitment %s" % hashlib.sha256(seed).hexdigest())
    for name in names:
        key = stream_key("stratum", seed, name)
        print("stream_key %s %s" % (name, key.hex()))
        s = Stream(key)
        for cid, w in strata[name]["cands"]:
            u = s.word() >> 11
            l = neglog2(u)
            print("key %s %s u53=%d neglog2=%d w=%s key=%.12f" % (name, cid, u, l, weight_text(w), l / 2**58 / (w / 1e6)))
    for pos, (cid, name, u, l) in enumerate(select_run(seed, names, strata), 1):
        print("result %d %s %s" % (pos, name, cid))
    return 0


def inspector_record():
    """A small inspector draw: two tasks, five inspectors, the county rule on."""
    rec = {"record": "zhiliang-draw-record", "algorithm": ALGORITHM, "kind": "inspectors",
           "label": "2014 第3批 抽查人员", "per_task": 2, "exclude_own_county": True,
           "pool": [{"id": "I1", "county": "410102", "conflicts": []},
                    {"id": "I2", "county": "410103", "conflicts": ["E1"]},
                    {"id": "I3", "county": "", "conflicts": []},
                    {"id": "I4", "county": "410104", "conflicts": []},
                    {"id": "I5", "county": "410102", "conflicts": ["E2"]}],
           "tasks": [{"id": "T1", "enterprise": "E1", "county": "410102"},
                     {"id": "T2", "enterprise": "E2", "county": "410103"}]}
    seed = bytes(range(32))
    pool = sorted(rec["pool"], key=lambda m: utf8_order(m["id"]))
    tasks = sorted(rec["tasks"], key=lambda t: utf8_order(t["id"]))
    rec["input_commitment"] = hashlib.sha256(inspectors_canonical(rec, pool, tasks)).hexdigest()
    rec["seed_commitment"] = hashlib.sha256(seed).hexdigest()
    rec["seed"] = seed.hex()
    picks = inspectors_run(rec, seed, pool, tasks)
    rec["result"] = [{"task": t["id"], "inspectors": [
        {"id": i, "u53": u, "neglog2": str(l)} for i, tid, u, l in picks if tid == t["id"]]}
        for t in tasks]
    print(json.dumps(rec, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "inspector-record":
        sys.exit(inspector_record())
    if len(sys.argv) == 3 and sys.argv[1] == "verify":
        sys.exit(verify(sys.argv[2]))
    if len(sys.argv) == 2 and sys.argv[1] == "example":
        sys.exit(example())
    print(__doc__, file=sys.stderr)
    sys.exit(2)
