"""Pages of the review queue and of an asset's history read in the store, against the way
the service read them before (up to 100 000 rows through the binding, then sliced), in the
same run on the same database.

    LINEAGE_BUILD_DIR=build build/python-venv/bin/python bench/python/bench_lists.py
        [--db FILE] [--rows 1000000] [--rounds 5]

The database (made when --db does not exist) holds `rows` inferred edges into one hub, with
their assets: the review queue and the hub's history are each a list of `rows` items. Each
figure is the median of `rounds` calls, after one untimed call. "page" asks for 100 items
with the whole list's total (as GET /api/v1/edges/pending does when the feed has moved);
"page, total known" without counting (the service keeps a total while the feed stands
still). The last line is an ordinary asset's history (two changes) in the same database.
Prints a Markdown table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import lineage

OLD_MAX = 100_000  # what the service read before slicing (its MAX_LISTED)


def build(path: Path, rows: int) -> None:
    t0 = time.perf_counter()
    with lineage.open(path, actor="bench") as g:
        g.add_asset("bench.hub", "table")
        step = 200_000
        for start in range(0, rows, step):
            lines = ["source,target,lineage_source,confidence"]
            lines += [f"bench.s{i:07d},bench.hub,inferred,{(i * 7919 % 1000) / 1000 + 0.0005:.4f}"
                      for i in range(start, min(rows, start + step))]
            g.import_data("\n".join(lines) + "\n", format="csv", type="lineage",
                          create_missing=True)
    print(f"built {path} with {rows} inferred edges in {time.perf_counter() - t0:.1f} s")


def median_ms(call: Callable[[], Any], rounds: int) -> float:
    call()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"lineage-bench-lists-{args.rows}.db"
    if not db.exists():
        build(db, args.rows)
    g = lineage.open(db, readonly=True)
    n = g.pending(1).total
    mid = n // 2
    r = args.rounds
    figures = {
        "queue: page 0 with total": median_ms(lambda: g.pending(100, 0), r),
        "queue: page 0, total known": median_ms(lambda: g.pending(100, 0, count=False), r),
        f"queue: page at {mid} with total": median_ms(lambda: g.pending(100, mid), r),
        "queue before: read 100k, slice page 0": median_ms(
            lambda: g.pending(OLD_MAX)[0:100], r),
        "history: page 0 with total": median_ms(lambda: g.history("bench.hub", 100, 0), r),
        "history: page 0, total known": median_ms(
            lambda: g.history("bench.hub", 100, 0, count=False), r),
        f"history: page at {mid} with total": median_ms(
            lambda: g.history("bench.hub", 100, mid), r),
        "history before: read 100k, slice page 0": median_ms(
            lambda: g.history("bench.hub", OLD_MAX)[0:100], r),
        "history of one of the edges' sources, with total": median_ms(
            lambda: g.history(f"bench.s{mid:07d}", 100, 0), r),
    }
    hist_total = g.history("bench.hub", 1).total
    print(f"\n{n} edges waiting for review; the hub's history holds {hist_total} changes "
          f"(before, both lists stopped at {OLD_MAX}: total and deep pages were wrong)\n")
    print("| call | median ms |")
    print("| --- | ---: |")
    for name, ms in figures.items():
        print(f"| {name} | {ms:.1f} |")
    q_ratio = figures["queue before: read 100k, slice page 0"] / figures["queue: page 0 with total"]
    h_ratio = (figures["history before: read 100k, slice page 0"]
               / figures["history: page 0 with total"])
    print(f"\npage 0 with its total: queue {q_ratio:.0f}x, history {h_ratio:.0f}x faster "
          "than reading 100k rows and slicing")
    print(json.dumps({"bench": "lists", "rows": n, "history_rows": hist_total,
                      "ms": {k: round(v, 2) for k, v in figures.items()},
                      "queue_speedup": round(q_ratio, 1), "history_speedup": round(h_ratio, 1),
                      "cpus": os.cpu_count()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
