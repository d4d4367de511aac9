# Independent reference for docs/vectors/red-envelopes.json: the share recipe of
# docs/red-envelopes.md and the fold rule of docs/protocol.md §14, in plain Python.
import hashlib, json, struct
H = lambda s: hashlib.sha256(s.encode()).hexdigest()
def shares(env_id, amount, n):
    idb = bytes.fromhex(env_id)
    w = [int.from_bytes(hashlib.sha256(b"tally/red-envelope/v1" + idb + struct.pack(">I", i)).digest()[:8], "big") + 1 for i in range(n)]
    tot = sum(w); rest = amount - n
    parts = [rest * x // tot for x in w]
    rem = sorted(range(n), key=lambda i: (-(rest * w[i] % tot), i))
    left = rest - sum(parts)
    for i in rem[:left]: parts[i] += 1
    return [1 + p for p in parts]
assert shares(H("pinned envelope"), 10000, 4) == [1470, 245, 807, 7478], shares(H("pinned envelope"), 10000, 4)
group = H("vector group")[:32]
M = {n: H("vector member " + n) for n in "ABCD"}
entries = []; seqs = {}; prev = {}
def add(label, who, lamport, event):
    eid = H("vector entry " + label)
    seqs[who] = seqs.get(who, 0) + 1
    entries.append({"id": eid, "author": who, "seq": seqs[who], "prev": prev.get(who), "lamport": lamport, "event": event})
    prev[who] = eid
    return eid
add("create", "A", 1, {"type": "group.created", "name": "Lucky", "currency": "CNY", "memberName": "A"})
for i, n in enumerate("BCD"): add("join " + n, n, 2 + i, {"type": "member.joined", "name": n})
env = add("envelope", "A", 5, {"type": "envelope.created", "amount": 8888, "currency": "CNY", "count": 3, "date": "2026-02-17", "note": "恭喜发财"})
ignored = {}
ignored[add("own open", "A", 6, {"type": "envelope.opened", "envelope": env})] = "envelope_own"
oc = add("C opens", "C", 7, {"type": "envelope.opened", "envelope": env})
ob = add("B opens", "B", 7, {"type": "envelope.opened", "envelope": env})
ignored[add("B again", "B", 8, {"type": "envelope.opened", "envelope": env})] = "envelope_already_opened"
ignored[add("C reclaims", "C", 9, {"type": "envelope.reclaimed", "envelope": env})] = "envelope_not_sender"
back = add("A reclaims", "A", 10, {"type": "envelope.reclaimed", "envelope": env})
ignored[add("D late", "D", 11, {"type": "envelope.opened", "envelope": env})] = "envelope_reclaimed"
ignored[add("D unknown", "D", 12, {"type": "envelope.opened", "envelope": H("no such envelope")})] = "unknown_envelope"
# Total order: lamport, then author id, then seq. B and C open at the same lamport.
order = sorted([("B", ob), ("C", oc)], key=lambda x: M[x[0]])
s = shares(env, 8888, 3)
claims = [{"member": n, "amount": s[i], "index": i, "entryId": e} for i, (n, e) in enumerate(order)]
unclaimed = 8888 - sum(c["amount"] for c in claims)
out = {
  "description": "Red envelope fold vector (docs/protocol.md §14, docs/red-envelopes.md). Members are named A–D; their ids are given. Entries are listed in writing order; the fold must give the same result in any order. Expected shares were computed independently (Python hashlib) from the recipe; claims follow the total order (lamport, author id, seq).",
  "groupId": group,
  "members": M,
  "entries": [{**e, "author": e["author"]} for e in entries],
  "expected": {
    "shares": s,
    "envelope": {"id": env, "author": "A", "amount": 8888, "count": 3, "claims": claims, "unclaimed": unclaimed, "reclaimedBy": back},
    "ignored": ignored,
    "balances": {"A": -sum(c["amount"] for c in claims), "B": next(c["amount"] for c in claims if c["member"] == "B"), "C": next(c["amount"] for c in claims if c["member"] == "C"), "D": 0},
  },
}
print(json.dumps(out, ensure_ascii=False, indent=2))
