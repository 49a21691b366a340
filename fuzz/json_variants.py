#!/usr/bin/env python3
"""Structure-aware seeds for the JSON scanners (dbt manifests, OpenLineage events).

Reads valid documents (a .json file, or a .jsonl file of one document a line) and writes
variants that a reader must survive: each field dropped, retyped (string, number, null, array,
object, boolean, the value wrapped in an array) or duplicated (the same key twice, an array
element twice), plus a few variants with several changes at once. scripts/fuzz.sh puts them
in the corpus before minimization.

    fuzz/json_variants.py OUT_DIR SEED_FILE...
"""
import json
import os
import random
import sys


class Obj(list):
    """A JSON object as its list of (key, value) pairs, so a key can appear twice."""


def load(text):
    return json.loads(text, object_pairs_hook=Obj)


def dump(v):
    if isinstance(v, Obj):
        return "{" + ",".join(json.dumps(k) + ":" + dump(x) for k, x in v) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dump(x) for x in v) + "]"
    return json.dumps(v)


def paths(v, prefix=()):
    """Every place a value sits: (container path, index in the container)."""
    items = v if isinstance(v, Obj) else enumerate(v) if isinstance(v, list) else []
    for i, item in enumerate(items):
        yield prefix, i
        yield from paths(item[1], prefix + (i,))


def at(v, path):
    for i in path:
        v = v[i][1] if isinstance(v, Obj) else v[i]
    return v


def copy(v):
    if isinstance(v, Obj):
        return Obj((k, copy(x)) for k, x in v)
    if isinstance(v, list):
        return [copy(x) for x in v]
    return v


def retypes(old):
    news = ["", "x", 0, -1.5, 1e308, None, True, [], Obj(), [copy(old)], Obj([("k", copy(old))])]
    return [n for n in news if type(n) is not type(old) or n != old]


def mutations(doc, where):
    """The variants of doc with one change at `where` (container path, index)."""
    prefix, i = where
    for kind in ("drop", "dup", "retype"):
        if kind == "retype":
            for n in retypes(value_at(doc, where)):
                d = copy(doc)
                set_value(d, where, n)
                yield d
            continue
        for other in ((None,) if kind == "dup" and isinstance(at(doc, prefix), Obj) else ()) + (0,):
            d = copy(doc)
            c = at(d, prefix)
            if kind == "drop":
                del c[i]
            elif isinstance(c, Obj):  # the key again, with the same value or with null
                c.insert(i + 1, (c[i][0], copy(c[i][1]) if other == 0 else None))
            else:
                c.insert(i + 1, copy(c[i]))
            yield d


def value_at(doc, where):
    c = at(doc, where[0])
    return c[where[1]][1] if isinstance(c, Obj) else c[where[1]]


def set_value(doc, where, v):
    c = at(doc, where[0])
    if isinstance(c, Obj):
        c[where[1]] = (c[where[1]][0], v)
    else:
        c[where[1]] = v


def grafts(doc):
    """A member copied into a sibling of its object (a dbt uid under both "nodes" and
    "sources"), whole and with each of its own fields dropped."""
    for prefix, i in paths(doc):
        c = at(doc, prefix)
        if len(prefix) < 1 or not isinstance(c, Obj):
            continue
        parent = at(doc, prefix[:-1])
        for j in range(len(parent)):
            sibling = parent[j][1] if isinstance(parent, Obj) else parent[j]
            if j == prefix[-1] or not isinstance(sibling, Obj):
                continue
            key, value = c[i]
            drops = range(len(value)) if isinstance(value, Obj) else ()
            for drop in (None,) + tuple(drops):
                d = copy(doc)
                v = copy(value)
                if drop is not None:
                    del v[drop]
                at(d, prefix[:-1] + (j,)).append((key, v))
                yield d


def variants(doc, rng):
    places = list(paths(doc))
    for where in places:
        yield from mutations(doc, where)
    yield from grafts(doc)
    for _ in range(min(50, len(places))):  # several changes at once
        d = copy(doc)
        for _ in range(3):
            ps = list(paths(d))
            if not ps:
                break
            d = rng.choice(list(mutations(d, rng.choice(ps))))
        yield d


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, rng, n = argv[1], random.Random(5), 0
    os.makedirs(out, exist_ok=True)
    for src in argv[2:]:
        base = os.path.splitext(os.path.basename(src))[0]
        with open(src, encoding="utf-8") as f:
            text = f.read()
        lines = src.endswith(".jsonl")
        docs = [load(l) for l in text.splitlines() if l.strip()] if lines else [load(text)]
        for di, doc in enumerate(docs):
            for v in variants(doc, rng):
                body = dump(v)
                if lines:  # the variant among its unchanged neighbours
                    body = "\n".join(body if j == di else dump(d) for j, d in enumerate(docs)) + "\n"
                n += 1
                with open(os.path.join(out, "%s-%05d.json" % (base, n)), "w", encoding="utf-8") as f:
                    f.write(body)
    print("%d variants written to %s" % (n, out))


if __name__ == "__main__":
    main(sys.argv)
